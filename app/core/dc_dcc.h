/*
 * dc_dcc: EU Digital COVID Certificate (HC1:) verification, pure.
 *
 *   HC1: text -> Base45 -> zlib (bounded) -> COSE_Sign1 (libcbor) -> CWT
 *   claims -> hcert -> dc_record; ES256 / PS256 against the DSC(s) in the
 *   trust store whose kid matches.
 *
 * Limits: the text is at most DC_MAX_QR_TEXT characters; the payload at
 * most DC_MAX_INFLATED bytes. Intermediate buffers are wiped before return.
 */
#ifndef DC_DCC_H
#define DC_DCC_H

#include <stddef.h>

#include "dc_record.h"
#include "dc_trust.h"

dc_err dc_dcc_verify(const dc_trust *t, double now, const char *text,
		     size_t len, dc_record *out);

#endif
