/*
 * dc_trust: the device's trust store. Pure: every loader takes a buffer; the
 * caller reads files.
 *
 * SHC part: issuers keyed by their exact `iss` URL, each with its pinned
 * EC P-256 keys and per-kid revocation lists. Every key is known by its
 * RFC 7638 thumbprint, computed on load; a key whose file lists another kid
 * (Quebec's 2021 JWKS did) is indexed under both ids, and the store lists
 * such keys (dc_trust_kid_alias) for the trust summary. A card is checked
 * ONLY against the keys of the issuer it names (dc_trust_find_issuer, then
 * dc_issuer_find_key or dc_issuer_key); there is deliberately no "search
 * every issuer for this kid" call.
 *
 * DCC part (dc_trust_dcc.c): DSC certificates keyed by their 8-byte kid and
 * the DCC revocation hashes.
 *
 * Ownership: the store copies everything it is given; callers may free their
 * buffers after a call returns. Loading is all-or-nothing per call: on error
 * nothing from that buffer is added. Limits below bound memory on a device.
 */
#ifndef DC_TRUST_H
#define DC_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dc_err.h"

#define DC_TRUST_MAX_ISSUERS 4096
#define DC_TRUST_MAX_KEYS_PER_ISSUER 64
#define DC_TRUST_MAX_FILE (8u * 1024 * 1024) /* largest trust file accepted */
#define DC_ISS_MAX 255

/* SHA-256 of the DER certificate that signs the VCI directory snapshot
 * (CN=vci.org, P-521, valid 2022-03-17..2032-03-14). A snapshot signed by any
 * other certificate is refused unless the operator pins another one. */
#define DC_VCI_PINNED_CERT_SHA256 \
	"c3e44e40a20e6d54a5ad247e9ddd07763708cec1aa9acd47a408a3cc28f320fb"

typedef struct dc_trust dc_trust;
typedef struct dc_issuer dc_issuer;
typedef struct dc_key dc_key;

dc_trust *dc_trust_new(void);
void dc_trust_free(dc_trust *t); /* NULL is safe */

/*
 * Adds one issuer from a project issuer file. The format is the same object
 * the VCI snapshot lists in "issuerInfo":
 *   { "issuer": { "iss": "https://...", "name": "Display name" },
 *     "keys":   [ JWK, ... ],
 *     "crls":   [ { "kid": "...", "method": "rid", "ctr": 1, "rids": [...] } ] }
 * Keys that are not EC P-256 ES256 signing keys fail the whole file with
 * DC_E_KEY_CURVE / DC_E_KEY_INVALID. A kid that is not the key's thumbprint
 * is kept as a second id (a missing kid, or one that is not a base64url
 * token of at most 63 characters, adds none); one that names another key of the issuer (its
 * thumbprint or listed kid) fails the file with DC_E_KEY_KID, because a kid
 * must lead to one key only. If the issuer already exists its keys and CRLs
 * are merged (the same key, by thumbprint, is kept once).
 */
dc_err dc_trust_add_issuer_json(dc_trust *t, const uint8_t *json, size_t len);

/* Adds a bare JWKS ({"keys":[...]}) for `iss`. `name` may be NULL. */
dc_err dc_trust_add_jwks(dc_trust *t, const char *iss, const char *name,
			 const uint8_t *json, size_t len);

/* Adds a SHC revocation list ({"kid","method":"rid","ctr","rids":[...]})
 * for `iss`. The issuer must already be present. */
dc_err dc_trust_add_crl(dc_trust *t, const char *iss, const uint8_t *json, size_t len);

/*
 * Imports the VCI directory snapshot. `sig` is the detached ECDSA signature
 * (DER, SHA-512) over the exact bytes of `json`; `cert` (PEM or DER) is the
 * signing certificate. The certificate's SHA-256 must equal `pin_sha256_hex`
 * (pass DC_VCI_PINNED_CERT_SHA256) and the signature must verify, else
 * nothing is imported. Issuers' keys that are unusable (wrong curve, bad
 * point, a kid naming another key of the issuer) are skipped key by key
 * rather than failing the directory; *skipped (may be NULL) counts them. The snapshot's "time" is
 * kept as the trust data time.
 */
dc_err dc_trust_add_vci_snapshot(dc_trust *t, const uint8_t *json, size_t len,
				 const uint8_t *sig, size_t sig_len,
				 const uint8_t *cert, size_t cert_len,
				 const char *pin_sha256_hex, size_t *skipped);

/* An SHC issuer URL as trust files and cards must write it: https://, at
 * most DC_ISS_MAX characters, no trailing slash (matched exactly). */
bool dc_trust_iss_valid(const char *iss);

/* A base64url token of 1..max_len characters: the form of key ids and
 * revocation ids (rid). NULL is not valid. */
bool dc_trust_id_valid(const char *s, size_t max_len);

/* Time of the newest trust data loaded (unix seconds, 0 = unknown). */
int64_t dc_trust_data_time(const dc_trust *t);
size_t dc_trust_issuer_count(const dc_trust *t);
/* SHC revocation entries (rids in the issuers' CRLs), all issuers. */
size_t dc_trust_shc_revocation_count(const dc_trust *t);

