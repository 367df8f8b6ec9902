#include "dc_trustload.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_SIG 1024
#define MAX_CERT (64 * 1024)
#define MAX_DIR_ENTRIES 4096

int dc_read_file(const char *path, size_t max, uint8_t **buf, size_t *len,
		 char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t n = 0, cap = 0;

	*buf = NULL;
	*len = 0;
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			if (ncap > max + 1)
				ncap = max + 1;
			if (ncap <= cap) {
				snprintf(err, errlen, "%s is larger than %zu bytes", path, max);
				goto fail;
			}
			uint8_t *q = realloc(p, ncap + 1);
			if (!q) {
				snprintf(err, errlen, "out of memory reading %s", path);
				goto fail;
			}
			p = q;
			cap = ncap;
		}
		size_t r = fread(p + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s", path);
		goto fail;
	}
	if (n > max) {
		snprintf(err, errlen, "%s is larger than %zu bytes", path, max);
		goto fail;
	}
	fclose(f);
	if (!p && !(p = malloc(1))) {
		snprintf(err, errlen, "out of memory reading %s", path);
		return -1;
	}
	p[n] = 0;
	*buf = p;
	*len = n;
	return 0;
fail:
	fclose(f);
	free(p);
	return -1;
}

static int report(dc_err e, const char *path, char *err, size_t errlen)
{
	if (e == DC_OK)
		return 0;
	snprintf(err, errlen, "%s: %s", path, dc_strerror(e));
	return -1;
}

/* Reads path (at most max bytes) and hands it to add; names the file in err. */
typedef dc_err (*add_fn)(dc_trust *t, const char *iss, const uint8_t *buf, size_t len);

static int load_with(dc_trust *t, const char *iss, const char *path, size_t max, add_fn add,
		     char *err, size_t errlen)
{
	uint8_t *buf;
	size_t len;
	if (dc_read_file(path, max, &buf, &len, err, errlen))
		return -1;
	dc_err e = add(t, iss, buf, len);
	free(buf);
	return report(e, path, err, errlen);
}

static dc_err add_issuer_file(dc_trust *t, const char *iss, const uint8_t *b, size_t n)
{
	(void)iss;
	return dc_trust_add_issuer_json(t, b, n);
}

static dc_err add_jwks(dc_trust *t, const char *iss, const uint8_t *b, size_t n)
{
	return dc_trust_add_jwks(t, iss, NULL, b, n);
}

static dc_err add_dsc(dc_trust *t, const char *iss, const uint8_t *b, size_t n)
{
	(void)iss;
	return dc_trust_add_dsc(t, b, n);
}

static dc_err add_dcc_revocations(dc_trust *t, const char *iss, const uint8_t *b, size_t n)
{
	(void)iss;
	return dc_trust_add_dcc_revocations(t, b, n);
}

int dc_trustload_issuer_file(dc_trust *t, const char *path, char *err, size_t errlen)
{
	return load_with(t, NULL, path, DC_TRUST_MAX_FILE, add_issuer_file, err, errlen);
}

int dc_trustload_jwks(dc_trust *t, const char *iss, const char *path, char *err, size_t errlen)
{
	return load_with(t, iss, path, DC_TRUST_MAX_FILE, add_jwks, err, errlen);
}

int dc_trustload_crl(dc_trust *t, const char *iss, const char *path, char *err, size_t errlen)
{
	return load_with(t, iss, path, DC_TRUST_MAX_FILE, dc_trust_add_crl, err, errlen);
}

/* path with its ".json" suffix (if any) replaced by suffix. */
static int sibling(const char *path, const char *suffix, char *out, size_t cap)
{
	size_t n = strlen(path);
	if (n >= 5 && strcmp(path + n - 5, ".json") == 0)
		n -= 5;
	int w = snprintf(out, cap, "%.*s%s", (int)n, path, suffix);
	return w < 0 || (size_t)w >= cap ? -1 : 0;
}

