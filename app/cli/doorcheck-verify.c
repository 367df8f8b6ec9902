/*
 * doorcheck-verify: verify one credential from QR texts or images, for
 * people at a terminal and for desk software (--json, exit codes).
 *
 * Exit codes: 0 verified (and, with --policy, admitted by the policy);
 * 1 any rejected credential (not verified, untrusted, revoked, not a
 * credential, policy fail); 2 usage or unreadable input.
 *
 * Privacy: the holder's data goes to stdout only, because printing it is
 * the point of the tool; it never goes to stderr. Texts, decoded data and
 * the record are wiped before exit.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <mbedtls/platform_util.h>

#include "dc_image.h"
#include "dc_policy.h"
#include "dc_scan.h"
#include "dc_time.h"
#include "dc_trustload.h"
#include "dc_verify.h"

#ifndef DC_BUILD_EPOCH
#define DC_BUILD_EPOCH 0
#endif
#ifndef DC_VERSION
#define DC_VERSION "dev"
#endif

#define EXIT_REJECTED 1
#define EXIT_USAGE 2
#define MAX_STDIN (DC_MAX_TEXTS * (DC_MAX_QR_TEXT + 2))

struct texts {
	char *text[DC_MAX_TEXTS];
	size_t len[DC_MAX_TEXTS];
	size_t n;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: doorcheck-verify [options] [QR_TEXT...]\n"
		"Verifies one vaccination record (SMART Health Card shc:/ or EU DCC HC1:)\n"
		"offline. Several texts are the chunks of one card. Without texts or\n"
		"--image, texts are read from standard input, one per line.\n"
		"\n"
		"input:\n"
		"  --image FILE          PNG or JPEG with QR code(s); repeatable\n"
		"trust (at least one):\n"
		"  --trust DIR           trust folder (issuer files, VCI snapshot, DSCs)\n"
		"  --issuer-file FILE    project issuer file (*.issuer.json)\n"
		"  --issuer ISS=JWKS     pin the keys in JWKS file for issuer URL ISS\n"
		"  --crl ISS=FILE        revocation list for issuer ISS\n"
		"  --vci FILE            signed VCI directory snapshot (.sig/.crt beside it)\n"
		"  --dsc FILE            DCC signer certificate (PEM or DER); repeatable\n"
		"  --dsc-dir DIR         folder of DCC signer certificates\n"
		"  --dcc-revocations F   DCC revocation list\n"
		"checking:\n"
		"  --at TIME             validation time: ISO 8601 or @epoch (default now)\n"
		"  --policy FILE         venue policy; exit 0 only if it admits\n"
		"output:\n"
		"  --json                one JSON object on stdout\n"
		"  --help, --version\n"
		"exit: 0 verified, 1 rejected, 2 usage or unreadable input\n");
}

static int die_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "doorcheck-verify: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	return EXIT_USAGE;
}

static int add_text(struct texts *t, const char *s, size_t len)
{
	if (t->n >= DC_MAX_TEXTS)
		return die_usage("too many QR texts for one record", NULL);
	if (len > DC_MAX_QR_TEXT)
		return die_usage("QR text longer than any valid record", NULL);
	char *c = malloc(len + 1);
	if (!c)
		return die_usage("out of memory", NULL);
	memcpy(c, s, len);
	c[len] = 0;
	t->text[t->n] = c;
	t->len[t->n++] = len;
	return 0;
}

static void wipe_texts(struct texts *t)
{
	for (size_t i = 0; i < t->n; i++) {
		mbedtls_platform_zeroize(t->text[i], t->len[i]);
		free(t->text[i]);
	}
	t->n = 0;
}

static int read_stdin(struct texts *t)
{
	char *buf = malloc(MAX_STDIN + 1);
	size_t n = 0, r;
	int rc = 0;
	if (!buf)
		return die_usage("out of memory", NULL);
	while ((r = fread(buf + n, 1, MAX_STDIN + 1 - n, stdin)) > 0) {
		n += r;
		if (n > MAX_STDIN) {
			rc = die_usage("standard input is larger than any valid record", NULL);
			goto out;
		}
	}
	size_t start = 0;
	for (size_t i = 0; i <= n && rc == 0; i++) {
		if (i == n || buf[i] == '\n') {
			size_t end = i;
			if (end > start && buf[end - 1] == '\r')
				end--;
			if (end > start)
				rc = add_text(t, buf + start, end - start);
			start = i + 1;
		}
	}
	if (rc == 0 && t->n == 0)
		rc = die_usage("no QR text on standard input", NULL);
out:
	mbedtls_platform_zeroize(buf, MAX_STDIN + 1);
	free(buf);
	return rc;
}

static int scan_image(struct texts *t, const char *path)
{
	char err[256];
	dc_grey g = {0};
	int rc = 0;
	if (dc_image_load(path, &g, err, sizeof err) != 0) {
		fprintf(stderr, "doorcheck-verify: %s: %s\n", path, err);
		return EXIT_USAGE;
	}
	dc_scanner *s = dc_scanner_new(g.width, g.height);
	if (!s) {
		dc_grey_free(&g);
		return die_usage("cannot start the QR scanner", NULL);
	}
	int found = dc_scanner_scan(s, g.y, g.width, g.height, g.stride);
	if (found <= 0)
		rc = die_usage("no QR code found in image", path);
	for (int i = 0; i < found && rc == 0; i++) {
		size_t len;
		const char *txt = dc_scanner_text(s, i, &len);
		rc = add_text(t, txt, len);
	}
	dc_scanner_free(s);
	dc_grey_free(&g);
	return rc;
}

/* "ISS=FILE" -> iss and file (split in place). */
static int split_pair(char *arg, char **iss, char **file)
{
	char *eq = strrchr(arg, '=');
	if (!eq || eq == arg || !eq[1])
		return -1;
	*eq = 0;
	*iss = arg;
	*file = eq + 1;
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *event_kind(dc_event_kind k)
{
	switch (k) {
	case DC_EVENT_VACCINATION: return "vaccination";
	case DC_EVENT_TEST: return "test";
	case DC_EVENT_RECOVERY: return "recovery";
	}
	return "unknown";
}

static const char *format_code(dc_format f)
{
	switch (f) {
	case DC_FORMAT_SHC: return "shc";
	case DC_FORMAT_DCC: return "dcc";
	case DC_FORMAT_URL: return "url";
	case DC_FORMAT_TEXT: return "text";
	case DC_FORMAT_NONE: break;
	}
	return "none";
}

static const char *format_name(dc_format f)
{
	switch (f) {
	case DC_FORMAT_SHC: return "SMART Health Card";
	case DC_FORMAT_DCC: return "EU Digital COVID Certificate";
	case DC_FORMAT_URL: return "Web link";
	case DC_FORMAT_TEXT: return "Text";
	case DC_FORMAT_NONE: break;
	}
	return "Nothing";
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v && *v)
		cJSON_AddStringToObject(o, k, v);
}