/* Exact, case-sensitive match of the issuer URL. NULL when absent. */
const dc_issuer *dc_trust_find_issuer(const dc_trust *t, const char *iss);
const char *dc_issuer_iss(const dc_issuer *i);
const char *dc_issuer_name(const dc_issuer *i); /* never NULL ("" if none) */

/* The pinned key with this kid (thumbprint or listed kid), only among this
 * issuer's keys; NULL when none has it. */
const dc_key *dc_issuer_find_key(const dc_issuer *i, const char *kid);

/* This issuer's keys, for trying each when a card's kid names none of
 * them: index 0..dc_issuer_key_count()-1, NULL past the end. */
size_t dc_issuer_key_count(const dc_issuer *i);
const dc_key *dc_issuer_key(const dc_issuer *i, size_t n);

/* The key's RFC 7638 thumbprint (base64url); never NULL. */
const char *dc_key_thumbprint(const dc_key *k);
/* The kid the trust file listed when it is not the thumbprint, else "". */
const char *dc_key_listed_kid(const dc_key *k);

/* Keys whose listed kid is not their thumbprint, across all issuers: the
 * count, and the nth (0-based) as issuer URL, listed kid and thumbprint
 * (pointers into the store, valid until it is freed). False past the end. */
size_t dc_trust_kid_alias_count(const dc_trust *t);
bool dc_trust_kid_alias(const dc_trust *t, size_t n, const char **iss,
			const char **listed, const char **thumbprint);

/* ES256 over `msg`: sig is raw r||s (64 bytes). DC_OK or DC_E_SIG_MISMATCH. */
dc_err dc_key_verify_es256(const dc_key *k, const uint8_t *msg, size_t msg_len,
			   const uint8_t sig[64]);

/* True when the issuer's CRL for `kid` lists `rid`, either bare or as
 * "rid.timestamp" with the card's nbf earlier than timestamp. */
bool dc_issuer_rid_revoked(const dc_issuer *i, const char *kid, const char *rid,
			   double nbf);

/* The same for a card signed by key k: a CRL filed under either of the
 * key's ids applies. `issued` is the card's issuance time (nbf, else iat). */
bool dc_issuer_key_rid_revoked(const dc_issuer *i, const dc_key *k, const char *rid,
			       double issued);

/* --- DCC (implemented in dc_trust_dcc.c) ------------------------------- */

/* Adds a DSC certificate (PEM or DER). Its kid is SHA-256(DER)[0..8].
 * Strict: one unusable certificate fails the whole buffer (DC_E_DSC_INVALID)
 * and nothing is added. Loaders of trust data use dc_trust_add_dscs. */
dc_err dc_trust_add_dsc(dc_trust *t, const uint8_t *cert, size_t len);

/* Adds DCC revocation entries (hash types UCI, COUNTRYCODEUCI, SIGNATURE:
 * first 16 bytes of SHA-256). The JSON format is documented in docs/dcc.md. */
dc_err dc_trust_add_dcc_revocations(dc_trust *t, const uint8_t *json, size_t len);

/* EU value sets (dc_valuesets.h JSON, the trust folder's
 * dcc-valuesets.json): a set replaces the built-in one (or one loaded
 * before) of the same id. All-or-nothing: DC_E_VALUESET_FORMAT keeps what
 * was there. */
dc_err dc_trust_add_dcc_valuesets(dc_trust *t, const uint8_t *json, size_t len);
struct dc_valuesets;
/* NULL when none were loaded (the built-in tables apply). */
const struct dc_valuesets *dc_trust_dcc_valuesets(const dc_trust *t);

/* The DCC verifier may add further lookups below this line. */

#define DC_DSC_KID_LEN 8
#define DC_TRUST_MAX_DSC 16384      /* signer certificates held at most */
#define DC_TRUST_MAX_DCC_REVOKED (1u << 20) /* revocation hashes held at most */
#define DC_DCC_REVOCATION_HASH_LEN 16

typedef struct dc_dsc dc_dsc;

/* Kinds of DCC content a signer may be restricted to (extended key usage). */
typedef enum {
	DC_DSC_USE_TEST = 1,
	DC_DSC_USE_VACCINATION = 2,
	DC_DSC_USE_RECOVERY = 4,
	DC_DSC_USE_NONE = 8, /* an EKU without any DCC OID: no DCC type allowed */
} dc_dsc_use;

/* DCC revocation hash types (the EU gateway's names in the JSON file). */
typedef enum {
	DC_DCC_HASH_SIGNATURE = 0,
	DC_DCC_HASH_UCI,
	DC_DCC_HASH_COUNTRYCODEUCI,
} dc_dcc_hash_type;

size_t dc_trust_dsc_count(const dc_trust *t);
/* DCC revocation entries loaded (all hash types). */
size_t dc_trust_dcc_revocation_count(const dc_trust *t);

/* The nth (0-based) signer certificate whose kid is `kid`; NULL past the
 * last one. Several certificates may share a kid: callers try each. */
