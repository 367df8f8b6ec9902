/*
 * dc_bundle_open on good and malformed bundles: every malformed case is
 * signed with the operator key, so it is the parser (not the signature)
 * that must refuse it; and every byte change or truncation of a good bundle
 * must fail the signature.
 */
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>

#include "bundle_sign.h"
#include "dc_bundle.h"
#include "dc_test.h"

static const char *op_key, *other_key;
static uint8_t *op_pub;
static size_t op_pub_len;

/* Opens json signed with the operator key, checked with the operator pin. */
static dc_err open_signed(const char *json, size_t len, dc_bundle **b)
{
	uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	size_t sl = bs_sign(op_key, json, len, sig);
	CHECK(sl > 0);
	return dc_bundle_open((const uint8_t *)json, len, sig, sl, op_pub, op_pub_len, b);
}

/* A bundle whose top-level members are `head` and whose files array holds
 * `files`, signed and opened; returns the reason. */
static dc_err try_doc(const char *head, const char *files)
{
	size_t cap = strlen(head) + strlen(files) + 64;
	char *doc = malloc(cap);
	if (!doc)
		return DC_E_NOMEM;
	snprintf(doc, cap, "{%s,\"files\":[%s]}", head, files);
	dc_bundle *b = (dc_bundle *)1;
	dc_err e = open_signed(doc, strlen(doc), &b);
	CHECK(e == DC_OK ? b != NULL : b == NULL);
	dc_bundle_free(b);
	free(doc);
	return e;
}

#define HEAD "\"format\":\"doorcheck-trust-bundle\",\"version\":7,\"created\":\"2026-01-01T00:00:00Z\""

static dc_err try_entry(const char *name, const char *data, const char *hash_of)
{
	char *e1 = bs_entry(name, data, hash_of);
	if (!e1)
		return DC_E_NOMEM;
	dc_err e = try_doc(HEAD, e1);
	free(e1);
	return e;
}

