#include "dc_record.h"

#include <string.h>

#include <mbedtls/platform_util.h>

void dc_record_init(dc_record *r)
{
	mbedtls_platform_zeroize(r, sizeof *r);
	r->format = DC_FORMAT_NONE;
	r->reason = DC_E_EMPTY;
	r->verdict = dc_err_verdict(DC_E_EMPTY);
}

dc_err dc_record_fail(dc_record *r, dc_err e)
{
	r->reason = e;
	r->verdict = dc_err_verdict(e);
	return e;
}

void dc_record_wipe(dc_record *r)
{
	if (r)
		mbedtls_platform_zeroize(r, sizeof *r);
}

void dc_record_copy(char *dst, size_t cap, const char *src)
{
	if (!cap)
		return;
	size_t n = src ? strlen(src) : 0;
	if (n >= cap) {
		n = cap - 1;
		/* Do not leave half a UTF-8 sequence at the end. */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = 0;
}
