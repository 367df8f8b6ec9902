/*
 * dc_inflate: bounded DEFLATE decoding with zlib, shared by SHC (raw
 * DEFLATE, RFC 1951) and DCC (zlib stream, RFC 1950).
 *
 * The output buffer is the hard bound: a stream that would inflate past
 * `cap` stops there and returns DC_E_INFLATE_LIMIT (a decompression bomb is
 * a clean rejection, never an allocation). The whole input must be one
 * complete stream; trailing bytes or a truncated stream are DC_E_INFLATE.
 * On error *out_len is 0 and the partial output is zeroised.
 */
#ifndef DC_INFLATE_H
#define DC_INFLATE_H

#include <stddef.h>
#include <stdint.h>

#include "dc_err.h"

/* Largest decompressed payload accepted, for every format. SHC payloads are
 * a few KiB; DCC payloads well under 4 KiB. */
#define DC_MAX_INFLATED (64u * 1024)

typedef enum {
	DC_INFLATE_RAW = 0, /* RFC 1951, no header (SHC "zip":"DEF") */
	DC_INFLATE_ZLIB,    /* RFC 1950 (DCC) */
} dc_inflate_mode;

dc_err dc_inflate(dc_inflate_mode mode, const uint8_t *in, size_t in_len,
		  uint8_t *out, size_t cap, size_t *out_len);

#endif
