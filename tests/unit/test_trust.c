/*
 * Trust store: pinned keys (curve, thumbprint), revocation lists, the
 * signed VCI directory snapshot (California, New York), and cards that name
 * a real issuer but are signed by some other key.
 */
#include <stdlib.h>
#include <string.h>

#include "dc_b64.h"
#include "dc_shc.h"
#include "dc_test.h"
#include "dc_trust.h"
#include "dc_verify.h"
#include "forge.h"

#define CA_ISS "https://myvaccinerecord.cdph.ca.gov/creds"
#define NY_ISS "https://ekeys.ny.gov/epass/doh/dvc/2021"
#define NOW 1767225600.0

static char *shared(const char *rel, size_t *len)
{
	char *p = dc_test_read(dc_test_path("DC_SHARED", rel), len);
	if (!p) {
		fprintf(stderr, "missing shared data %s\n", rel);
		exit(77);
	}
	return p;
}

static dc_err add_issuer(dc_trust *t, const char *iss, const char *keys_json, const char *crls)
{
	char buf[8192];
	snprintf(buf, sizeof buf, "{\"issuer\":{\"iss\":\"%s\",\"name\":\"T\"},\"keys\":[%s]%s%s%s}",
		 iss, keys_json, crls ? ",\"crls\":[" : "", crls ? crls : "", crls ? "]" : "");
	return dc_trust_add_issuer_json(t, (uint8_t *)buf, strlen(buf));
}

static dc_err verify_jws(dc_trust *t, const char *jws, dc_record *r)
{
	char *num = forge_numeric(jws);
	dc_verify_opts o = {.trust = t, .now = NOW};
	dc_err e = dc_verify_text(&o, num, strlen(num), r);
	free(num);
	return e;
}