const dc_dsc *dc_trust_find_dsc(const dc_trust *t, const uint8_t kid[DC_DSC_KID_LEN],
				size_t nth);

/* Why a signer certificate was not taken (dc_trust_add_dscs and the list
 * importers count them; never fatal). */
typedef enum {
	DC_DSC_SKIP_MALFORMED = 0, /* not a parseable X.509 certificate */
	DC_DSC_SKIP_KEY,           /* not EC P-256/P-384/P-521, nor RSA >= 2048 bits */
	DC_DSC_SKIP_EXPIRED,       /* list import: notAfter before the import time */
	DC_DSC_SKIP_TYPE,          /* list import: entry is not a DSC */
	DC_DSC_SKIP_KID,           /* list import: kid is not SHA-256(DER)[0..8] */
	DC_DSC_SKIP_THUMBPRINT,    /* list import: thumbprint is not SHA-256(DER) */
	DC_DSC_SKIP__COUNT
} dc_dsc_skip;

#define DC_DSC_RSA_MIN_BITS 2048

typedef struct {
	size_t added;                         /* certificates now in the store */
	size_t skipped[DC_DSC_SKIP__COUNT];   /* by reason */
	/* Taken, but with an empty extendedKeyUsage SEQUENCE (RFC 5280 forbids
	 * it), read as "no restriction" as the reference verifiers do. */
	size_t empty_eku;
} dc_dsc_load_stats;

/*
 * Lenient loading for trust data: adds every usable certificate of a PEM
 * file (each block on its own) or one DER certificate, and skips the others
 * with a counted reason in *st (may be NULL; counts are added to what it
 * holds). The kid of a skipped certificate is remembered, so a card it
 * signed fails with DC_E_DSC_UNUSABLE. Returns DC_OK even when everything
 * was skipped; only DC_E_ARG, DC_E_NOMEM and DC_E_TRUST_FULL are errors.
 */
dc_err dc_trust_add_dscs(dc_trust *t, const uint8_t *buf, size_t len, dc_dsc_load_stats *st);
/* The same for exactly one DER certificate. */
dc_err dc_trust_add_dsc_der(dc_trust *t, const uint8_t *der, size_t len,
			    dc_dsc_load_stats *st);

/* Would this DER certificate be taken? -1 yes; a dc_dsc_skip reason
 * (malformed, unsupported key, or expired: notAfter before now); -2 out of
 * memory. *uses (may be NULL) gets its dc_dsc_use bits when taken. */
int dc_dsc_check_der(const uint8_t *der, size_t len, double now, unsigned *uses);

/* True when a certificate with this kid was skipped as unusable. */
bool dc_trust_dsc_unusable(const dc_trust *t, const uint8_t kid[DC_DSC_KID_LEN]);

size_t dc_dsc_load_stats_skipped(const dc_dsc_load_stats *st); /* sum */
const char *dc_dsc_skip_name(dc_dsc_skip why);              /* "unsupported key" */
/* "2 malformed, 1 unsupported key" (only non-zero reasons) into out; returns
 * the length written. */
size_t dc_dsc_load_stats_format(const dc_dsc_load_stats *st, char *out, size_t cap);

/* Verifies a COSE signature over msg with this signer's public key. alg is
 * the COSE algorithm: ES256 (-7), ES384 (-35), ES512 (-36) take any of the
 * EC keys accepted on load (the digest follows the algorithm, the raw r||s
 * signature the curve: 64, 96 or 132 bytes); PS256 (-37), PS384 (-38),
 * PS512 (-39) take RSA keys (RSASSA-PSS, MGF1 with the same digest, salt the
 * digest length). DC_OK, DC_E_SIG_MISMATCH, DC_E_COSE_ALG (not one of
 * these), DC_E_DSC_ALG_KEY (an EC algorithm with an RSA key or the other way
 * round) or DC_E_COSE_SIG_LENGTH. */
dc_err dc_dsc_verify(const dc_dsc *d, int alg, const uint8_t *msg, size_t msg_len,
		     const uint8_t *sig, size_t sig_len);

/* True for an EC signer (its COSE signatures are r || s). */
bool dc_dsc_is_ec(const dc_dsc *d);

/* DC_OK when `now` lies within the certificate's validity, else
 * DC_E_DSC_TIME. */
dc_err dc_dsc_check_time(const dc_dsc *d, double now);

/* Bit set of dc_dsc_use from the certificate's extended key usage (either
 * OID arc 1.3.6.1.4.1.1847.2021.1.x or 1.3.6.1.4.1.0.1847.2021.1.x); 0 means
 * no restriction (no EKU, or an empty one); DC_DSC_USE_NONE an EKU that
 * lists other purposes only. */
unsigned dc_dsc_uses(const dc_dsc *d);

/* True when a loaded revocation entry of this type has this hash (first 16
 * bytes of the SHA-256). */
bool dc_trust_dcc_revoked(const dc_trust *t, dc_dcc_hash_type type,
			  const uint8_t hash[DC_DCC_REVOCATION_HASH_LEN]);

#endif
