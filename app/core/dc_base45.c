#include "dc_base45.h"

#include <string.h>

#include <mbedtls/platform_util.h>

static const char alphabet[45] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

static int value_of(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	switch (c) {
	case ' ': return 36;
	case '$': return 37;
	case '%': return 38;
	case '*': return 39;
	case '+': return 40;
	case '-': return 41;
	case '.': return 42;
	case '/': return 43;
	case ':': return 44;
	}
	return -1;
}

bool dc_base45_is_char(char c)
{
	return value_of(c) >= 0;
}

bool dc_base45_decode(const char *in, size_t len, uint8_t *out, size_t cap,
		      size_t *out_len)
{
	size_t o = 0;
	*out_len = 0;
	if (len % 3 == 1)
		goto fail;
	if ((len / 3) * 2 + (len % 3 == 2 ? 1 : 0) > cap)
		goto fail;
	for (size_t i = 0; i < len;) {
		size_t n = len - i >= 3 ? 3 : 2;
		unsigned long v = 0, mul = 1;
		for (size_t k = 0; k < n; k++) {
			int d = value_of(in[i + k]);
			if (d < 0)
				goto fail;
			v += (unsigned long)d * mul;
			mul *= 45;
		}
		if (n == 3) {
			if (v > 0xffff)
				goto fail;
			out[o++] = (uint8_t)(v >> 8);
			out[o++] = (uint8_t)(v & 0xff);
		} else {
			if (v > 0xff)
				goto fail;
			out[o++] = (uint8_t)v;
		}
		i += n;
	}
	*out_len = o;
	return true;
fail:
	if (o)
		mbedtls_platform_zeroize(out, o);
	return false;
}

size_t dc_base45_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t need = DC_BASE45_ENCODED_LEN(len) + 1, o = 0;
	if (cap < need)
		return 0;
	for (size_t i = 0; i + 1 < len; i += 2) {
		unsigned v = (unsigned)in[i] * 256u + in[i + 1];
		out[o++] = alphabet[v % 45];
		out[o++] = alphabet[(v / 45) % 45];
		out[o++] = alphabet[v / 2025];
	}
	if (len % 2) {
		unsigned v = in[len - 1];
		out[o++] = alphabet[v % 45];
		out[o++] = alphabet[v / 45];
	}
	out[o] = 0;
	return o;
}
