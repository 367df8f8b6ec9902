/*
 * Checks the demo cards that doorcheck-mint writes at build time, with
 * mbedTLS, zlib, cJSON, libpng and ZBar directly (independent of app/core):
 * numeric encoding, JWS header, ES256 signature against the JWK in
 * keys/demo/demo.issuer.json, payload content for each card, that each PNG
 * scans back to exactly its text line, the RFC 7638 kid, and that minting
 * twice with the same --now gives identical bytes.
 *
 * usage: test_demo_cards DEMO_DIR MINT_EXE   (keys from $DC_SOURCE_ROOT)
 */
#include "dc_test.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include "dc_hash.h"
#include <png.h>
#include <zbar.h>
#include <zlib.h>

#define NOW 1767225600LL /* the fixed --now of tools/demo/meson.build */
#define DAY 86400LL
#define DEMO_ISS "https://demo.doorcheck.invalid/issuer"
#define MAX_LINES 8
#define MAX_JWS 8192
#define MAX_PAYLOAD (64 * 1024)
#define MAX_PNG_SIDE 4096

static const char *demo_dir;
static const char *mint_exe;
static char demo_kid[64], untrusted_kid[64];
/* demo_xy: from the JWK in demo.issuer.json; pem_xy: from the private key. */
static uint8_t demo_xy[64], pem_xy[64], untrusted_xy[64];
static cJSON *issuer_file;

/* --- small independent decoders ----------------------------------------- */

static int b64url_val(char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '-') return 62;
	if (c == '_') return 63;
	return -1;
}

static bool b64url_dec(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	if (len % 4 == 1)
		return false;
	for (size_t i = 0; i < len; i++) {
		int v = b64url_val(in[i]);
		if (v < 0)
			return false;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return false;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	*out_len = o;
	return true;
}

static void b64url_enc(const uint8_t *in, size_t len, char *out)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		acc = acc << 8 | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = t[acc >> bits & 63];
		}
	}
	if (bits)
		out[o++] = t[acc << (6 - bits) & 63];
	out[o] = 0;
}

static bool thumbprint(const uint8_t xy[64], char kid[64])
{
	char x[48], y[48], json[200];
	uint8_t h[32];
	b64url_enc(xy, 32, x);
	b64url_enc(xy + 32, 32, y);
	int n = snprintf(json, sizeof json, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", x, y);
	if (n <= 0 || (size_t)n >= sizeof json)
		return false;
	dc_sha256((const uint8_t *)json, (size_t)n, h);
	b64url_enc(h, 32, kid);
	return true;
}

static bool es256_verify(const uint8_t xy[64], const char *msg, size_t len, const uint8_t sig[64])
{
	uint8_t h[32], pt[65];
	bool ok = false;
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	pt[0] = 0x04;
	memcpy(pt + 1, xy, 64);
	dc_sha256((const uint8_t *)msg, len, h);
	if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
	    mbedtls_ecp_point_read_binary(&grp, &q, pt, sizeof pt) == 0 &&
	    mbedtls_ecp_check_pubkey(&grp, &q) == 0 &&
	    mbedtls_mpi_read_binary(&r, sig, 32) == 0 &&
	    mbedtls_mpi_read_binary(&s, sig + 32, 32) == 0)
		ok = mbedtls_ecdsa_verify(&grp, h, sizeof h, &q, &r, &s) == 0;
	mbedtls_ecp_group_free(&grp);
	mbedtls_ecp_point_free(&q);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return ok;
}

static bool inflate_raw(const uint8_t *in, size_t len, char *out, size_t cap, size_t *out_len)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, -15) != Z_OK)
		return false;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)(cap - 1);
	int rc = inflate(&zs, Z_FINISH);
	*out_len = zs.total_out;
	inflateEnd(&zs);
	out[*out_len] = 0;
	return rc == Z_STREAM_END;
}

static bool load_pub_from_pem(const char *path, uint8_t xy[64])
{
	mbedtls_pk_context pk;
	bool ok = false;
	mbedtls_pk_init(&pk);
	if (mbedtls_pk_parse_keyfile(&pk, path, NULL) == 0 &&
	    mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY) {
		const mbedtls_ecp_keypair *kp = mbedtls_pk_ec(pk);
		ok = kp->grp.id == MBEDTLS_ECP_DP_SECP256R1 &&
		     mbedtls_mpi_write_binary(&kp->Q.X, xy, 32) == 0 &&
		     mbedtls_mpi_write_binary(&kp->Q.Y, xy + 32, 32) == 0;
	}
	mbedtls_pk_free(&pk);
	return ok;
}

