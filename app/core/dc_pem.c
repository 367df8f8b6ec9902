#define _GNU_SOURCE /* memmem */
#include "dc_pem.h"

#include <string.h>

bool dc_looks_pem(const uint8_t *buf, size_t len)
{
	static const char tag[] = "-----BEGIN";
	return buf && memmem(buf, len, tag, sizeof tag - 1) != NULL;
}