static void test_good(void)
{
	const char *names[] = { "a.issuer.json", "b.dsc.pem", "empty.dsc.der" };
	const uint8_t *data[] = { (const uint8_t *)"{\"x\":1}", (const uint8_t *)"hello\n", NULL };
	size_t lens[] = { 7, 6, 0 };
	char *json;
	size_t jl;
	dc_bundle *b = NULL;

	CHECK_EQ_INT(dc_bundle_build(42, 1767225600, 3, names, data, lens, &json, &jl), DC_OK);
	CHECK_EQ_INT(strlen(json), jl);
	CHECK_EQ_INT(open_signed(json, jl, &b), DC_OK);
	CHECK(b != NULL);
	CHECK_EQ_INT(dc_bundle_version(b), 42);
	CHECK_EQ_INT(dc_bundle_created(b), 1767225600);
	CHECK_EQ_INT(dc_bundle_count(b), 3);
	for (size_t i = 0; b && i < 3; i++) {
		const char *n;
		const uint8_t *d;
		size_t l;
		CHECK_EQ_INT(dc_bundle_file(b, i, &n, &d, &l), DC_OK);
		CHECK_STR(n, names[i]);
		CHECK_EQ_INT(l, lens[i]);
		CHECK(l == 0 || memcmp(d, data[i], l) == 0);
	}
	CHECK_EQ_INT(dc_bundle_file(b, 3, NULL, NULL, NULL), DC_E_ARG);
	dc_bundle_free(b);

	/* The same bytes with a DER pin. */
	mbedtls_pk_context pk;
	uint8_t der[256];
	mbedtls_pk_init(&pk);
	CHECK(mbedtls_pk_parse_keyfile(&pk, op_key, NULL) == 0);
	int w = mbedtls_pk_write_pubkey_der(&pk, der, sizeof der);
	CHECK(w > 0);
	mbedtls_pk_free(&pk);
	uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	size_t sl = bs_sign(op_key, json, jl, sig);
	b = NULL;
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)json, jl, sig, sl, der + sizeof der - w, (size_t)w, &b),
		     DC_OK);
	dc_bundle_free(b);

	/* Signature problems. */
	b = (dc_bundle *)1;
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)json, jl, NULL, 0, op_pub, op_pub_len, &b),
		     DC_E_BUNDLE_SIGNATURE);
	CHECK(b == NULL);
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)json, jl, sig, sl - 1, op_pub, op_pub_len, &b),
		     DC_E_BUNDLE_SIGNATURE);
	uint8_t longer[MBEDTLS_PK_SIGNATURE_MAX_SIZE + 1];
	memcpy(longer, sig, sl);
	longer[sl] = 0;
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)json, jl, longer, sl + 1, op_pub, op_pub_len, &b),
		     DC_E_BUNDLE_SIGNATURE);
	uint8_t other[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	size_t ol = bs_sign(other_key, json, jl, other);
	CHECK(ol > 0);
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)json, jl, other, ol, op_pub, op_pub_len, &b),
		     DC_E_BUNDLE_SIGNATURE);

	/* Every changed byte and every truncation fails. */
	int opened = 0;
	for (size_t i = 0; i < jl; i++) {
		json[i] ^= 0x01;
		if (dc_bundle_open((uint8_t *)json, jl, sig, sl, op_pub, op_pub_len, &b) == DC_OK)
			opened++;
		dc_bundle_free(b);
		json[i] ^= 0x01;
	}
	CHECK_EQ_INT(opened, 0);
	for (size_t n = 0; n < jl; n++) {
		if (dc_bundle_open((uint8_t *)json, n, sig, sl, op_pub, op_pub_len, &b) == DC_OK)
			opened++;
		dc_bundle_free(b);
	}
	CHECK_EQ_INT(opened, 0);
	/* Unsigned truncations too, up to the closing bracket of the object. */
	size_t end = (size_t)(strrchr(json, '}') - json) + 1;
	for (size_t n = 0; n < end; n++) {
		if (dc_bundle_parse_unsigned((uint8_t *)json, n, &b) == DC_OK)
			opened++;
		dc_bundle_free(b);
	}
	CHECK_EQ_INT(opened, 0);
	CHECK_EQ_INT(dc_bundle_parse_unsigned((uint8_t *)json, end, &b), DC_OK);
	dc_bundle_free(b);
	free(json);
}

/* A freshly made key in PEM (SubjectPublicKeyInfo). */
static size_t gen_pub(mbedtls_pk_type_t type, mbedtls_ecp_group_id grp, char *pem, size_t cap)
{
	mbedtls_pk_context pk;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	size_t n = 0;
	mbedtls_pk_init(&pk);
	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent, NULL, 0) == 0 &&
	    mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(type)) == 0 &&
	    mbedtls_ecp_gen_key(grp, mbedtls_pk_ec(pk), mbedtls_ctr_drbg_random, &drbg) == 0 &&
	    mbedtls_pk_write_pubkey_pem(&pk, (unsigned char *)pem, cap) == 0)
		n = strlen(pem);
	mbedtls_pk_free(&pk);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&ent);
	return n;
}

static void test_pins(void)
{
	const char *doc = "{" HEAD ",\"files\":[]}";
	uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	size_t sl = bs_sign(op_key, doc, strlen(doc), sig);
	char pem[2048];
	dc_bundle *b;

	size_t n = gen_pub(MBEDTLS_PK_ECKEY, MBEDTLS_ECP_DP_SECP384R1, pem, sizeof pem);
	CHECK(n > 0);
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)doc, strlen(doc), sig, sl, (uint8_t *)pem, n, &b),
		     DC_E_BUNDLE_OPERATOR_KEY);
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)doc, strlen(doc), sig, sl, (uint8_t *)"junk", 4, &b),
		     DC_E_BUNDLE_OPERATOR_KEY);
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)doc, strlen(doc), sig, sl, NULL, 0, &b),
		     DC_E_BUNDLE_OPERATOR_KEY);
	/* A private key file is not a pin. */
	size_t kl;
	char *priv = dc_test_read(op_key, &kl);
	CHECK(priv != NULL);
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)doc, strlen(doc), sig, sl, (uint8_t *)priv, kl, &b),
		     DC_E_BUNDLE_OPERATOR_KEY);
	free(priv);
	CHECK_EQ_INT(dc_bundle_open((uint8_t *)doc, strlen(doc), sig, sl, op_pub, op_pub_len, NULL),
		     DC_E_ARG);
}