/* --- PNG + ZBar -------------------------------------------------------- */

static uint8_t *read_grey_png(const char *path, int *w, int *h)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path))
		return NULL;
	if (img.width == 0 || img.height == 0 || img.width > MAX_PNG_SIDE ||
	    img.height > MAX_PNG_SIDE) {
		png_image_free(&img);
		return NULL;
	}
	img.format = PNG_FORMAT_GRAY;
	uint8_t *buf = malloc(PNG_IMAGE_SIZE(img));
	if (!buf || !png_image_finish_read(&img, NULL, buf, 0, NULL)) {
		free(buf);
		png_image_free(&img);
		return NULL;
	}
	*w = (int)img.width;
	*h = (int)img.height;
	return buf;
}

/* Returns the one QR text found in the PNG (malloc'd) or NULL. */
static char *scan_png(const char *path, int *n_symbols)
{
	int w = 0, h = 0;
	char *text = NULL;
	uint8_t *pix = read_grey_png(path, &w, &h);
	*n_symbols = 0;
	if (!pix)
		return NULL;
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_t *img = zbar_image_create();
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, pix, (unsigned long)w * (unsigned long)h, NULL);
	if (zbar_scan_image(sc, img) > 0) {
		for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s;
		     s = zbar_symbol_next(s)) {
			(*n_symbols)++;
			if (!text && zbar_symbol_get_type(s) == ZBAR_QRCODE) {
				unsigned int l = zbar_symbol_get_data_length(s);
				text = malloc(l + 1);
				if (text) {
					memcpy(text, zbar_symbol_get_data(s), l);
					text[l] = 0;
				}
			}
		}
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	free(pix);
	return text;
}

/* --- reading a card ------------------------------------------------------ */

typedef struct {
	char *file;               /* whole .txt */
	size_t n_lines;
	char *lines[MAX_LINES];   /* point into file */
	char jws[MAX_JWS];
	size_t jws_len;
	cJSON *header;
	cJSON *payload;
	bool sig_demo;            /* verifies with the JWK of demo.issuer.json */
	bool sig_untrusted;       /* verifies with shc-untrusted.key.pem */
} card;

static void card_free(card *c)
{
	free(c->file);
	cJSON_Delete(c->header);
	cJSON_Delete(c->payload);
	memset(c, 0, sizeof *c);
}

/* Numeric form: "shc:/" [C "/" N "/"] then pairs of digits 00..77. */
static bool decode_line(const char *line, size_t idx, size_t n, char *out, size_t cap,
			size_t *out_len)
{
	const char *p = line;
	if (strncmp(p, "shc:/", 5) != 0)
		return false;
	p += 5;
	if (n > 1) {
		char head[48];
		snprintf(head, sizeof head, "%zu/%zu/", idx + 1, n);
		if (strncmp(p, head, strlen(head)) != 0)
			return false;
		p += strlen(head);
	}
	size_t dl = strlen(p), o = 0;
	if (dl == 0 || dl % 2 != 0)
		return false;
	for (size_t i = 0; i < dl; i += 2) {
		if (p[i] < '0' || p[i] > '9' || p[i + 1] < '0' || p[i + 1] > '9')
			return false;
		int v = (p[i] - '0') * 10 + (p[i + 1] - '0');
		if (v > 77 || o + 1 >= cap)
			return false;
		out[o++] = (char)(v + 45);
	}
	*out_len = o;
	return true;
}

