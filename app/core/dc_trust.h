/*
 * dc_trust: the device's trust store. Pure: every loader takes a buffer; the
 * caller reads files.
 *
 * SHC part: issuers keyed by their exact `iss` URL, each with its pinned
 * EC P-256 keys (kid = RFC 7638 thumbprint, checked on load) and per-kid
 * revocation lists. A card is checked ONLY against the keys of the issuer it
 * names (dc_trust_find_issuer + dc_issuer_find_key); there is deliberately no
 * "search every issuer for this kid" call.
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
 * Keys that are not EC P-256 ES256 signing keys, or whose kid is not their
 * thumbprint, fail the whole file with DC_E_KEY_CURVE / DC_E_KEY_KID / ...
 * If the issuer already exists its keys and CRLs are merged.
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
 * nothing is imported. Issuers whose keys are unusable (wrong curve, kid not
 * a thumbprint) are skipped key by key rather than failing the directory;
 * *skipped (may be NULL) counts the skipped keys. The snapshot's "time" is
 * kept as the trust data time.
 */
dc_err dc_trust_add_vci_snapshot(dc_trust *t, const uint8_t *json, size_t len,
				 const uint8_t *sig, size_t sig_len,
				 const uint8_t *cert, size_t cert_len,
				 const char *pin_sha256_hex, size_t *skipped);

/* Time of the newest trust data loaded (unix seconds, 0 = unknown). */
int64_t dc_trust_data_time(const dc_trust *t);
size_t dc_trust_issuer_count(const dc_trust *t);

/* Exact, case-sensitive match of the issuer URL. NULL when absent. */
const dc_issuer *dc_trust_find_issuer(const dc_trust *t, const char *iss);
const char *dc_issuer_iss(const dc_issuer *i);
const char *dc_issuer_name(const dc_issuer *i); /* never NULL ("" if none) */

/* The pinned key with this kid, only among this issuer's keys. */
const dc_key *dc_issuer_find_key(const dc_issuer *i, const char *kid);

/* ES256 over `msg`: sig is raw r||s (64 bytes). DC_OK or DC_E_SIG_MISMATCH. */
dc_err dc_key_verify_es256(const dc_key *k, const uint8_t *msg, size_t msg_len,
			   const uint8_t sig[64]);

/* True when the issuer's CRL for `kid` lists `rid`, either bare or as
 * "rid.timestamp" with the card's nbf earlier than timestamp. */
bool dc_issuer_rid_revoked(const dc_issuer *i, const char *kid, const char *rid,
			   double nbf);

/* --- DCC (implemented in dc_trust_dcc.c) ------------------------------- */

/* Adds a DSC certificate (PEM or DER). Its kid is SHA-256(DER)[0..8]. */
dc_err dc_trust_add_dsc(dc_trust *t, const uint8_t *cert, size_t len);

/* Adds DCC revocation entries (hash types UCI, COUNTRYCODEUCI, SIGNATURE:
 * first 16 bytes of SHA-256). The JSON format is documented in docs/dcc.md. */
dc_err dc_trust_add_dcc_revocations(dc_trust *t, const uint8_t *json, size_t len);

/* The DCC verifier may add further lookups below this line. */

#define DC_DSC_KID_LEN 8
#define DC_TRUST_MAX_DSC 8192       /* signer certificates held at most */
#define DC_TRUST_MAX_DCC_REVOKED (1u << 20) /* revocation hashes held at most */
#define DC_DCC_REVOCATION_HASH_LEN 16

typedef struct dc_dsc dc_dsc;

/* Kinds of DCC content a signer may be restricted to (extended key usage). */
typedef enum {
	DC_DSC_USE_TEST = 1,
	DC_DSC_USE_VACCINATION = 2,
	DC_DSC_USE_RECOVERY = 4,
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

/* Verifies a COSE signature over msg with this signer's public key. alg is
 * the COSE algorithm (-7 ES256: sig is raw r||s; -37 PS256: RSASSA-PSS,
 * SHA-256, MGF1-SHA-256, salt 32). DC_OK, DC_E_SIG_MISMATCH, DC_E_COSE_ALG
 * (algorithm does not fit the key) or DC_E_COSE_SIG_LENGTH. */
dc_err dc_dsc_verify(const dc_dsc *d, int alg, const uint8_t *msg, size_t msg_len,
		     const uint8_t *sig, size_t sig_len);

/* DC_OK when `now` lies within the certificate's validity, else
 * DC_E_DSC_TIME. */
dc_err dc_dsc_check_time(const dc_dsc *d, double now);

/* Bit set of dc_dsc_use from the certificate's extended key usage (either
 * OID arc 1.3.6.1.4.1.1847.2021.1.x or 1.3.6.1.4.1.0.1847.2021.1.x); 0 means
 * no restriction. */
unsigned dc_dsc_uses(const dc_dsc *d);

/* True when a loaded revocation entry of this type has this hash (first 16
 * bytes of the SHA-256). */
bool dc_trust_dcc_revoked(const dc_trust *t, dc_dcc_hash_type type,
			  const uint8_t hash[DC_DCC_REVOCATION_HASH_LEN]);

#endif
