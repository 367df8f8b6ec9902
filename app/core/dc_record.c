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

void dc_record_wipe_holder(dc_record *r)
{
	if (!r)
		return;
	r->n_events = 0;
	mbedtls_platform_zeroize(r->events, sizeof r->events);
	mbedtls_platform_zeroize(r->name, sizeof r->name);
	mbedtls_platform_zeroize(r->family_name, sizeof r->family_name);
	mbedtls_platform_zeroize(r->given_name, sizeof r->given_name);
	mbedtls_platform_zeroize(r->name_std, sizeof r->name_std);
	mbedtls_platform_zeroize(r->birth_date, sizeof r->birth_date);
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