static bool load_card(const char *name, card *c)
{
	char path[4096];
	size_t len = 0;
	memset(c, 0, sizeof *c);
	snprintf(path, sizeof path, "%s/%s.txt", demo_dir, name);
	c->file = dc_test_read(path, &len);
	CHECK_MSG(c->file != NULL, "%s missing", path);
	if (!c->file)
		return false;
	CHECK_MSG(len > 0 && c->file[len - 1] == '\n', "%s: last line not terminated", name);
	for (char *s = c->file; *s && c->n_lines < MAX_LINES;) {
		char *nl = strchr(s, '\n');
		if (!nl)
			break;
		*nl = 0;
		c->lines[c->n_lines++] = s;
		s = nl + 1;
	}
	for (size_t i = 0; i < c->n_lines; i++) {
		size_t l = 0;
		bool ok = decode_line(c->lines[i], i, c->n_lines, c->jws + c->jws_len,
				      sizeof c->jws - c->jws_len, &l);
		CHECK_MSG(ok, "%s line %zu: not shc:/ + even digits with pairs <= 77", name, i + 1);
		if (!ok)
			return false;
		CHECK_MSG(l <= 1195 && (c->n_lines == 1 || l <= 1191),
			  "%s chunk %zu has %zu JWS chars", name, i + 1, l);
		c->jws_len += l;
	}
	c->jws[c->jws_len] = 0;

	char *dot1 = strchr(c->jws, '.');
	char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	CHECK_MSG(dot1 && dot2 && !strchr(dot2 + 1, '.'), "%s: not a JWS compact string", name);
	if (!dot1 || !dot2)
		return false;

	uint8_t buf[MAX_JWS];
	size_t bl = 0;
	CHECK(b64url_dec(c->jws, (size_t)(dot1 - c->jws), buf, sizeof buf, &bl));
	c->header = cJSON_ParseWithLength((const char *)buf, bl);
	CHECK_MSG(c->header != NULL, "%s: header is not JSON", name);

	static char json[MAX_PAYLOAD];
	size_t jl = 0;
	bool ok = b64url_dec(dot1 + 1, (size_t)(dot2 - dot1 - 1), buf, sizeof buf, &bl) &&
		  inflate_raw(buf, bl, json, sizeof json, &jl);
	CHECK_MSG(ok, "%s: payload is not raw DEFLATE", name);
	if (ok) {
		c->payload = cJSON_ParseWithLength(json, jl);
		CHECK_MSG(c->payload != NULL, "%s: payload is not JSON", name);
		/* Minified as SHC asks: no whitespace outside strings. */
		CHECK_MSG(!strstr(json, "\": ") && !strchr(json, '\n'), "%s: payload not minified", name);
	}

	uint8_t sig[64];
	size_t sl = 0;
	CHECK_MSG(b64url_dec(dot2 + 1, strlen(dot2 + 1), sig, sizeof sig, &sl) && sl == 64,
		  "%s: signature is not 64 bytes r||s", name);
	if (sl == 64) {
		size_t signed_len = (size_t)(dot2 - c->jws);
		c->sig_demo = es256_verify(demo_xy, c->jws, signed_len, sig);
		c->sig_untrusted = es256_verify(untrusted_xy, c->jws, signed_len, sig);
	}
	return c->header && c->payload;
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *bundle_entries(const cJSON *payload)
{
	const cJSON *vc = cJSON_GetObjectItemCaseSensitive(payload, "vc");
	const cJSON *cs = cJSON_GetObjectItemCaseSensitive(vc, "credentialSubject");
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(cs, "fhirBundle");
	return cJSON_GetObjectItemCaseSensitive(b, "entry");
}

static const cJSON *resource(const cJSON *payload, int i)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(bundle_entries(payload), i),
						"resource");
}

static const char *vc_rid(const cJSON *payload)
{
	return jstr(cJSON_GetObjectItemCaseSensitive(payload, "vc"), "rid");
}

static bool rid_in_crl(const char *rid)
{
	const cJSON *crls = cJSON_GetObjectItemCaseSensitive(issuer_file, "crls");
	const cJSON *crl, *r;
	cJSON_ArrayForEach(crl, crls) {
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(crl, "rids")) {
			if (rid && cJSON_IsString(r) && !strcmp(r->valuestring, rid))
				return true;
		}
	}
	return false;
}