int dc_trustload_vci(dc_trust *t, const char *snapshot, char *err, size_t errlen)
{
	char sig_path[4096], crt_path[4096];
	uint8_t *json = NULL, *sig = NULL, *crt = NULL;
	size_t jl, sl, cl;
	int rc = -1;

	if (sibling(snapshot, ".sig", sig_path, sizeof sig_path) ||
	    sibling(snapshot, ".crt", crt_path, sizeof crt_path)) {
		snprintf(err, errlen, "path too long: %s", snapshot);
		return -1;
	}
	if (dc_read_file(snapshot, DC_TRUST_MAX_FILE, &json, &jl, err, errlen) ||
	    dc_read_file(sig_path, MAX_SIG, &sig, &sl, err, errlen) ||
	    dc_read_file(crt_path, MAX_CERT, &crt, &cl, err, errlen))
		goto out;
	size_t skipped = 0;
	dc_err e = dc_trust_add_vci_snapshot(t, json, jl, sig, sl, crt, cl,
					     DC_VCI_PINNED_CERT_SHA256, &skipped);
	rc = report(e, snapshot, err, errlen);
out:
	free(json);
	free(sig);
	free(crt);
	return rc;
}

int dc_trustload_dsc(dc_trust *t, const char *path, char *err, size_t errlen)
{
	return load_with(t, NULL, path, MAX_CERT, add_dsc, err, errlen);
}

int dc_trustload_dcc_revocations(dc_trust *t, const char *path, char *err, size_t errlen)
{
	return load_with(t, NULL, path, DC_TRUST_MAX_FILE, add_dcc_revocations, err, errlen);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted regular-file names in dir (caller frees each and the array). */
static int list_dir(const char *dir, char ***names, size_t *n, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	*names = NULL;
	*n = 0;
	if (!d) {
		snprintf(err, errlen, "cannot open folder %s: %s", dir, strerror(errno));
		return -1;
	}
	char **v = calloc(MAX_DIR_ENTRIES, sizeof *v);
	if (!v) {
		closedir(d);
		snprintf(err, errlen, "out of memory listing %s", dir);
		return -1;
	}
	struct dirent *de;
	size_t k = 0;
	while ((de = readdir(d)) && k < MAX_DIR_ENTRIES) {
		if (de->d_name[0] == '.')
			continue;
		if (!(v[k] = strdup(de->d_name)))
			break;
		k++;
	}
	closedir(d);
	qsort(v, k, sizeof *v, cmp_names);
	*names = v;
	*n = k;
	return 0;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int dc_trustload_dsc_dir(dc_trust *t, const char *dir, char *err, size_t errlen)
{
	char **v;
	size_t n;
	char path[4096];
	int rc = 0;
	if (list_dir(dir, &v, &n, err, errlen))
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, v[i]);
		if (is_file(path))
			rc = dc_trustload_dsc(t, path, err, errlen);
	}
	free_list(v, n);
	return rc;
}

int dc_trustload_dir(dc_trust *t, const char *dir, char *err, size_t errlen)
{
	char **v;
	size_t n;
	char path[4096];
	int rc = 0;
	if (list_dir(dir, &v, &n, err, errlen))
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, v[i]);
		if (ends_with(v[i], ".issuer.json") && is_file(path))
			rc = dc_trustload_issuer_file(t, path, err, errlen);
		else if (strcmp(v[i], "vci_snapshot.json") == 0)
			rc = dc_trustload_vci(t, path, err, errlen);
		else if ((ends_with(v[i], ".dsc.pem") || ends_with(v[i], ".dsc.der")) && is_file(path))
			rc = dc_trustload_dsc(t, path, err, errlen);
		else if (strcmp(v[i], "dsc") == 0 && !is_file(path))
			rc = dc_trustload_dsc_dir(t, path, err, errlen);
		else if (strcmp(v[i], "dcc-revocations.json") == 0)
			rc = dc_trustload_dcc_revocations(t, path, err, errlen);
	}
	free_list(v, n);
	return rc;
}