static void print_json(const dc_record *r, const dc_policy_result *pr, bool have_policy)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "verdict", dc_verdict_code(r->verdict));
	cJSON_AddStringToObject(o, "reason", dc_err_code(r->reason));
	cJSON_AddStringToObject(o, "reason_text", dc_strerror(r->reason));
	cJSON_AddStringToObject(o, "format", format_code(r->format));
	add_str(o, "issuer", r->issuer);
	add_str(o, "issuer_name", r->issuer_name);
	add_str(o, "kid", r->kid);
	if (r->verdict == DC_VERDICT_VERIFIED) {
		cJSON_AddStringToObject(o, "name", r->name);
		add_str(o, "family_name", r->family_name);
		add_str(o, "given_name", r->given_name);
		add_str(o, "name_standardised", r->name_std);
		cJSON_AddStringToObject(o, "birth_date", r->birth_date);
		if (r->issued_at)
			cJSON_AddNumberToObject(o, "issued_at", (double)r->issued_at);
		if (r->expires_at)
			cJSON_AddNumberToObject(o, "expires_at", (double)r->expires_at);
		cJSON *doses = cJSON_AddArrayToObject(o, "doses");
		cJSON *tests = cJSON_AddArrayToObject(o, "tests");
		cJSON *recs = cJSON_AddArrayToObject(o, "recoveries");
		for (size_t i = 0; i < r->n_events; i++) {
			const dc_event *e = &r->events[i];
			cJSON *j = cJSON_CreateObject();
			cJSON_AddStringToObject(j, "kind", event_kind(e->kind));
			add_str(j, "system", e->system);
			add_str(j, "code", e->code);
			add_str(j, "product", e->product);
			add_str(j, "manufacturer", e->manufacturer);
			add_str(j, "disease", e->disease);
			add_str(j, "date", e->date);
			add_str(j, "status", e->status);
			add_str(j, "lot", e->lot);
			add_str(j, "performer", e->performer);
			add_str(j, "country", e->country);
			if (e->dose_number)
				cJSON_AddNumberToObject(j, "dose_number", e->dose_number);
			if (e->series_doses)
				cJSON_AddNumberToObject(j, "series_doses", e->series_doses);
			add_str(j, "test_type", e->test_type);
			add_str(j, "test_type_code", e->test_type_code);
			add_str(j, "result", e->result);
			add_str(j, "result_code", e->result_code);
			add_str(j, "valid_from", e->valid_from);
			add_str(j, "valid_until", e->valid_until);
			cJSON_AddItemToArray(e->kind == DC_EVENT_VACCINATION ? doses
					     : e->kind == DC_EVENT_TEST ? tests : recs, j);
		}
	}
	cJSON *p = cJSON_AddObjectToObject(o, "policy");
	cJSON_AddStringToObject(p, "result", dc_policy_outcome_code(pr->outcome));
	cJSON_AddStringToObject(p, "reason", pr->code);
	cJSON_AddStringToObject(p, "reason_text", pr->reason);
	cJSON_AddBoolToObject(p, "venue_policy_given", have_policy);
	char *s = cJSON_PrintUnformatted(o);
	if (s) {
		puts(s);
		mbedtls_platform_zeroize(s, strlen(s));
		free(s);
	}
	cJSON_Delete(o);
}