/* CVX codes of the Immunization entries, comma-joined, and their dates. */
static void immunizations(const cJSON *payload, char *codes, size_t cap, char *last_date,
			  size_t dcap)
{
	const cJSON *e;
	codes[0] = 0;
	last_date[0] = 0;
	cJSON_ArrayForEach(e, bundle_entries(payload)) {
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "resource");
		const char *rt = jstr(r, "resourceType");
		if (!rt || strcmp(rt, "Immunization") != 0)
			continue;
		const cJSON *vcode = cJSON_GetObjectItemCaseSensitive(r, "vaccineCode");
		const cJSON *cod = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(vcode, "coding"), 0);
		const char *sys = jstr(cod, "system"), *code = jstr(cod, "code");
		CHECK_STR(sys, "http://hl7.org/fhir/sid/cvx");
		CHECK_STR(jstr(r, "status"), "completed");
		CHECK_STR(jstr(cJSON_GetObjectItemCaseSensitive(r, "patient"), "reference"), "resource:0");
		CHECK(jstr(r, "lotNumber") != NULL);
		const cJSON *actor = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "performer"), 0), "actor");
		CHECK(jstr(actor, "display") != NULL);
		if (codes[0])
			strncat(codes, ",", cap - strlen(codes) - 1);
		strncat(codes, code ? code : "?", cap - strlen(codes) - 1);
		const char *d = jstr(r, "occurrenceDateTime");
		snprintf(last_date, dcap, "%s", d ? d : "");
	}
}

/* --- checks --------------------------------------------------------------- */

static void check_common(const char *name, const card *c, bool untrusted)
{
	CHECK_STR(jstr(c->header, "zip"), "DEF");
	CHECK_STR(jstr(c->header, "alg"), "ES256");
	CHECK_STR(jstr(c->header, "kid"), untrusted ? untrusted_kid : demo_kid);
	CHECK_EQ_INT(cJSON_GetArraySize(c->header), 3);
	CHECK_STR(jstr(c->payload, "iss"), DEMO_ISS);
	const cJSON *nbf = cJSON_GetObjectItemCaseSensitive(c->payload, "nbf");
	CHECK_MSG(cJSON_IsNumber(nbf), "%s: nbf missing", name);
	const cJSON *vc = cJSON_GetObjectItemCaseSensitive(c->payload, "vc");
	CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(vc, "type"), 0) ?
		  cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(vc, "type"), 0)->valuestring : NULL,
		  "https://smarthealth.cards#health-card");
	const cJSON *cs = cJSON_GetObjectItemCaseSensitive(vc, "credentialSubject");
	CHECK_STR(jstr(cs, "fhirVersion"), "4.0.1");
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(cs, "fhirBundle");
	CHECK_STR(jstr(b, "resourceType"), "Bundle");
	CHECK_STR(jstr(b, "type"), "collection");
	const cJSON *pat = resource(c->payload, 0);
	CHECK_STR(jstr(pat, "resourceType"), "Patient");
	CHECK(jstr(pat, "birthDate") != NULL);
	CHECK_STR(jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "entry"), 0),
		       "fullUrl"), "resource:0");
	const char *rid = vc_rid(c->payload);
	CHECK_MSG(rid && strlen(rid) == 11, "%s: rid is not 11 base64url chars", name);
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Every PNG of the card scans back to exactly its text line. */
static void check_pngs(const char *name, const card *c)
{
	char path[4096];
	for (size_t i = 0; i < c->n_lines; i++) {
		if (c->n_lines == 1)
			snprintf(path, sizeof path, "%s/%s.png", demo_dir, name);
		else
			snprintf(path, sizeof path, "%s/%s-%zu.png", demo_dir, name, i + 1);
		int n = 0;
		char *t = scan_png(path, &n);
		CHECK_MSG(t != NULL, "%s: ZBar found no QR code", path);
		CHECK_EQ_INT(n, 1);
		CHECK_MSG(t && !strcmp(t, c->lines[i]), "%s does not scan to line %zu", path, i + 1);
		free(t);
	}
	/* Frames: camera-sized, mid-grey around the code, code centred. */
	int fw = 0, fh = 0;
	if (sscanf(name, "frame-%dx%d", &fw, &fh) == 2) {
		int w = 0, h = 0;
		snprintf(path, sizeof path, "%s/%s.png", demo_dir, name);
		uint8_t *pix = read_grey_png(path, &w, &h);
		CHECK(pix != NULL);
		if (pix) {
			CHECK_EQ_INT(w, fw);
			CHECK_EQ_INT(h, fh);
			CHECK_EQ_INT(pix[0], 128);
			CHECK_EQ_INT(pix[(size_t)w * (size_t)h - 1], 128);
			/* The quiet zone starts as far from the left as from the right. */
			int left = 0, right = 0;
			const uint8_t *mid = pix + (size_t)(h / 2) * (size_t)w;
			while (left < w && mid[left] == 128)
				left++;
			while (right < w && mid[w - 1 - right] == 128)
				right++;
			CHECK_MSG(left > 0 && abs(left - right) <= 1, "%s: code not centred", name);
			CHECK_EQ_INT(mid[left], 255);
			free(pix);
		}
	}
	/* No stray chunk images beyond the lines. */
	snprintf(path, sizeof path, "%s/%s-%zu.png", demo_dir, name, c->n_lines + 1);
	CHECK_MSG(access(path, F_OK) != 0, "%s should not exist", path);
}

