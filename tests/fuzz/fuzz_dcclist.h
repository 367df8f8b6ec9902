/* The body of the three EU DSC list import harnesses (fuzz_dcclist_*.c),
 * each of which defines DCCLIST_FORMAT (a dc_dcclist_format) first and
 * includes this file once.
 *
 * The input is tried as a whole signed list (signature split and check
 * against the demo list key: never verifies, so the entries are never read)
 * and as an already verified payload (every entry path). The sink must only
 * see usable certificates. */
#ifndef DCCLIST_FORMAT
#error "define DCCLIST_FORMAT before including fuzz_dcclist.h"
#endif

#include <stdint.h>
#include <string.h>

#include "dc_dcclist.h"
#include "dc_trust.h"

static const char pin[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhumnju9OaWuegNaY2LoV7dPVTwiW\n"
	"lBl79yvkqG4SZgm+Oqi9jukbeFuTr/Tfb1lsl/ZyldQRzQnGNYqjtPNI8g==\n"
	"-----END PUBLIC KEY-----\n";

static dc_err sink(void *ctx, const char *cc, const uint8_t *der, size_t len)
{
	(void)ctx;
	if (strlen(cc) != 2 || dc_dsc_check_der(der, len, 1811808000.0, NULL) != -1)
		__builtin_trap();
	return DC_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_dcclist_stats st;
	dc_err e = dc_dcclist_import(DCCLIST_FORMAT, data, size, data, size > 72 ? 72 : size,
				     (const uint8_t *)pin, sizeof pin - 1, 1811808000.0, sink, NULL,
				     &st);
	if (e == DC_OK && st.imported)
		__builtin_trap(); /* nothing here is signed by the demo list key */
	if (dc_dcclist_parse_entries(DCCLIST_FORMAT, data, size, 1811808000.0, sink, NULL, &st) ==
		    DC_OK && st.imported > st.entries)
		__builtin_trap();
	return 0;
}
