#include "dc_inflate.h"

#include <limits.h>
#include <string.h>

#include <mbedtls/platform_util.h>
#include <zlib.h>

dc_err dc_inflate(dc_inflate_mode mode, const uint8_t *in, size_t in_len,
		  uint8_t *out, size_t cap, size_t *out_len)
{
	z_stream zs;
	dc_err rc = DC_E_INFLATE;
	int zr;

	*out_len = 0;
	if (!in || !in_len || !out || !cap)
		return DC_E_INFLATE;
	if (in_len > UINT_MAX || cap > UINT_MAX)
		return DC_E_INFLATE_LIMIT;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, mode == DC_INFLATE_RAW ? -15 : 15) != Z_OK)
		return DC_E_NOMEM;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)in_len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	zr = inflate(&zs, Z_FINISH);
	if (zr == Z_STREAM_END) {
		/* Bytes after the end of the stream are not part of any valid
		 * record; accepting them would let a card carry hidden data. */
		if (zs.avail_in != 0)
			goto out;
		*out_len = zs.total_out;
		rc = DC_OK;
	} else if (zs.avail_out == 0 && (zr == Z_BUF_ERROR || zr == Z_OK)) {
		/* Output full and the stream wants more: a bomb or an oversized
		 * payload. The bound is the buffer, so nothing was allocated. */
		rc = DC_E_INFLATE_LIMIT;
	} else if (zr == Z_MEM_ERROR) {
		rc = DC_E_NOMEM;
	}
out:
	inflateEnd(&zs);
	if (rc != DC_OK)
		mbedtls_platform_zeroize(out, cap);
	return rc;
}
