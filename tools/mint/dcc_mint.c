/*
 * doorcheck-mint dcc: demo EU DCC (HC1:) certificates signed by the demo
 * signer certificates in keys/demo/ (ES256 or PS256), as .txt + .png.
 *
 * The CBOR is written item by item with libcbor's streaming encoder
 * (cbor_encode_*: heads only, no tree), so the bytes are exactly what the
 * hcert spec shows and the tests can vary the header layout (where the kid
 * is) that building a libcbor tree would not let them choose.
 * DEMO ONLY: the names, dates and identifiers are fictitious.
 */
#include "mint.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cbor.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>
#include <mbedtls/x509_crt.h>

#include "dc_base45.h"
#include "dc_qrpng.h"

#define CBOR_MAX 8192

/* --- a CBOR writer over libcbor's encoder ---------------------------------- */

typedef struct {
	uint8_t b[CBOR_MAX];
	size_t n;
	bool overflow;
} cw;

static void cw_bytes(cw *w, const void *p, size_t n)
{
	if (w->n + n > sizeof w->b) {
		w->overflow = true;
		return;
	}
	if (n)
		memcpy(w->b + w->n, p, n);
	w->n += n;
}

/* Heads come from libcbor's encoder (the shortest form, which COSE and
 * the hcert examples use); the writer only keeps the order and checks room. */
static void cw_put(cw *w, size_t n)
{
	if (n == 0)
		w->overflow = true;
	w->n += n;
}

static void cw_head(cw *w, unsigned major, uint64_t v)
{
	unsigned char *o = w->b + w->n;
	size_t cap = sizeof w->b - w->n;
	if (w->overflow)
		return;
	switch (major) {
	case 0: cw_put(w, cbor_encode_uint(v, o, cap)); break;
	case 1: cw_put(w, cbor_encode_negint(v, o, cap)); break;
	case 2: cw_put(w, cbor_encode_bytestring_start((size_t)v, o, cap)); break;
	case 3: cw_put(w, cbor_encode_string_start((size_t)v, o, cap)); break;
	case 4: cw_put(w, cbor_encode_array_start((size_t)v, o, cap)); break;
	case 5: cw_put(w, cbor_encode_map_start((size_t)v, o, cap)); break;
	case 6: cw_put(w, cbor_encode_tag(v, o, cap)); break;
	default: w->overflow = true;
	}
}

static void cw_int(cw *w, int64_t v)
{
	if (v >= 0)
		cw_head(w, 0, (uint64_t)v);
	else
		cw_head(w, 1, (uint64_t)(-1 - v));
}

static void cw_text(cw *w, const char *s)
{
	cw_head(w, 3, strlen(s));
	cw_bytes(w, s, strlen(s));
}

static void cw_bstr(cw *w, const uint8_t *p, size_t n)
{
	cw_head(w, 2, n);
	cw_bytes(w, p, n);
}

static void cw_kv(cw *w, const char *k, const char *v)
{
	cw_text(w, k);
	cw_text(w, v);
}

/* --- content ----------------------------------------------------------------- */

enum kind { K_VAC, K_TEST, K_REC };
static const char *const kind_names[] = {"vaccination", "test", "recovery"};

struct opts {
	const char *key, *cert, *out, *prefix, *kid_mode, *ci, *co, *iss;
	long long iat, exp;
	int kinds; /* bit set of 1 << kind */
	bool png, compress;
};

static void date_of(long long t, char *buf, size_t cap, bool with_time)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, cap, with_time ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d", &tm);
}