static void test_malformed(void)
{
	const char *ok = "{\"x\":1}";
	char *e1 = bs_entry("a.issuer.json", ok, ok);
	char *e2 = bs_entry("b.dsc.pem", "pem", "pem");
	CHECK(e1 && e2);
	if (!e1 || !e2) {
		free(e1);
		free(e2);
		return;
	}

	CHECK_EQ_INT(try_doc(HEAD, e1), DC_OK);

	/* top level */
	CHECK_EQ_INT(try_doc("\"format\":\"doorcheck-trust-bundle-2\",\"version\":7,\"created\":\"2026-01-01T00:00:00Z\"", e1), DC_E_BUNDLE_FORMAT);
	CHECK_EQ_INT(try_doc("\"version\":7,\"created\":\"2026-01-01T00:00:00Z\"", e1), DC_E_BUNDLE_FORMAT);
	const char *versions[] = { "0", "-1", "1.5", "\"7\"", "null", "9007199254740992", "1e300", "true" };
	for (size_t i = 0; i < sizeof versions / sizeof *versions; i++) {
		char head[256];
		snprintf(head, sizeof head, "\"format\":\"doorcheck-trust-bundle\",\"version\":%s,"
			 "\"created\":\"2026-01-01T00:00:00Z\"", versions[i]);
		CHECK_MSG(try_doc(head, e1) == DC_E_BUNDLE_FORMAT, "version %s", versions[i]);
	}
	CHECK_EQ_INT(try_doc("\"format\":\"doorcheck-trust-bundle\",\"created\":\"2026-01-01T00:00:00Z\"", e1), DC_E_BUNDLE_FORMAT);
	const char *times[] = { "2026-01-01", "2026-01-01T00:00:00+01:00", "2026-02-30T00:00:00Z",
				"2026-01-01T00:00:00.5Z", "2026-01-01 00:00:00Z", "@1767225600",
				"2026-01-01T24:00:00Z", "" };
	for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
		char head[256];
		snprintf(head, sizeof head, "\"format\":\"doorcheck-trust-bundle\",\"version\":7,"
			 "\"created\":\"%s\"", times[i]);
		CHECK_MSG(try_doc(head, e1) == DC_E_BUNDLE_FORMAT, "created %s", times[i]);
	}
	CHECK_EQ_INT(try_doc(HEAD ",\"version\":8", e1), DC_E_BUNDLE_FORMAT); /* repeated member */
	CHECK_EQ_INT(try_doc(HEAD ",\"comment\":\"later formats may add members\"", e1), DC_OK);
	char many[1024] = HEAD;
	for (int i = 0; i < 20; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), ",\"m%d\":0", i);
	CHECK_EQ_INT(try_doc(many, e1), DC_E_BUNDLE_FORMAT);
	CHECK_EQ_INT(try_doc(HEAD, ""), DC_E_BUNDLE_FORMAT); /* no files */
	CHECK_EQ_INT(try_doc(HEAD, "1"), DC_E_BUNDLE_FORMAT);
	CHECK_EQ_INT(try_doc(HEAD, "{}"), DC_E_BUNDLE_FORMAT);

	dc_bundle *b = (dc_bundle *)1;
	const char *docs[] = { "[]", "null", "\"x\"", "{}", "{" HEAD ",\"files\":{}}",
			       "{" HEAD ",\"files\":[]} trailing" };
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
		CHECK_MSG(open_signed(docs[i], strlen(docs[i]), &b) == DC_E_BUNDLE_FORMAT, "%s", docs[i]);
	CHECK(b == NULL);
	char *trail = malloc(strlen(e1) + 256);
	if (trail) {
		sprintf(trail, "{" HEAD ",\"files\":[%s]}\n \t", e1);
		CHECK_EQ_INT(open_signed(trail, strlen(trail), &b), DC_OK);
		dc_bundle_free(b);
		strcat(trail, "x");
		CHECK_EQ_INT(open_signed(trail, strlen(trail), &b), DC_E_BUNDLE_FORMAT);
		sprintf(trail, "{" HEAD ",\"files\":[%s]}{}", e1);
		CHECK_EQ_INT(open_signed(trail, strlen(trail), &b), DC_E_BUNDLE_FORMAT);
		free(trail);
	}

	/* files */
	CHECK_EQ_INT(try_entry("../x", ok, ok), DC_E_BUNDLE_FILE_NAME);
	CHECK_EQ_INT(try_entry(".hidden", ok, ok), DC_E_BUNDLE_FILE_NAME);
	CHECK_EQ_INT(try_entry("a/b", ok, ok), DC_E_BUNDLE_FILE_NAME);
	CHECK_EQ_INT(try_entry("", ok, ok), DC_E_BUNDLE_FILE_NAME);
	CHECK_EQ_INT(try_entry("a b", ok, ok), DC_E_BUNDLE_FILE_NAME);
	CHECK_EQ_INT(try_entry("a\\\\b", ok, ok), DC_E_BUNDLE_FILE_NAME);
	CHECK_EQ_INT(try_entry("caf\xc3\xa9.issuer.json", ok, ok), DC_E_BUNDLE_FILE_NAME);
	char name[128];
	memset(name, 'n', 101);
	name[101] = 0;
	CHECK_EQ_INT(try_entry(name, ok, ok), DC_E_BUNDLE_FILE_NAME);
	name[100] = 0;
	CHECK_EQ_INT(try_entry(name, ok, ok), DC_OK);
	CHECK_EQ_INT(try_entry("a.issuer.json", ok, "something else"), DC_E_BUNDLE_FILE_HASH);

	char files[4096];
	snprintf(files, sizeof files, "%s,%s", e1, e2);
	CHECK_EQ_INT(try_doc(HEAD, files), DC_OK);
	snprintf(files, sizeof files, "%s,%s,%s", e1, e2, e1);
	CHECK_EQ_INT(try_doc(HEAD, files), DC_E_BUNDLE_FILE_NAME); /* twice */

	/* hand-written entries: bad hash spelling, bad base64, missing parts */
	char hex[65], up[65];
	bs_hex(ok, strlen(ok), hex);
	for (int i = 0; i < 65; i++)
		up[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 32 : hex[i]);
	const char *b64 = "eyJ4IjoxfQ=="; /* {"x":1} */
	struct { const char *fmt; const char *arg; dc_err want; } cases[] = {
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\",\"data\":\"eyJ4IjoxfQ==\"}", hex, DC_OK },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\",\"data\":\"eyJ4IjoxfQ==\"}", up, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%.63s\",\"data\":\"eyJ4IjoxfQ==\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\",\"data\":\"eyJ4Ijox fQ==\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\",\"data\":\"eyJ4IjoxfQ\\n==\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\",\"data\":\"eyJ4IjoxfQ\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\",\"data\":\"eyJ4Ijox=Q==\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\",\"data\":\"eyJ4-joxfQ==\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\",\"data\":\"eyJ4IjoxfQ===\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\",\"data\":1}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"sha256\":\"%s\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"sha256\":\"%s\",\"data\":\"eyJ4IjoxfQ==\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":7,\"sha256\":\"%s\",\"data\":\"eyJ4IjoxfQ==\"}", hex, DC_E_BUNDLE_FORMAT },
		{ "{\"name\":\"a.issuer.json\",\"name\":\"b.dsc.pem\",\"sha256\":\"%s\",\"data\":\"eyJ4IjoxfQ==\"}", hex, DC_E_BUNDLE_FORMAT },
	};
	(void)b64;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char entry[512];
		snprintf(entry, sizeof entry, cases[i].fmt, cases[i].arg);
		dc_err e = try_doc(HEAD, entry);
		CHECK_MSG(e == cases[i].want, "case %zu: %s -> %s", i, entry, dc_err_code(e));
	}

	/* 64 files open, 65 do not. */
	size_t cap = 66 * 200;
	char *list = calloc(1, cap);
	CHECK(list != NULL);
	if (!list)
		return;
	for (int i = 0; i < 65; i++) {
		char nm[32];
		snprintf(nm, sizeof nm, "f%02d.dsc.pem", i);
		char *en = bs_entry(nm, "x", "x");
		if (!en)
			break;
		if (i == 64)
			CHECK_EQ_INT(try_doc(HEAD, list), DC_OK);
		snprintf(list + strlen(list), cap - strlen(list), "%s%s", i ? "," : "", en);
		free(en);
	}
	CHECK_EQ_INT(try_doc(HEAD, list), DC_E_BUNDLE_FORMAT);
	free(list);

	/* Larger than allowed: refused for size before anything is read. */
	size_t big = DC_BUNDLE_MAX_JSON + 1;
	uint8_t *huge = calloc(1, big);
	uint8_t sig[8] = { 0 };
	CHECK(huge != NULL);
	CHECK_EQ_INT(dc_bundle_open(huge, big, sig, sizeof sig, op_pub, op_pub_len, &b), DC_E_BUNDLE_TOO_LARGE);
	CHECK_EQ_INT(dc_bundle_parse_unsigned(huge, big, &b), DC_E_BUNDLE_TOO_LARGE);
	free(huge);

	free(e1);
	free(e2);
}

