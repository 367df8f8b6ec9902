/*
 * dc_vciimport: a trust folder's SHC issuer files from the VCI directory
 * snapshot plus the issuers' published CRL files. Pure: the caller reads
 * the files and writes the folder (doorcheck-trust import-vci). Only the
 * public dc_trust API is used, so the issuer files hold exactly what the
 * trust store takes.
 *
 * Verify, then parse: the snapshot's detached signature and its signing
 * certificate (pinned by SHA-256) are checked first, by
 * dc_trust_add_vci_snapshot; only then is the directory read.
 *
 * Per issuer (all, or only those listed): keys the trust store refuses
 * (not EC P-256 ES256, kid not the thumbprint) are dropped and counted; an
 * issuer with no usable key is dropped; CRLs (the snapshot's own and the
 * files given for that issuer) that the store refuses are dropped and
 * counted. A listed issuer missing from the directory, or a CRL file for an
 * issuer that is not imported, refuses the whole import.
 */
#ifndef DC_VCIIMPORT_H
#define DC_VCIIMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "dc_err.h"

typedef struct {
	const char *iss;      /* issuer URL the CRL belongs to */
	const uint8_t *json;  /* {"kid","method":"rid","ctr","rids":[...]} */
	size_t len;
} dc_vci_crl;

typedef struct {
	size_t issuers;       /* issuer files produced */
	size_t keys;          /* keys in them */
	size_t crls;          /* CRLs in them */
	size_t crl_entries;   /* revoked ids in those CRLs */
	size_t keys_skipped;
	size_t crls_skipped;
	size_t issuers_skipped; /* no usable key */
} dc_vci_import_stats;

/* One issuer file (format of dc_trust_add_issuer_json), NUL-terminated JSON
 * valid during the call; n is its 0-based position. */
typedef dc_err (*dc_vci_sink)(void *ctx, size_t n, const char *iss, const char *json,
			      size_t len);

/* only == NULL (n_only 0): every issuer. Errors: those of
 * dc_trust_add_vci_snapshot (signature, signer, format), DC_E_ISSUER_UNTRUSTED
 * (a listed issuer is not in the directory; *missing names it), DC_E_CRL_INVALID
 * (a CRL file for an issuer not imported; *missing names it), DC_E_NOMEM, or
 * the sink's error. */
dc_err dc_vci_import(const uint8_t *snapshot, size_t len, const uint8_t *sig, size_t sig_len,
		     const uint8_t *cert, size_t cert_len, const char *pin_sha256_hex,
		     const char *const *only, size_t n_only, const dc_vci_crl *crls,
		     size_t n_crls, dc_vci_sink sink, void *ctx, dc_vci_import_stats *st,
		     const char **missing);

#endif