int main(void)
{
	forge_key demo, other, p384;
	if (forge_key_load(&demo, "keys/demo/shc-issuer.key.pem") != 0) {
		fprintf(stderr, "demo key missing\n");
		return 1;
	}
	CHECK_EQ_INT(forge_key_generate(&other, MBEDTLS_ECP_DP_SECP256R1), 0);
	CHECK_EQ_INT(forge_key_generate(&p384, MBEDTLS_ECP_DP_SECP384R1), 0);

	/* The committed demo issuer file loads and its kid is the thumbprint. */
	{
		size_t len;
		char *f = dc_test_read(dc_test_path("DC_SOURCE_ROOT", "keys/demo/demo.issuer.json"), &len);
		CHECK(f != NULL);
		dc_trust *t = dc_trust_new();
		CHECK_EQ_INT(dc_trust_add_issuer_json(t, (uint8_t *)f, len), DC_OK);
		const dc_issuer *i = dc_trust_find_issuer(t, DEMO_ISS);
		CHECK(i != NULL);
		CHECK(dc_issuer_find_key(i, demo.kid) != NULL);
		CHECK_STR(dc_issuer_name(i), "doorcheck demo issuer (not for real use)");
		free(f);
		dc_trust_free(t);
	}

	/* Key rules. */
	{
		dc_trust *t = dc_trust_new();
		char k[1024];
		CHECK_EQ_INT(add_issuer(t, DEMO_ISS, demo.jwk, NULL), DC_OK);
		CHECK_EQ_INT(add_issuer(t, "https://p384.example", p384.jwk, NULL), DC_E_KEY_CURVE);
		/* kid that is not the thumbprint: indexed under both ids and
		 * listed for the trust summary (issue 12), not refused */
		snprintf(k, sizeof k, "%s", other.jwk);
		memcpy(strstr(k, "\"kid\":\"") + 7, "AAAA", 4);
		CHECK_EQ_INT(add_issuer(t, "https://badkid.example", k, NULL), DC_OK);
		{
			const dc_issuer *bi = dc_trust_find_issuer(t, "https://badkid.example");
			const dc_key *bk = dc_issuer_find_key(bi, other.kid);
			char listed[64];
			memcpy(listed, "AAAA", 4);
			memcpy(listed + 4, other.kid + 4, strlen(other.kid + 4) + 1);
			CHECK(bk != NULL);
			CHECK(dc_issuer_find_key(bi, listed) == bk);
			CHECK_STR(dc_key_thumbprint(bk), other.kid);
			CHECK_STR(dc_key_listed_kid(bk), listed);
			CHECK_EQ_INT(dc_trust_kid_alias_count(t), 1);
			const char *ai, *al, *at;
			CHECK(dc_trust_kid_alias(t, 0, &ai, &al, &at));
			CHECK_STR(ai, "https://badkid.example");
			CHECK_STR(al, listed);
			CHECK_STR(at, other.kid);
			CHECK(!dc_trust_kid_alias(t, 1, &ai, &al, &at));
			/* the demo issuer's keys are not the badkid issuer's */
			CHECK(dc_issuer_find_key(bi, demo.kid) == NULL);
			CHECK(dc_issuer_find_key(dc_trust_find_issuer(t, DEMO_ISS), listed) == NULL);
		}
		/* kid is optional in a JWK; one that cannot be a card's key id
		 * adds no id: both load, known by thumbprint only */
		{
			dc_trust *t4 = dc_trust_new();
			char nokid[1024];
			const char *kp = strstr(other.jwk, "\"kid\":\"");
			const char *ke = strchr(kp + 7, '"') + 2; /* past `",` */
			snprintf(nokid, sizeof nokid, "%.*s%s", (int)(kp - other.jwk), other.jwk, ke);
			CHECK(strstr(nokid, "kid") == NULL);
			CHECK_EQ_INT(add_issuer(t4, "https://nokid.example", nokid, NULL), DC_OK);
			CHECK(dc_issuer_find_key(dc_trust_find_issuer(t4, "https://nokid.example"), other.kid) != NULL);
			char *odd = forge_jwk_with_kid(&demo, "key 1 (2021)");
			CHECK_EQ_INT(add_issuer(t4, DEMO_ISS, odd, NULL), DC_OK);
			CHECK(dc_issuer_find_key(dc_trust_find_issuer(t4, DEMO_ISS), demo.kid) != NULL);
			CHECK(dc_issuer_find_key(dc_trust_find_issuer(t4, DEMO_ISS), "key 1 (2021)") == NULL);
			CHECK_EQ_INT(dc_trust_kid_alias_count(t4), 0);
			free(odd);
			dc_trust_free(t4);
		}
		/* a listed kid naming another key of the same issuer is refused:
		 * a kid must lead to one key only */
		{
			char two[2048], alias[1024];
			snprintf(alias, sizeof alias, "%s", other.jwk);
			memcpy(strstr(alias, "\"kid\":\"") + 7, demo.kid, strlen(demo.kid));
			snprintf(two, sizeof two, "%s,%s", demo.jwk, alias);
			CHECK_EQ_INT(add_issuer(t, "https://clash.example", two, NULL), DC_E_KEY_KID);
			CHECK(dc_trust_find_issuer(t, "https://clash.example") == NULL);
		}
		CHECK_EQ_INT(add_issuer(t, "https://rsa.example",
					"{\"kty\":\"RSA\",\"kid\":\"x\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", NULL),
			     DC_E_KEY_CURVE);
		CHECK_EQ_INT(add_issuer(t, "https://nox.example",
					"{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"x\",\"y\":\"AA\"}", NULL),
			     DC_E_KEY_INVALID);
		/* point not on the curve: flip a bit of y, then fix the kid */
		{
			dc_trust *t2 = dc_trust_new();
			char bad[1024];
			snprintf(bad, sizeof bad, "%s", other.jwk);
			char *y = strstr(bad, "\"y\":\"") + 5;
			y[3] = y[3] == 'A' ? 'B' : 'A';
			CHECK(add_issuer(t2, "https://offcurve.example", bad, NULL) != DC_OK);
			dc_trust_free(t2);
		}
		/* a coordinate with a sign byte (33 bytes, leading zero) is the
		 * same integer: the key loads (its kid, the thumbprint of the
		 * listed strings, is kept) and verifies the demo key's cards */
		{
			char jwk[1024], x33[64];
			uint8_t raw[40] = {0};
			size_t n;
			const char *x = strstr(demo.jwk, "\"x\":\"") + 5;
			CHECK(dc_b64url_decode(x, (size_t)(strchr(x, '"') - x), raw + 1, 32, &n) && n == 32);
			dc_b64url_encode(raw, 33, x33, sizeof x33);
			snprintf(jwk, sizeof jwk, "%.*s%s%s", (int)(x - demo.jwk), demo.jwk, x33, strchr(x, '"'));
			dc_trust *t3 = dc_trust_new();
			CHECK_EQ_INT(add_issuer(t3, DEMO_ISS, jwk, NULL), DC_OK);
			char *p3 = forge_payload(DEMO_ISS, 1700000000, 0, NULL);
			char *j3 = forge_jws(&demo, NULL, p3, 0);
			dc_record r3;
			CHECK_EQ_INT(verify_jws(t3, j3, &r3), DC_OK);
			dc_record_wipe(&r3);
			free(p3);
			free(j3);
			/* 33 bytes that do not start with zero: too large, refused */
			raw[0] = 1;
			dc_b64url_encode(raw, 33, x33, sizeof x33);
			snprintf(jwk, sizeof jwk, "%.*s%s%s", (int)(x - demo.jwk), demo.jwk, x33, strchr(x, '"'));
			CHECK_EQ_INT(add_issuer(t3, "https://big.example", jwk, NULL), DC_E_KEY_INVALID);
			dc_trust_free(t3);
		}
		/* issuer URL rules */
		CHECK_EQ_INT(add_issuer(t, "http://plain.example", other.jwk, NULL), DC_E_TRUST_FORMAT);
		CHECK_EQ_INT(add_issuer(t, "https://slash.example/", other.jwk, NULL), DC_E_TRUST_FORMAT);
		/* nothing from a failed file was added */
		CHECK(dc_trust_find_issuer(t, "https://p384.example") == NULL);
		CHECK_EQ_INT(dc_trust_issuer_count(t), 2); /* demo and badkid */
		/* bad CRLs */
		char crl[256];
		snprintf(crl, sizeof crl, "{\"kid\":\"%s\",\"method\":\"rid\",\"ctr\":1,\"rids\":[\"a b\"]}", demo.kid);
		CHECK_EQ_INT(dc_trust_add_crl(t, DEMO_ISS, (uint8_t *)crl, strlen(crl)), DC_E_CRL_INVALID);
		snprintf(crl, sizeof crl, "{\"kid\":\"%s\",\"method\":\"rid\",\"rids\":[\"abc.12x\"]}", demo.kid);
		CHECK_EQ_INT(dc_trust_add_crl(t, DEMO_ISS, (uint8_t *)crl, strlen(crl)), DC_E_CRL_INVALID);
		snprintf(crl, sizeof crl, "{\"kid\":\"%s\",\"method\":\"other\",\"rids\":[]}", demo.kid);
		CHECK_EQ_INT(dc_trust_add_crl(t, DEMO_ISS, (uint8_t *)crl, strlen(crl)), DC_E_CRL_INVALID);
		CHECK_EQ_INT(dc_trust_add_crl(t, "https://unknown.example", (uint8_t *)"{}", 2), DC_E_ISSUER_UNTRUSTED);
		CHECK_EQ_INT(dc_trust_add_issuer_json(t, (uint8_t *)"[1,2", 4), DC_E_TRUST_FORMAT);
		CHECK_EQ_INT(dc_trust_add_issuer_json(t, (uint8_t *)"{}", 2), DC_E_TRUST_FORMAT);

		/* Revocation: bare rid, rid.timestamp before/after nbf. */
		snprintf(crl, sizeof crl, "{\"kid\":\"%s\",\"method\":\"rid\",\"ctr\":2,\"rids\":"
			 "[\"AAAAAAAAAAA\",\"BBBBBBBBBBB.1600000000\"]}", demo.kid);
		CHECK_EQ_INT(dc_trust_add_crl(t, DEMO_ISS, (uint8_t *)crl, strlen(crl)), DC_OK);
		dc_record r;
		char *p, *jws;
		p = forge_payload(DEMO_ISS, 1500000000, 0, "AAAAAAAAAAA");
		jws = forge_jws(&demo, NULL, p, 0);
		CHECK_EQ_INT(verify_jws(t, jws, &r), DC_E_REVOKED);
		free(p); free(jws);
		p = forge_payload(DEMO_ISS, 1599999999.5, 0, "BBBBBBBBBBB");
		jws = forge_jws(&demo, NULL, p, 0);
		CHECK_EQ_INT(verify_jws(t, jws, &r), DC_E_REVOKED); /* issued before */
		free(p); free(jws);
		p = forge_payload(DEMO_ISS, 1600000000, 0, "BBBBBBBBBBB");
		jws = forge_jws(&demo, NULL, p, 0);
		CHECK_EQ_INT(verify_jws(t, jws, &r), DC_OK); /* re-issued at/after */
		free(p); free(jws);
		p = forge_payload(DEMO_ISS, 1500000000, 0, "CCCCCCCCCCC");
		jws = forge_jws(&demo, NULL, p, 0);
		CHECK_EQ_INT(verify_jws(t, jws, &r), DC_OK);
		free(p); free(jws);
		/* a CRL only applies to cards signed with its kid */
		CHECK(!dc_issuer_rid_revoked(dc_trust_find_issuer(t, DEMO_ISS), other.kid, "AAAAAAAAAAA", 0));
		dc_record_wipe(&r);
		dc_trust_free(t);
	}

	/* The signed VCI snapshot. */
	size_t jl, sl, cl;
	char *json = shared("trust/vci/vci_snapshot.json", &jl);
	char *sig = shared("trust/vci/vci_snapshot.sig", &sl);
	char *crt = shared("trust/vci/vci_snapshot.crt", &cl);
	{
		dc_trust *t = dc_trust_new();
		size_t skipped = 0;
		CHECK_EQ_INT(dc_trust_add_vci_snapshot(t, (uint8_t *)json, jl, (uint8_t *)sig, sl,
						       (uint8_t *)crt, cl, DC_VCI_PINNED_CERT_SHA256, &skipped), DC_OK);
		printf("VCI snapshot: %zu issuers, %zu keys skipped\n", dc_trust_issuer_count(t), skipped);
		CHECK(dc_trust_issuer_count(t) > 600);
		CHECK(dc_trust_data_time(t) == 1787373830); /* 2026-08-22T04:43:50Z */
		const dc_issuer *ca = dc_trust_find_issuer(t, CA_ISS);
		const dc_issuer *ny = dc_trust_find_issuer(t, NY_ISS);
		CHECK(ca != NULL);
		CHECK(ny != NULL);
		CHECK_STR(dc_issuer_name(ca), "State of California");
		CHECK_STR(dc_issuer_name(ny), "State of New York");
		CHECK(dc_issuer_find_key(ca, "7JvktUpf1_9NPwdM-70FJT3YdyTiSe2IvmVxxgDSRb0") != NULL);
		CHECK(dc_issuer_find_key(ny, "9ENs36Gsu-GmkWIyIH9XCozU9BFhLeaXvwrT3B97Wok") != NULL);
		/* CA's kid is not NY's: keys are per issuer */
		CHECK(dc_issuer_find_key(ny, "7JvktUpf1_9NPwdM-70FJT3YdyTiSe2IvmVxxgDSRb0") == NULL);
		CHECK(dc_trust_find_issuer(t, CA_ISS "/") == NULL);

		/* Cards naming CA or NY but signed by another key never verify. */
		const char *isses[] = {CA_ISS, NY_ISS};
		const char *real_kids[] = {"7JvktUpf1_9NPwdM-70FJT3YdyTiSe2IvmVxxgDSRb0",
					   "9ENs36Gsu-GmkWIyIH9XCozU9BFhLeaXvwrT3B97Wok"};
		for (int i = 0; i < 2; i++) {
			dc_record r;
			char *p = forge_payload(isses[i], 1700000000, 0, NULL);
			/* own kid: not one of the issuer's keys */
			char *jws = forge_jws(&other, NULL, p, 0);
			CHECK_EQ_INT(verify_jws(t, jws, &r), DC_E_KID_UNKNOWN);
			CHECK_EQ_INT(r.verdict, DC_VERDICT_NOT_VERIFIED);
			CHECK_STR(r.name, "");
			free(jws);
			/* the issuer's real kid, our signature */
			char hdr[200];
			snprintf(hdr, sizeof hdr, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", real_kids[i]);
			jws = forge_jws(&other, hdr, p, 0);
			CHECK_EQ_INT(verify_jws(t, jws, &r), DC_E_SIG_MISMATCH);
			CHECK_EQ_INT(r.verdict, DC_VERDICT_NOT_VERIFIED);
			free(jws);
			/* the other state's kid */
			snprintf(hdr, sizeof hdr, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", real_kids[1 - i]);
			jws = forge_jws(&other, hdr, p, 0);
			CHECK_EQ_INT(verify_jws(t, jws, &r), DC_E_KID_UNKNOWN);
			free(jws);
			free(p);
		}
		dc_trust_free(t);
	}
	/* Tampered snapshot: any changed byte, refused, store untouched. */
	{
		size_t offs[] = {0, 100, jl / 2, jl - 2};
		for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
			dc_trust *t = dc_trust_new();
			json[offs[i]] ^= 0x01;
			CHECK_EQ_INT(dc_trust_add_vci_snapshot(t, (uint8_t *)json, jl, (uint8_t *)sig, sl,
							       (uint8_t *)crt, cl, DC_VCI_PINNED_CERT_SHA256, NULL),
				     DC_E_TRUST_SIGNATURE);
			json[offs[i]] ^= 0x01;
			CHECK_EQ_INT(dc_trust_issuer_count(t), 0);
			dc_trust_free(t);
		}
		dc_trust *t = dc_trust_new();
		/* truncated */
		CHECK_EQ_INT(dc_trust_add_vci_snapshot(t, (uint8_t *)json, jl - 1, (uint8_t *)sig, sl,
						       (uint8_t *)crt, cl, DC_VCI_PINNED_CERT_SHA256, NULL),
			     DC_E_TRUST_SIGNATURE);
		/* signature corrupted */
		sig[20] ^= 0x40;
		CHECK_EQ_INT(dc_trust_add_vci_snapshot(t, (uint8_t *)json, jl, (uint8_t *)sig, sl,
						       (uint8_t *)crt, cl, DC_VCI_PINNED_CERT_SHA256, NULL),
			     DC_E_TRUST_SIGNATURE);
		sig[20] ^= 0x40;
		/* a certificate that is not the pinned one */
		CHECK_EQ_INT(dc_trust_add_vci_snapshot(t, (uint8_t *)json, jl, (uint8_t *)sig, sl,
						       (uint8_t *)crt, cl,
						       "0000000000000000000000000000000000000000000000000000000000000000", NULL),
			     DC_E_TRUST_SIGNER);
		/* no signature at all */
		CHECK(dc_trust_add_vci_snapshot(t, (uint8_t *)json, jl, (uint8_t *)"", 0,
						(uint8_t *)crt, cl, DC_VCI_PINNED_CERT_SHA256, NULL) != DC_OK);
		CHECK_EQ_INT(dc_trust_issuer_count(t), 0);
		dc_trust_free(t);
	}
	free(json);
	free(sig);
	free(crt);
	forge_key_free(&demo);
	forge_key_free(&other);
	forge_key_free(&p384);
	return dc_test_done();
}