static void write_dcc(cw *w, enum kind k, const struct opts *o, const char *ci)
{
	char d1[32], d2[32], d3[32];
	cw_head(w, 5, 4);
	cw_kv(w, "ver", "1.3.0");
	cw_text(w, "nam");
	cw_head(w, 5, 4);
	cw_kv(w, "fn", "Démo-Muster");
	cw_kv(w, "fnt", "DEMO<MUSTER");
	cw_kv(w, "gn", "Erika");
	cw_kv(w, "gnt", "ERIKA");
	cw_kv(w, "dob", "1964-08-12");
	if (k == K_VAC) {
		date_of(o->iat - 30 * 86400LL, d1, sizeof d1, false);
		cw_text(w, "v");
		cw_head(w, 4, 1);
		cw_head(w, 5, 10);
		cw_kv(w, "tg", "840539006");
		cw_kv(w, "vp", "1119349007");
		cw_kv(w, "mp", "EU/1/20/1528");
		cw_kv(w, "ma", "ORG-100030215");
		cw_text(w, "dn");
		cw_int(w, 2);
		cw_text(w, "sd");
		cw_int(w, 2);
		cw_kv(w, "dt", d1);
		cw_kv(w, "co", o->co);
		cw_kv(w, "is", "doorcheck DEMO issuer (not real)");
		cw_kv(w, "ci", ci);
	} else if (k == K_TEST) {
		date_of(o->iat - 3 * 3600LL, d1, sizeof d1, true);
		cw_text(w, "t");
		cw_head(w, 4, 1);
		cw_head(w, 5, 9);
		cw_kv(w, "tg", "840539006");
		cw_kv(w, "tt", "LP217198-3");
		cw_kv(w, "ma", "1232");
		cw_kv(w, "sc", d1);
		cw_kv(w, "tr", "260415000");
		cw_kv(w, "tc", "DEMO test centre");
		cw_kv(w, "co", o->co);
		cw_kv(w, "is", "doorcheck DEMO issuer (not real)");
		cw_kv(w, "ci", ci);
	} else {
		date_of(o->iat - 20 * 86400LL, d1, sizeof d1, false);
		date_of(o->iat - 9 * 86400LL, d2, sizeof d2, false);
		date_of(o->iat + 160 * 86400LL, d3, sizeof d3, false);
		cw_text(w, "r");
		cw_head(w, 4, 1);
		cw_head(w, 5, 7);
		cw_kv(w, "tg", "840539006");
		cw_kv(w, "fr", d1);
		cw_kv(w, "df", d2);
		cw_kv(w, "du", d3);
		cw_kv(w, "co", o->co);
		cw_kv(w, "is", "doorcheck DEMO issuer (not real)");
		cw_kv(w, "ci", ci);
	}
}

/* --- signing ------------------------------------------------------------------ */

static int sign_ps256(mbedtls_pk_context *pk, const uint8_t *msg, size_t len, uint8_t *sig,
		      size_t *sig_len)
{
	int ret = -1;
	uint8_t hash[32];
	mbedtls_hmac_drbg_context drbg;
	mbedtls_rsa_context *rsa = mbedtls_pk_rsa(*pk);
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);

	mbedtls_hmac_drbg_init(&drbg);
	dc_mint_sha256(msg, len, hash);
	/* The PSS salt comes from a DRBG seeded with the message hash, so the
	 * same input mints the same bytes (demo files stay reproducible). */
	if (mbedtls_hmac_drbg_seed_buf(&drbg, md, hash, sizeof hash) != 0)
		goto out;
	mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
	if (mbedtls_rsa_rsassa_pss_sign(rsa, mbedtls_hmac_drbg_random, &drbg, MBEDTLS_RSA_PRIVATE,
					MBEDTLS_MD_SHA256, 32, hash, sig) != 0)
		goto out;
	*sig_len = mbedtls_rsa_get_len(rsa);
	ret = 0;
out:
	mbedtls_hmac_drbg_free(&drbg);
	return ret;
}

/* --- one certificate ------------------------------------------------------------ */

