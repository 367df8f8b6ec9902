/*
 * dc_cose: COSE_Sign1 (RFC 9052) as the EU DCC uses it, plus the small
 * CBOR helpers the DCC modules share. Parsing only: signature checks live
 * with the keys (dc_dsc_verify in dc_trust.h).
 *
 * Every CBOR buffer is first walked by a bounds-checking reader
 * (dc_cbor_check) before libcbor sees it, so that a declared length larger
 * than the remaining input, nesting deeper than DC_CBOR_MAX_DEPTH or trailing
 * bytes are rejected without libcbor allocating for them.
 *
 * Accepted shapes: 61(18([...])), 18([...]), 61([...]) or an untagged
 * array [protected: bstr, unprotected: map, payload: bstr, signature: bstr].
 * alg (ES256/384/512 or PS256/384/512) comes from the protected header (unprotected only when the protected
 * one has none); the kid from the protected header, else the unprotected one.
 */
#ifndef DC_COSE_H
#define DC_COSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cbor.h>

#include "dc_err.h"

#define DC_CBOR_MAX_DEPTH 16
#define DC_COSE_KID_MAX 64
#define DC_COSE_ALG_ES256 (-7)
#define DC_COSE_ALG_ES384 (-35)
#define DC_COSE_ALG_ES512 (-36)
#define DC_COSE_ALG_PS256 (-37)
#define DC_COSE_ALG_PS384 (-38)
#define DC_COSE_ALG_PS512 (-39)
#define DC_COSE_TAG_SIGN1 18
#define DC_COSE_TAG_CWT 61

/* Walks one CBOR data item at buf[0..len) without allocating. DC_OK when it
 * is well-formed, uses only definite or properly terminated indefinite
 * lengths, nests at most DC_CBOR_MAX_DEPTH and fills exactly len bytes;
 * DC_E_CBOR otherwise. */
dc_err dc_cbor_check(const uint8_t *buf, size_t len);

/* dc_cbor_check, then libcbor. NULL (and *e = DC_E_CBOR / DC_E_NOMEM) on
 * failure. Free the result with dc_cbor_free. */
cbor_item_t *dc_cbor_load(const uint8_t *buf, size_t len, dc_err *e);

/* Zeroises every string and byte string in the tree, then releases it and
 * sets *item to NULL. NULL-safe. */
void dc_cbor_free(cbor_item_t **item);

/* Map lookups; NULL when absent or when map is not a map. */
cbor_item_t *dc_cbor_map_int(const cbor_item_t *map, int64_t key);
cbor_item_t *dc_cbor_map_str(const cbor_item_t *map, const char *key);

/* False when two keys of the map are the same integer or the same definite
 * text (RFC 8949 calls such a map invalid; a reader could pick either). */
bool dc_cbor_map_unique(const cbor_item_t *map);

/* Integer value of an unsigned or negative integer item. */
bool dc_cbor_int(const cbor_item_t *item, int64_t *out);
/* Integer or float holding a whole number of seconds (CWT NumericDate). */
bool dc_cbor_numeric_date(const cbor_item_t *item, int64_t *out);
/* Definite byte string contents (pointer into the item). */
bool dc_cbor_bytes(const cbor_item_t *item, const uint8_t **p, size_t *n);
/* Text string (definite or chunked, optionally under tag 0 or 1004) copied
 * NUL-terminated into out; false
 * when not a text string, when it holds a NUL byte or is longer than
 * cap - 1 bytes. */
bool dc_cbor_text(const cbor_item_t *item, char *out, size_t cap);

typedef struct {
	int alg;                         /* COSE alg, 0 when absent */
	uint8_t kid[DC_COSE_KID_MAX];
	size_t kid_len;                  /* 0 when neither header has a kid */
	bool kid_protected;              /* kid came from the protected header */
	const uint8_t *protected_hdr;    /* bstr contents, as signed */
	size_t protected_len;
	const uint8_t *payload;          /* CWT claims bytes */
	size_t payload_len;
	const uint8_t *signature;
	size_t signature_len;
	cbor_item_t *root_;              /* owns the pointers above */
} dc_cose_sign1;

/* One of the signature algorithms above. */
bool dc_cose_alg_known(int alg);

/* Parses a COSE_Sign1 message. On success the caller must call
 * dc_cose_free. Errors: DC_E_CBOR (not CBOR), DC_E_COSE (wrong shape),
 * DC_E_COSE_ALG (alg missing). On error nothing needs freeing. */
dc_err dc_cose_parse(const uint8_t *buf, size_t len, dc_cose_sign1 *out);

/* Wipes and releases; safe on a zeroed or already freed struct. */
void dc_cose_free(dc_cose_sign1 *s);

/* Size of the Sig_structure for s. */
size_t dc_cose_sig_structure_len(const dc_cose_sign1 *s);

/* Encodes ["Signature1", protected, h'', payload] canonically into out
 * (libcbor's encoder; DC_E_ARG when cap is smaller than the length above). */
dc_err dc_cose_sig_structure(const dc_cose_sign1 *s, uint8_t *out, size_t cap,
			     size_t *out_len);

#endif
