#include "dc_trustbundle.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dc_bundle.h"
#include "dc_hash.h"
#include "dc_trustload.h"

#define MAX_SIG_FILE 4096
#define MAX_ENTRIES 256

#define SAY(...) do { if (snprintf(err, errlen, __VA_ARGS__) < 0) err[0] = 0; } while (0)

static int join(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Is name one of the bundle's files? Its index, or -1. */
static long in_bundle(const dc_bundle *b, const char *name)
{
	for (size_t i = 0; i < dc_bundle_count(b); i++) {
		const char *n;
		const uint8_t *d;
		size_t l;
		if (dc_bundle_file(b, i, &n, &d, &l) == DC_OK && !strcmp(n, name))
			return (long)i;
	}
	return -1;
}

/* Every entry of dir is the bundle's own files, the bundle, or the
 * installer's version file; every bundle file is there, unchanged. */
static dc_err check_files(const dc_bundle *b, const char *dir, char *err, size_t errlen)
{
	char path[4096];
	size_t seen = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	dc_err rc = DC_OK;
	if (!d) {
		SAY("cannot open folder %s: %s", dir, strerror(errno));
		return DC_E_TRUST_EDITED; /* a trust folder that is not a folder */
	}
	while (rc == DC_OK && (e = readdir(d))) {
		const char *n = e->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, DC_TRUSTBUNDLE_JSON) ||
		    !strcmp(n, DC_TRUSTBUNDLE_SIG) || !strcmp(n, DC_TRUSTBUNDLE_VERSION_FILE))
			continue;
		long i = in_bundle(b, n);
		if (i < 0) {
			SAY("%s/%s is not in the signed trust bundle", dir, n);
			rc = DC_E_TRUST_EDITED;
			break;
		}
		const char *bn;
		const uint8_t *bd;
		size_t bl, fl;
		uint8_t *fd, h1[32], h2[32];
		dc_bundle_file(b, (size_t)i, &bn, &bd, &bl);
		if (join(path, sizeof path, dir, n) ||
		    dc_read_file(path, DC_TRUST_MAX_FILE, &fd, &fl, err, errlen)) {
			rc = DC_E_TRUST_EDITED; /* a folder or an oversized file */
			break;
		}
		dc_sha256(fd, fl, h1);
		dc_sha256(bd, bl, h2);
		free(fd);
		if (fl != bl || memcmp(h1, h2, sizeof h1)) {
			SAY("%s differs from the signed trust bundle", path);
			rc = DC_E_TRUST_EDITED;
		}
		seen++;
	}
	closedir(d);
	if (rc == DC_OK && seen != dc_bundle_count(b)) {
		for (size_t i = 0; i < dc_bundle_count(b); i++) {
			const char *n;
			const uint8_t *dd;
			size_t l;
			dc_bundle_file(b, i, &n, &dd, &l);
			if (!join(path, sizeof path, dir, n) && access(path, F_OK) != 0) {
				SAY("%s of the signed trust bundle is missing", path);
				break;
			}
		}
		rc = DC_E_TRUST_EDITED;
	}
	return rc;
}

dc_err dc_trustbundle_load(dc_trust *t, const char *dir, const char *pin,
			   dc_trustbundle_info *info, char *err, size_t errlen)
{
	char jpath[4096], spath[4096];
	uint8_t *json = NULL, *sig = NULL, *key = NULL;
	size_t jl = 0, sl = 0, kl = 0;
	dc_bundle *b = NULL;
	dc_err rc;
	if (info)
		memset(info, 0, sizeof *info);
	if (join(jpath, sizeof jpath, dir, DC_TRUSTBUNDLE_JSON) ||
	    join(spath, sizeof spath, dir, DC_TRUSTBUNDLE_SIG)) {
		SAY("path too long: %s", dir);
		return DC_E_ARG;
	}
	if (access(jpath, F_OK) != 0) {
		SAY("%s: %s", dir, dc_strerror(DC_E_TRUST_NOT_INSTALLED));
		return DC_E_TRUST_NOT_INSTALLED;
	}
	if (dc_read_file(pin, DC_BUNDLE_MAX_KEY, &key, &kl, err, errlen)) {
		rc = DC_E_BUNDLE_OPERATOR_KEY;
		goto out;
	}
	if (dc_read_file(jpath, DC_BUNDLE_MAX_JSON, &json, &jl, err, errlen)) {
		rc = DC_E_BUNDLE_TOO_LARGE;
		goto out;
	}
	/* A missing signature is an unsigned bundle: refused by open. */
	if (access(spath, F_OK) == 0 && dc_read_file(spath, MAX_SIG_FILE, &sig, &sl, err, errlen)) {
		rc = DC_E_BUNDLE_SIGNATURE;
		goto out;
	}
	rc = dc_bundle_open(json, jl, sig, sl, key, kl, &b);
	if (rc != DC_OK) {
		SAY("%s: %s", jpath, dc_strerror(rc));
		goto out;
	}
	if ((rc = check_files(b, dir, err, errlen)) != DC_OK)
		goto out;
	if (dc_trustload_dir(t, dir, err, errlen) != 0) {
		rc = DC_E_BUNDLE_CONTENT;
		goto out;
	}
	if (info) {
		info->version = dc_bundle_version(b);
		info->created = dc_bundle_created(b);
		info->files = dc_bundle_count(b);
	}
out:
	dc_bundle_free(b);
	free(json);
	free(sig);
	free(key);
	return rc;
}
