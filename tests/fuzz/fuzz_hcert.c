/* CWT claims and DCC content: the bytes as a CWT payload, and as the DCC
 * map itself. No signature is involved, so every schema path is reachable. */
#include <stdint.h>
#include <string.h>

#include "dc_cose.h"
#include "dc_hcert.h"
#include "dc_record.h"

static void check_dcc(const cbor_item_t *dcc)
{
	dc_record r;
	dc_hcert_info info;
	dc_event_kind kind;
	dc_record_init(&r);
	(void)dc_hcert_kind(dcc, &kind);
	dc_err e = dc_hcert_parse_dcc(dcc, NULL, &r, &info);
	if (e == DC_OK) {
		if (r.n_events != 1 || !memchr(r.name_std, 0, sizeof r.name_std) ||
		    !dc_hcert_dob_valid(r.birth_date))
			__builtin_trap();
	} else if (r.n_events != 0 || r.name[0] || r.birth_date[0]) {
		__builtin_trap(); /* nothing half-parsed may stay behind */
	}
	dc_record_wipe(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_cwt cwt;
	if (dc_cwt_parse(data, size, &cwt) == DC_OK) {
		(void)dc_cwt_check_time(&cwt, 1811808000.0);
		check_dcc(cwt.dcc);
		dc_cwt_free(&cwt);
	}
	dc_err e;
	cbor_item_t *item = dc_cbor_load(data, size, &e);
	if (item) {
		check_dcc(item);
		dc_cbor_free(&item);
	}
	return 0;
}