static void check_cards(void)
{
	static const char *names[] = {
		"vaccinated", "partial", "janssen", "recent", "test-negative", "expired",
		"not-yet-valid", "revoked", "tampered", "untrusted", "multi",
		"frame-640x480", "frame-1280x720",
	};
	char codes[128], last[48];
	char vaccinated_line[4096] = "";

	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		const char *name = names[k];
		card c;
		bool untrusted = !strcmp(name, "untrusted");
		bool tampered = !strcmp(name, "tampered");
		if (!load_card(name, &c)) {
			card_free(&c);
			continue;
		}
		check_common(name, &c, untrusted);
		check_pngs(name, &c);

		/* Signatures: the demo key signs everything but these two. */
		if (tampered) {
			CHECK_MSG(!c.sig_demo && !c.sig_untrusted, "tampered card verifies");
		} else if (untrusted) {
			CHECK_MSG(!c.sig_demo, "untrusted card verifies with the demo key");
			CHECK_MSG(c.sig_untrusted, "untrusted card not signed by shc-untrusted.key.pem");
		} else {
			CHECK_MSG(c.sig_demo, "%s: ES256 signature does not verify with demo.issuer.json", name);
		}

		const cJSON *p = c.payload;
		double nbf = num(p, "nbf");
		bool has_exp = cJSON_GetObjectItemCaseSensitive(p, "exp") != NULL;
		const char *rid = vc_rid(p);
		CHECK_MSG(rid_in_crl(rid) == !strcmp(name, "revoked"),
			  "%s: rid in CRL = %d", name, rid_in_crl(rid));
		if (!strcmp(name, "not-yet-valid")) {
			CHECK_MSG(nbf > NOW, "not-yet-valid: nbf %.0f <= now", nbf);
		} else {
			CHECK_MSG(nbf > 0 && nbf <= NOW, "%s: nbf %.0f not before now", name, nbf);
		}
		if (!strcmp(name, "expired")) {
			CHECK_MSG(has_exp && num(p, "exp") < NOW && num(p, "exp") > nbf,
				  "expired: exp must lie between nbf and now");
		} else {
			CHECK_MSG(!has_exp, "%s: must not expire", name);
		}

		immunizations(p, codes, sizeof codes, last, sizeof last);
		if (!strcmp(name, "vaccinated") || !strncmp(name, "frame-", 6)) {
			CHECK_STR(codes, "207,207");
			CHECK_STR(jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
				resource(p, 0), "name"), 0), "family"), "Demo");
			CHECK_STR(jstr(resource(p, 0), "birthDate"), "1980-01-15");
			CHECK_STR(jstr(resource(p, 1), "occurrenceDateTime"), "2021-01-01");
			CHECK_STR(last, "2021-01-29"); /* 28 days later */
			CHECK_EQ_INT(c.n_lines, 1);
			if (!strcmp(name, "vaccinated"))
				snprintf(vaccinated_line, sizeof vaccinated_line, "%s", c.lines[0]);
			else
				CHECK_MSG(!strcmp(c.lines[0], vaccinated_line),
					  "%s: not the vaccinated card's text", name);
		} else if (!strcmp(name, "partial")) {
			CHECK_STR(codes, "208");
		} else if (!strcmp(name, "janssen")) {
			CHECK_STR(codes, "212");
		} else if (!strcmp(name, "recent")) {
			CHECK_STR(codes, "207,207");
			CHECK_STR(last, "2025-12-27"); /* 5 days before 2026-01-01 */
		} else if (!strcmp(name, "test-negative")) {
			CHECK_STR(codes, "");
			const cJSON *ob = resource(p, 1);
			CHECK_STR(jstr(ob, "resourceType"), "Observation");
			const cJSON *code = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(ob, "code"), "coding"), 0);
			CHECK_STR(jstr(code, "system"), "http://loinc.org");
			CHECK_STR(jstr(code, "code"), "94500-6");
			const cJSON *val = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(ob, "valueCodeableConcept"), "coding"), 0);
			CHECK_STR(jstr(val, "system"), "http://snomed.info/sct");
			CHECK_STR(jstr(val, "code"), "260385009");
			CHECK_STR(jstr(ob, "effectiveDateTime"), "2025-12-31T00:00:00Z");
		} else if (!strcmp(name, "multi")) {
			CHECK_EQ_INT(c.n_lines, 3);
			CHECK_EQ_INT(cJSON_GetArraySize(bundle_entries(p)), 7);
			CHECK(c.jws_len > 2 * 1191);
		} else {
			CHECK_STR(codes, "207,207");
		}
		if (strcmp(name, "multi") != 0)
			CHECK_EQ_INT(c.n_lines, 1);
		card_free(&c);
	}
}