static void test_build(void)
{
	const uint8_t *data[] = { (const uint8_t *)"x", (const uint8_t *)"y" };
	size_t lens[] = { 1, 1 };
	char *json = NULL;
	size_t jl;
	const char *bad[] = { "../x", ".hidden", "a/b", "", "a b" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *names[] = { "ok.dsc.pem", bad[i] };
		CHECK_MSG(dc_bundle_build(1, 0, 2, names, data, lens, &json, &jl) == DC_E_BUNDLE_FILE_NAME,
			  "%s", bad[i]);
		CHECK(json == NULL);
	}
	const char *dup[] = { "x.dsc.pem", "x.dsc.pem" };
	CHECK_EQ_INT(dc_bundle_build(1, 0, 2, dup, data, lens, &json, &jl), DC_E_BUNDLE_FILE_NAME);
	const char *names[] = { "x.dsc.pem", "y.dsc.pem" };
	CHECK_EQ_INT(dc_bundle_build(0, 0, 2, names, data, lens, &json, &jl), DC_E_ARG);
	CHECK_EQ_INT(dc_bundle_build(1, 0, 0, names, data, lens, &json, &jl), DC_E_ARG);
	CHECK_EQ_INT(dc_bundle_build(1, 0, 2, names, data, lens, &json, &jl), DC_OK);
	free(json);

	CHECK(dc_bundle_name_ok("demo.issuer.json"));
	CHECK(dc_bundle_name_ok("a"));
	CHECK(!dc_bundle_name_ok(".."));
	CHECK(!dc_bundle_name_ok(NULL));

	dc_bundle_free(NULL);
	CHECK_EQ_INT(dc_bundle_version(NULL), 0);
	CHECK_EQ_INT(dc_bundle_count(NULL), 0);
	CHECK_STR(dc_err_code(DC_E_BUNDLE_OLDER), "bundle_older");
	CHECK_STR(dc_verdict_code(dc_err_verdict(DC_E_BUNDLE_SIGNATURE)), "not_verified");
}

int main(void)
{
	op_key = dc_test_path("DC_SOURCE_ROOT", "keys/demo/operator.key.pem");
	other_key = dc_test_path("DC_SOURCE_ROOT", "keys/demo/shc-untrusted.key.pem");
	op_pub = (uint8_t *)dc_test_read(dc_test_path("DC_SOURCE_ROOT", "keys/demo/operator.pub.pem"),
					 &op_pub_len);
	CHECK(op_pub != NULL);
	if (!op_pub)
		return dc_test_done();
	test_good();
	test_pins();
	test_malformed();
	test_build();
	free(op_pub);
	return dc_test_done();
}