static void print_text(const dc_record *r, const dc_policy_result *pr)
{
	static const char *words[] = {
		[DC_VERDICT_VERIFIED] = "VERIFIED",
		[DC_VERDICT_NOT_VERIFIED] = "NOT VERIFIED",
		[DC_VERDICT_ISSUER_NOT_TRUSTED] = "ISSUER NOT TRUSTED",
		[DC_VERDICT_REVOKED] = "REVOKED",
		[DC_VERDICT_NOT_A_CREDENTIAL] = "NOT A VERIFIABLE RECORD",
	};
	printf("%s: %s\n", words[r->verdict], format_name(r->format));
	if (r->verdict != DC_VERDICT_VERIFIED)
		printf("  Reason:  %s (%s)\n", dc_strerror(r->reason), dc_err_code(r->reason));
	if (r->issuer[0])
		printf("  Issuer:  %s%s%s%s\n", r->issuer_name, r->issuer_name[0] ? " (" : "",
		       r->issuer, r->issuer_name[0] ? ")" : "");
	if (r->verdict == DC_VERDICT_VERIFIED) {
		printf("  Name:    %s\n", r->name[0] ? r->name : "(no name on record)");
		printf("  Born:    %s\n", r->birth_date[0] ? r->birth_date : "(not given)");
		for (size_t i = 0; i < r->n_events; i++) {
			const dc_event *e = &r->events[i];
			if (e->kind == DC_EVENT_VACCINATION)
				printf("  Dose %d:  %s  %s%s%s%s%s\n", e->dose_number, e->date,
				       e->product, e->lot[0] ? "  lot " : "", e->lot,
				       e->performer[0] ? "  " : "", e->performer);
			else if (e->kind == DC_EVENT_TEST)
				printf("  Test:    %s  %s  %s\n", e->date, e->test_type, e->result);
			else
				printf("  Recovery: first positive %s, valid %s to %s\n", e->date,
				       e->valid_from, e->valid_until);
		}
	}
	printf("  Policy:  %s%s%s\n", dc_policy_outcome_code(pr->outcome),
	       pr->reason[0] ? ": " : "", pr->reason);
}