static void check_issuer_file(void)
{
	const cJSON *iss = cJSON_GetObjectItemCaseSensitive(issuer_file, "issuer");
	CHECK_STR(jstr(iss, "iss"), DEMO_ISS);
	CHECK(jstr(iss, "name") != NULL);
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(issuer_file, "keys");
	CHECK_EQ_INT(cJSON_GetArraySize(keys), 1);
	const cJSON *jwk = cJSON_GetArrayItem(keys, 0);
	CHECK_STR(jstr(jwk, "kty"), "EC");
	CHECK_STR(jstr(jwk, "crv"), "P-256");
	CHECK_STR(jstr(jwk, "alg"), "ES256");
	CHECK_STR(jstr(jwk, "use"), "sig");
	CHECK_MSG(cJSON_GetObjectItemCaseSensitive(jwk, "d") == NULL, "private key in issuer file");

	uint8_t xy[64];
	size_t xl = 0, yl = 0;
	const char *x = jstr(jwk, "x"), *y = jstr(jwk, "y");
	bool ok = x && y && b64url_dec(x, strlen(x), xy, 32, &xl) && xl == 32 &&
		  b64url_dec(y, strlen(y), xy + 32, 32, &yl) && yl == 32;
	CHECK_MSG(ok, "JWK x/y are not 32-byte base64url");
	char kid[64];
	CHECK(ok && thumbprint(xy, kid));
	CHECK_STR(jstr(jwk, "kid"), kid); /* RFC 7638 */
	CHECK_MSG(ok && memcmp(xy, pem_xy, 64) == 0, "JWK is not the public half of shc-issuer.key.pem");
	/* Cards are verified against the JWK, as a kiosk trusting this file would. */
	if (ok) {
		memcpy(demo_xy, xy, 64);
		snprintf(demo_kid, sizeof demo_kid, "%s", kid);
	}
	CHECK_MSG(strcmp(untrusted_kid, demo_kid) != 0, "untrusted key equals the demo key");

	const cJSON *crl = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(issuer_file, "crls"), 0);
	CHECK_STR(jstr(crl, "kid"), demo_kid);
	CHECK_STR(jstr(crl, "method"), "rid");
	CHECK(num(crl, "ctr") >= 1);
	CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(crl, "rids")), 1);
}

/* --- determinism ---------------------------------------------------------- */