static int mint_one(enum kind k, const struct opts *o, mbedtls_pk_context *pk, int alg,
		    const uint8_t kid[8])
{
	int ret = -1;
	static cw payload, prot, unprot, tbs, cose;
	uint8_t sig[512], *z = NULL;
	size_t sig_len = 0, zl = 0;
	char ci[96], path[4096], *text = NULL;
	dc_qrpng *q = NULL;
	uint8_t wrong_kid[8];

	memset(&payload, 0, sizeof payload);
	memset(&prot, 0, sizeof prot);
	memset(&unprot, 0, sizeof unprot);
	memset(&tbs, 0, sizeof tbs);
	memset(&cose, 0, sizeof cose);
	memcpy(wrong_kid, kid, 8);
	wrong_kid[0] ^= 0xff;
	if (o->ci)
		snprintf(ci, sizeof ci, "%s", o->ci);
	else
		snprintf(ci, sizeof ci, "URN:UVCI:01:%s:DEMO%s%lld#%c", o->co,
			 k == K_VAC ? "V" : k == K_TEST ? "T" : "R", o->iat, "VTR"[k]);

	/* CWT claims */
	cw_head(&payload, 5, 4);
	cw_int(&payload, 1);
	cw_text(&payload, o->iss);
	cw_int(&payload, 4);
	cw_int(&payload, o->exp);
	cw_int(&payload, 6);
	cw_int(&payload, o->iat);
	cw_int(&payload, -260);
	cw_head(&payload, 5, 1);
	cw_int(&payload, 1);
	write_dcc(&payload, k, o, ci);

	/* headers: where the kid goes is a test knob */
	const char *m = o->kid_mode;
	bool kid_prot = !strcmp(m, "protected") || !strcmp(m, "both") ||
			!strcmp(m, "both-wrong-unprotected") || !strcmp(m, "wrong-protected");
	bool kid_unprot = !strcmp(m, "unprotected") || !strcmp(m, "both") ||
			  !strcmp(m, "both-wrong-unprotected") || !strcmp(m, "wrong-protected");
	cw_head(&prot, 5, kid_prot ? 2 : 1);
	cw_int(&prot, 1);
	cw_int(&prot, alg);
	if (kid_prot) {
		cw_int(&prot, 4);
		cw_bstr(&prot, !strcmp(m, "wrong-protected") ? wrong_kid : kid, 8);
	}
	cw_head(&unprot, 5, kid_unprot ? 1 : 0);
	if (kid_unprot) {
		cw_int(&unprot, 4);
		cw_bstr(&unprot, !strcmp(m, "both-wrong-unprotected") ? wrong_kid : kid, 8);
	}

	/* Sig_structure */
	cw_head(&tbs, 4, 4);
	cw_text(&tbs, "Signature1");
	cw_bstr(&tbs, prot.b, prot.n);
	cw_bstr(&tbs, NULL, 0);
	cw_bstr(&tbs, payload.b, payload.n);
	if (payload.overflow || tbs.overflow)
		goto out;
	if (alg == -7) {
		if (dc_mint_es256_sign(pk, tbs.b, tbs.n, sig) != 0)
			goto out;
		sig_len = 64;
	} else if (sign_ps256(pk, tbs.b, tbs.n, sig, &sig_len) != 0) {
		fprintf(stderr, "doorcheck-mint: PS256 signing failed\n");
		goto out;
	}

	cw_head(&cose, 6, 18);
	cw_head(&cose, 4, 4);
	cw_bstr(&cose, prot.b, prot.n);
	cw_bytes(&cose, unprot.b, unprot.n);
	cw_bstr(&cose, payload.b, payload.n);
	cw_bstr(&cose, sig, sig_len);
	if (cose.overflow)
		goto out;

	const uint8_t *body = cose.b;
	size_t body_len = cose.n;
	if (o->compress) {
		if (dc_mint_deflate_zlib(cose.b, cose.n, &z, &zl) != 0)
			goto out;
		body = z;
		body_len = zl;
	}
	size_t cap = 4 + DC_BASE45_ENCODED_LEN(body_len) + 1;
	text = malloc(cap);
	if (!text)
		goto out;
	memcpy(text, "HC1:", 4);
	size_t tl = dc_base45_encode(body, body_len, text + 4, cap - 4);
	if (!tl)
		goto out;
	tl += 4;

	snprintf(path, sizeof path, "%s/%s-%s.txt", o->out, o->prefix, kind_names[k]);
	if (dc_mint_write_file(path, text, tl) != 0)
		goto out;
	if (o->png) {
		dc_qrpng_segment seg = {DC_QRPNG_MODE_AN, text, tl};
		q = dc_qrpng_new(&seg, 1, DC_QRPNG_ECC_Q);
		snprintf(path, sizeof path, "%s/%s-%s.png", o->out, o->prefix, kind_names[k]);
		if (!q || dc_qrpng_write(q, path, DC_QRPNG_DEFAULT_SCALE, DC_QRPNG_QUIET) != 0) {
			fprintf(stderr, "doorcheck-mint: cannot draw the QR code\n");
			goto out;
		}
	}
	printf("%s/%s-%s.txt%s\n", o->out, o->prefix, kind_names[k], o->png ? " (+ .png)" : "");
	ret = 0;
out:
	dc_qrpng_free(q);
	free(z);
	free(text);
	return ret;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: doorcheck-mint dcc --key KEY.pem --cert DSC.pem --out DIR [options]\n"
		"  --type v|t|r|all     which certificate(s) (default all)\n"
		"  --prefix NAME        file name prefix (default dcc)\n"
		"  --iat EPOCH          issued at (default now)\n"
		"  --exp EPOCH          expires (default iat + 365 days)\n"
		"  --kid-in MODE        protected (default), unprotected, both, none,\n"
		"                       both-wrong-unprotected, wrong-protected\n"
		"  --ci UVCI            certificate identifier (default a demo one)\n"
		"  --country CC         co and iss (default XX)\n"
		"  --no-png             text only\n"
		"  --no-compress        bare COSE (allowed by hcert, for tests)\n"
		"The key may be EC P-256 (ES256) or RSA (PS256). DEMO keys only.\n");
}

