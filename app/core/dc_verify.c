#include "dc_verify.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <mbedtls/platform_util.h>

#include "dc_dcc.h"
#include "dc_shc.h"

static bool starts_with_ci(const char *t, size_t len, const char *p)
{
	size_t n = strlen(p);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != p[i])
			return false;
	}
	return true;
}

dc_format dc_classify(const char *text, size_t len)
{
	if (!text || !len)
		return DC_FORMAT_NONE;
	if (starts_with_ci(text, len, "shc:/"))
		return DC_FORMAT_SHC;
	/* HC1 is the DCC context identifier; HC1 in any case, since QR
	 * alphanumeric mode is upper case anyway. */
	if (starts_with_ci(text, len, "hc1:"))
		return DC_FORMAT_DCC;
	if (starts_with_ci(text, len, "https://") || starts_with_ci(text, len, "http://"))
		return DC_FORMAT_URL;
	return DC_FORMAT_TEXT;
}

dc_err dc_verify_texts(const dc_verify_opts *o, const char *const *texts,
		       const size_t *lens, size_t n, dc_record *out)
{
	dc_record_init(out);
	if (!o || !texts || !lens || n == 0)
		return dc_record_fail(out, DC_E_EMPTY);
	if (n > DC_MAX_TEXTS)
		return dc_record_fail(out, DC_E_SHC_TOO_MANY_CHUNKS);
	for (size_t i = 0; i < n; i++)
		if (lens[i] > DC_MAX_QR_TEXT)
			return dc_record_fail(out, DC_E_TOO_LONG);

	dc_format f = dc_classify(texts[0], lens[0]);
	for (size_t i = 1; i < n; i++)
		if (dc_classify(texts[i], lens[i]) != f)
			return dc_record_fail(out, DC_E_MIXED_FORMATS);
	out->format = f;
	switch (f) {
	case DC_FORMAT_SHC:
		return dc_shc_verify(o->trust, o->now, texts, lens, n, out);
	case DC_FORMAT_DCC:
		if (n != 1)
			return dc_record_fail(out, DC_E_MIXED_FORMATS);
		return dc_dcc_verify(o->trust, o->now, texts[0], lens[0], out);
	case DC_FORMAT_URL:
		return dc_record_fail(out, DC_E_URL);
	case DC_FORMAT_TEXT:
		return dc_record_fail(out, DC_E_UNKNOWN_FORMAT);
	case DC_FORMAT_NONE:
		break;
	}
	return dc_record_fail(out, DC_E_EMPTY);
}

dc_err dc_verify_text(const dc_verify_opts *o, const char *text, size_t len,
		      dc_record *out)
{
	return dc_verify_texts(o, &text, &len, 1, out);
}

/* cJSON copies every string of a decoded payload into its own blocks;
 * wiping them on free keeps names and dates out of freed heap memory. */
static void wiping_free(void *p)
{
	if (p) {
		mbedtls_platform_zeroize(p, malloc_usable_size(p));
		free(p);
	}
}

void dc_core_init(void)
{
	cJSON_Hooks hooks = {malloc, wiping_free};
	cJSON_InitHooks(&hooks);
}