static int run(char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* Cross builds: this test runs under qemu-user, which does not
		 * follow execve into another foreign binary; meson names the
		 * wrapper (space-separated words) in MESON_EXE_WRAPPER. */
		const char *w = getenv("MESON_EXE_WRAPPER");
		if (w && *w) {
			char *words = strdup(w), *v[64];
			int n = 0;
			for (char *tok = strtok(words, " "); tok && n < 40; tok = strtok(NULL, " "))
				v[n++] = tok;
			for (int i = 0; argv[i] && n < 63; i++)
				v[n++] = argv[i];
			v[n] = NULL;
			execv(v[0], v);
			_exit(127);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	int st = 0;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static bool same_file(const char *a, const char *b)
{
	size_t la = 0, lb = 0;
	char *da = dc_test_read(a, &la), *db = dc_test_read(b, &lb);
	bool same = da && db && la == lb && memcmp(da, db, la) == 0;
	free(da);
	free(db);
	return same;
}

/* Every file of dir a exists in b with the same bytes, and b has no more. */
static void same_dir(const char *a, const char *b)
{
	size_t na = 0, nb = 0;
	DIR *d = opendir(a);
	CHECK(d != NULL);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char pa[4096], pb[4096];
			snprintf(pa, sizeof pa, "%s/%s", a, e->d_name);
			snprintf(pb, sizeof pb, "%s/%s", b, e->d_name);
			CHECK_MSG(same_file(pa, pb), "%s differs from %s", pa, pb);
			na++;
		}
		closedir(d);
	}
	d = opendir(b);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				nb++;
		closedir(d);
	}
	CHECK_EQ_INT(na, nb);
	CHECK_EQ_INT(na, 28); /* 12 cards x (.txt + .png) + multi.txt + 3 chunk PNGs */
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static void check_reproducible(void)
{
	char tmp[] = "/tmp/dc-mint-test-XXXXXX";
	char out1[4200], out2[4200], issuer[4200];
	if (!mkdtemp(tmp)) {
		CHECK_MSG(0, "mkdtemp failed");
		return;
	}
	snprintf(out1, sizeof out1, "%s/a", tmp);
	snprintf(out2, sizeof out2, "%s/b", tmp);
	snprintf(issuer, sizeof issuer, "%s/issuer.json", tmp);
	char *key = (char *)dc_test_path("DC_SOURCE_ROOT", "keys/demo/shc-issuer.key.pem");
	char *ukey = (char *)dc_test_path("DC_SOURCE_ROOT", "keys/demo/shc-untrusted.key.pem");
	char *committed = (char *)dc_test_path("DC_SOURCE_ROOT", "keys/demo/demo.issuer.json");
	char now[] = "1767225600";

	char *a1[] = { (char *)mint_exe, "shc", "--key", key, "--untrusted-key", ukey, "--iss",
		       DEMO_ISS, "--out", out1, "--now", now, NULL };
	char *a2[] = { (char *)mint_exe, "shc", "--key", key, "--untrusted-key", ukey, "--iss",
		       DEMO_ISS, "--out", out2, "--now", now, NULL };
	CHECK_EQ_INT(run(a1), 0);
	CHECK_EQ_INT(run(a2), 0);
	same_dir(out1, out2);
	same_dir(demo_dir, out1); /* the build-time cards are these same bytes */

	/* The committed issuer file is exactly what the tool makes from the key. */
	char *a3[] = { (char *)mint_exe, "issuer-file", "--key", key, "--iss", DEMO_ISS,
		       "--out", issuer, NULL };
	CHECK_EQ_INT(run(a3), 0);
	CHECK_MSG(same_file(issuer, committed), "keys/demo/demo.issuer.json is stale");

	/* Refusals: missing options, junk --now, the same key as untrusted. */
	char *b1[] = { (char *)mint_exe, "shc", "--key", key, "--out", out1, NULL };
	char *b2[] = { (char *)mint_exe, "shc", "--key", key, "--iss", DEMO_ISS, "--out", out1,
		       "--now", "-5", NULL };
	char *b3[] = { (char *)mint_exe, "shc", "--key", key, "--untrusted-key", key, "--iss",
		       DEMO_ISS, "--out", out1, NULL };
	char *b4[] = { (char *)mint_exe, "frobnicate", NULL };
	CHECK(run(b1) != 0);
	CHECK(run(b2) != 0);
	CHECK(run(b3) != 0);
	CHECK(run(b4) != 0);

	rm_dir(out1);
	rm_dir(out2);
	unlink(issuer);
	rmdir(tmp);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s DEMO_DIR MINT_EXE\n", argv[0]);
		return 2;
	}
	demo_dir = argv[1];
	mint_exe = argv[2];

	size_t len = 0;
	char *txt = dc_test_read(dc_test_path("DC_SOURCE_ROOT", "keys/demo/demo.issuer.json"), &len);
	CHECK(txt != NULL);
	issuer_file = txt ? cJSON_ParseWithLength(txt, len) : NULL;
	free(txt);
	CHECK(issuer_file != NULL);
	CHECK(load_pub_from_pem(dc_test_path("DC_SOURCE_ROOT", "keys/demo/shc-issuer.key.pem"), pem_xy));
	CHECK(load_pub_from_pem(dc_test_path("DC_SOURCE_ROOT", "keys/demo/shc-untrusted.key.pem"),
				untrusted_xy));
	CHECK(thumbprint(untrusted_xy, untrusted_kid));
	if (!issuer_file)
		return dc_test_done();

	check_issuer_file();
	check_cards();
	check_reproducible();
	cJSON_Delete(issuer_file);
	return dc_test_done();
}