int dc_mint_dcc_main(int argc, char **argv)
{
	int ret = 1;
	struct opts o = {.prefix = "dcc", .kid_mode = "protected", .co = "XX", .iss = NULL,
			 .iat = -1, .exp = -1, .kinds = 7, .png = true, .compress = true};
	mbedtls_pk_context pk;
	mbedtls_x509_crt crt;
	uint8_t *buf = NULL, kid[32];
	size_t len;
	static const struct option lo[] = {
		{"key", 1, 0, 'k'}, {"cert", 1, 0, 'c'}, {"out", 1, 0, 'o'},
		{"type", 1, 0, 't'}, {"prefix", 1, 0, 'p'}, {"iat", 1, 0, 'i'},
		{"exp", 1, 0, 'e'}, {"kid-in", 1, 0, 'K'}, {"ci", 1, 0, 'u'},
		{"country", 1, 0, 'C'}, {"no-png", 0, 0, 'N'}, {"no-compress", 0, 0, 'Z'},
		{"help", 0, 0, 'h'}, {0, 0, 0, 0}};

	mbedtls_pk_init(&pk);
	mbedtls_x509_crt_init(&crt);
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'k': o.key = optarg; break;
		case 'c': o.cert = optarg; break;
		case 'o': o.out = optarg; break;
		case 'p': o.prefix = optarg; break;
		case 'K': o.kid_mode = optarg; break;
		case 'u': o.ci = optarg; break;
		case 'C': o.co = optarg; break;
		case 'N': o.png = false; break;
		case 'Z': o.compress = false; break;
		case 't':
			if (!strcmp(optarg, "v")) o.kinds = 1;
			else if (!strcmp(optarg, "t")) o.kinds = 2;
			else if (!strcmp(optarg, "r")) o.kinds = 4;
			else if (!strcmp(optarg, "all")) o.kinds = 7;
			else goto usage;
			break;
		case 'i':
			if (dc_mint_parse_epoch(optarg, &o.iat) != 0) goto usage;
			break;
		case 'e':
			if (dc_mint_parse_epoch(optarg, &o.exp) != 0) goto usage;
			break;
		case 'h':
			usage();
			ret = 0;
			goto out;
		default:
			goto usage;
		}
	}
	if (!o.key || !o.cert || !o.out || optind != argc)
		goto usage;
	static const char *const modes[] = {"protected", "unprotected", "both", "none",
					     "both-wrong-unprotected", "wrong-protected"};
	bool mode_ok = false;
	for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
		mode_ok |= !strcmp(o.kid_mode, modes[i]);
	if (!mode_ok)
		goto usage;
	o.iss = o.co;
	if (o.iat < 0)
		o.iat = (long long)time(NULL);
	if (o.exp < 0)
		o.exp = o.iat + 365LL * 86400;

	/* kid = SHA-256(DER of the DSC)[0..8] */
	if (dc_mint_read_file(o.cert, &buf, &len) != 0)
		goto out;
	if (mbedtls_x509_crt_parse(&crt, buf, len + 1) != 0 &&
	    mbedtls_x509_crt_parse_der(&crt, buf, len) != 0) {
		fprintf(stderr, "doorcheck-mint: cannot read certificate %s\n", o.cert);
		goto out;
	}
	dc_mint_sha256(crt.raw.p, crt.raw.len, kid);
	if (mbedtls_pk_parse_keyfile(&pk, o.key, NULL) != 0) {
		fprintf(stderr, "doorcheck-mint: cannot read private key %s\n", o.key);
		goto out;
	}
	int alg;
	if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA) {
		alg = -37;
	} else {
		/* ES256 goes through the shared helper, which insists on P-256. */
		mbedtls_pk_free(&pk);
		if (dc_mint_load_key(o.key, &pk) != 0)
			goto out;
		alg = -7;
	}
	if (mbedtls_pk_check_pair(&crt.pk, &pk) != 0) {
		fprintf(stderr, "doorcheck-mint: %s is not the key of %s\n", o.key, o.cert);
		goto out;
	}
	for (int k = 0; k < 3; k++)
		if ((o.kinds & (1 << k)) && mint_one((enum kind)k, &o, &pk, alg, kid) != 0)
			goto out;
	ret = 0;
	goto out;
usage:
	usage();
	ret = 2;
out:
	free(buf);
	mbedtls_x509_crt_free(&crt);
	mbedtls_pk_free(&pk);
	return ret;
}