enum { OPT_IMAGE = 256, OPT_TRUST, OPT_ISSUER_FILE, OPT_ISSUER, OPT_CRL, OPT_VCI,
       OPT_DSC, OPT_DSC_DIR, OPT_DCC_REV, OPT_AT, OPT_POLICY, OPT_JSON, OPT_HELP,
       OPT_VERSION };

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"image", required_argument, 0, OPT_IMAGE},
		{"trust", required_argument, 0, OPT_TRUST},
		{"issuer-file", required_argument, 0, OPT_ISSUER_FILE},
		{"issuer", required_argument, 0, OPT_ISSUER},
		{"crl", required_argument, 0, OPT_CRL},
		{"vci", required_argument, 0, OPT_VCI},
		{"dsc", required_argument, 0, OPT_DSC},
		{"dsc-dir", required_argument, 0, OPT_DSC_DIR},
		{"dcc-revocations", required_argument, 0, OPT_DCC_REV},
		{"at", required_argument, 0, OPT_AT},
		{"policy", required_argument, 0, OPT_POLICY},
		{"json", no_argument, 0, OPT_JSON},
		{"help", no_argument, 0, OPT_HELP},
		{"version", no_argument, 0, OPT_VERSION},
		{0, 0, 0, 0},
	};
	struct texts texts = {0};
	dc_trust *trust = NULL;
	dc_policy *policy = NULL;
	dc_record *rec = NULL;
	bool json = false, have_at = false, have_policy = false;
	double at = 0;
	char err[512];
	int rc = EXIT_USAGE, c, n_images = 0;
	const char **images = calloc((size_t)argc + 1, sizeof *images);
	/* Crl options refer to issuers; apply them after all keys loaded. */
	char **crls = calloc((size_t)argc + 1, sizeof *crls);
	int n_crls = 0;

	dc_core_init();
	trust = dc_trust_new();
	rec = malloc(sizeof *rec);
	if (!images || !crls || !trust || !rec) {
		rc = die_usage("out of memory", NULL);
		goto out;
	}
	dc_record_init(rec);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *iss, *file;
		int r = 0;
		switch (c) {
		case OPT_IMAGE: images[n_images++] = optarg; break;
		case OPT_TRUST: r = dc_trustload_dir(trust, optarg, err, sizeof err); break;
		case OPT_ISSUER_FILE: r = dc_trustload_issuer_file(trust, optarg, err, sizeof err); break;
		case OPT_ISSUER:
			if (split_pair(optarg, &iss, &file)) {
				rc = die_usage("--issuer needs ISS=JWKS_FILE", optarg);
				goto out;
			}
			r = dc_trustload_jwks(trust, iss, file, err, sizeof err);
			break;
		case OPT_CRL: crls[n_crls++] = optarg; break;
		case OPT_VCI: r = dc_trustload_vci(trust, optarg, err, sizeof err); break;
		case OPT_DSC: r = dc_trustload_dsc(trust, optarg, err, sizeof err); break;
		case OPT_DSC_DIR: r = dc_trustload_dsc_dir(trust, optarg, err, sizeof err); break;
		case OPT_DCC_REV: r = dc_trustload_dcc_revocations(trust, optarg, err, sizeof err); break;
		case OPT_AT:
			if (!dc_time_parse(optarg, strlen(optarg), &at)) {
				rc = die_usage("--at needs ISO 8601 (2026-01-31T12:00:00Z) or @epoch", optarg);
				goto out;
			}
			have_at = true;
			break;
		case OPT_POLICY: {
			uint8_t *buf;
			size_t len;
			if (dc_read_file(optarg, 64 * 1024, &buf, &len, err, sizeof err)) {
				r = -1;
				break;
			}
			dc_policy_free(policy);
			policy = dc_policy_parse(buf, len, err, sizeof err);
			free(buf);
			if (!policy) {
				rc = die_usage("bad policy file", err);
				goto out;
			}
			have_policy = true;
			break;
		}
		case OPT_JSON: json = true; break;
		case OPT_HELP: usage(stdout); rc = 0; goto out;
		case OPT_VERSION: printf("doorcheck-verify %s\n", DC_VERSION); rc = 0; goto out;
		default:
			fprintf(stderr, "doorcheck-verify: see --help for the options\n");
			rc = EXIT_USAGE;
			goto out;
		}
		if (r) {
			fprintf(stderr, "doorcheck-verify: %s\n", err);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	for (int i = 0; i < n_crls; i++) {
		char *iss, *file;
		if (split_pair(crls[i], &iss, &file)) {
			rc = die_usage("--crl needs ISS=CRL_FILE", crls[i]);
			goto out;
		}
		if (dc_trustload_crl(trust, iss, file, err, sizeof err)) {
			fprintf(stderr, "doorcheck-verify: %s\n", err);
			goto out;
		}
	}
	if (!policy && !(policy = dc_policy_new_default())) {
		rc = die_usage("out of memory", NULL);
		goto out;
	}

	for (int i = optind; i < argc; i++)
		if ((rc = add_text(&texts, argv[i], strlen(argv[i]))) != 0)
			goto out;
	for (int i = 0; i < n_images; i++)
		if ((rc = scan_image(&texts, images[i])) != 0)
			goto out;
	if (texts.n == 0 && (rc = read_stdin(&texts)) != 0)
		goto out;

	double now = have_at ? at : now_seconds();
	dc_verify_opts vo = {.trust = trust, .now = now};
	/* An offline device without a trustworthy clock must not pass anyone
	 * on a wrong date (dc_clock_ok); --at is a test clock. */
	if (!dc_clock_ok((int64_t)now, DC_BUILD_EPOCH, dc_trust_data_time(trust), have_at)) {
		dc_record_fail(rec, DC_E_CLOCK_UNSET);
	} else {
		dc_verify_texts(&vo, (const char *const *)texts.text, texts.len, texts.n, rec);
	}
	dc_policy_result pr;
	dc_policy_evaluate(policy, rec, now, &pr);
	if (json)
		print_json(rec, &pr, have_policy);
	else
		print_text(rec, &pr);
	fflush(stdout);
	if (rec->verdict == DC_VERDICT_VERIFIED && (!have_policy || pr.outcome == DC_POLICY_PASS))
		rc = 0;
	else
		rc = EXIT_REJECTED;
out:
	wipe_texts(&texts);
	dc_record_wipe(rec);
	free(rec);
	dc_policy_free(policy);
	dc_trust_free(trust);
	free(images);
	free(crls);
	return rc;
}
