/*
 * doorcheck-trust: make, check and install signed trust bundles
 * (docs/trust-updates.md).
 *
 *   pack    --key OPERATOR_KEY.pem --version N [--created ISO] --out DIR SRC
 *   verify  --pin OPERATOR_PUB.pem BUNDLE_DIR
 *   install --pin OPERATOR_PUB.pem BUNDLE_DIR TRUST_DIR
 *   import-dcc --format dccg|de|dsc-tl FILE --signer KEYFILE --out DIR
 *           an EU DSC list (dc_dcclist.h), its signature checked against
 *           the pinned KEYFILE, written as DIR/<CC>.dsc.pem (DIR replaced
 *           as a whole, only after the list verified and loads)
 *   import-vci vci_snapshot.json --all|--issuer ISS... [--crl ISS=FILE]...
 *           --out DIR: SHC issuer files from the signed VCI directory
 *           snapshot and the issuers' CRL files (dc_vciimport.h)
 *
 * Exit codes: 0 ok; 1 the bundle (or, for pack, the source folder) is
 * refused; 2 usage or I/O. Every failure prints one line on stderr naming
 * the reason. Trust data holds no personal data, so paths and file names
 * may be printed.
 *
 * install never leaves a half-written trust folder: the new folder (the
 * bundle's files and the signed bundle itself, so that the kiosk can check
 * the folder at every start: dc_trustbundle.h) is written and fsynced
 * beside the old one, loaded as the kiosk would load it,
 * and only then swapped in with one rename (renameat2 RENAME_EXCHANGE where
 * the file system has it, else two renames).
 */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include "dc_hash.h"
#include "dc_mbedtls.h"

#include "dc_bundle.h"
#include "dc_dcclist.h"
#include "dc_vciimport.h"
#include "dc_time.h"
#include "dc_trustbundle.h"
#include "dc_trustload.h"

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define BUNDLE_JSON "trust-bundle.json"
#define BUNDLE_SIG "trust-bundle.sig"
#define VERSION_FILE ".bundle-version"
#define MAX_PATH 4096
#define MAX_SIBLING (MAX_PATH + 16) /* TRUST_DIR plus ".new-XXXXXX" */
#define MAX_SIG_FILE 4096 /* read more than a signature can be, let open refuse */

static const char *prog = "doorcheck-trust";

static void usage(FILE *f)
{
	fprintf(f,
		"usage:\n"
		"  doorcheck-trust pack --key OPERATOR_KEY.pem --version N [--created ISO]\n"
		"                       --out DIR SRC_TRUST_FOLDER\n"
		"  doorcheck-trust verify --pin OPERATOR_PUB.pem BUNDLE_DIR\n"
		"  doorcheck-trust install --pin OPERATOR_PUB.pem BUNDLE_DIR TRUST_DIR\n"
		"  doorcheck-trust import-dcc --format dccg|de|dsc-tl FILE --signer KEYFILE\n"
		"                       --out DIR [--sig SIGFILE] [--at ISO]\n"
		"    (dccg: the signature is SIGFILE, default FILE.sig)\n"
		"  doorcheck-trust import-vci vci_snapshot.json --all|--issuer ISS...\n"
		"                       [--crl ISS=FILE]... [--pin-sha256 HEX] --out DIR\n"
		"    (.sig and .crt beside the snapshot)\n"
		"A bundle is BUNDLE_DIR/" BUNDLE_JSON " and BUNDLE_DIR/" BUNDLE_SIG ".\n"
		"exit: 0 ok, 1 refused, 2 usage or I/O\n");
}

static int fail_io(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, a, b ? b : "");
	fputc('\n', stderr);
	return EXIT_USAGE;
}

static int refuse(dc_err e, const char *detail)
{
	fprintf(stderr, "%s: refused: %s (%s)%s%s\n", prog, dc_strerror(e), dc_err_code(e),
		detail && *detail ? ": " : "", detail ? detail : "");
	return EXIT_REFUSED;
}

static int join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, MAX_PATH, "%s/%s", dir, name);
	return n < 0 || n >= MAX_PATH ? -1 : 0;
}

/* --- small file helpers ------------------------------------------------- */

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Creates path (must not exist) with exactly these bytes, fsynced. */
static int write_new_file(const char *path, const uint8_t *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	return close(fd);
fail:;
	int saved = errno;
	close(fd);
	unlink(path);
	errno = saved;
	return -1;
}

/* Replaces dir/name via a temporary file and rename, so a reader never sees
 * half a file. */
static int replace_file(const char *dir, const char *name, const uint8_t *data, size_t len)
{
	char path[MAX_PATH], tmp[MAX_PATH + 16];
	if (join(path, dir, name))
		return -1;
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
	unlink(tmp);
	if (write_new_file(tmp, data, len) != 0)
		return -1;
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes a folder we made (or the old trust folder we swapped out). */
static int rm_tree(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Pin file read in full; errors are I/O (exit 2). */
static int read_pin(const char *path, uint8_t **pin, size_t *len)
{
	char err[512];
	if (dc_read_file(path, DC_BUNDLE_MAX_KEY, pin, len, err, sizeof err)) {
		fprintf(stderr, "%s: operator key: %s\n", prog, err);
		return -1;
	}
	return 0;
}

/*
 * Reads and opens BUNDLE_DIR's bundle. Returns 0, EXIT_REFUSED or
 * EXIT_USAGE (message printed). A missing signature file is a refusal (an
 * unsigned bundle), not an I/O problem.
 */
static int open_bundle(const char *bundle_dir, const char *pin_path, dc_bundle **out)
{
	char jpath[MAX_PATH], spath[MAX_PATH], err[512];
	uint8_t *json = NULL, *sig = NULL, *pin = NULL;
	size_t jl = 0, sl = 0, pl = 0;
	int rc = EXIT_USAGE;

	*out = NULL;
	if (join(jpath, bundle_dir, BUNDLE_JSON) || join(spath, bundle_dir, BUNDLE_SIG))
		return fail_io("path too long: %s%s", bundle_dir, NULL);
	if (read_pin(pin_path, &pin, &pl))
		goto out;
	/* An oversized bundle is refused for its size, not reported as
	 * unreadable. */
	struct stat st;
	if (stat(jpath, &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > DC_BUNDLE_MAX_JSON) {
		rc = refuse(DC_E_BUNDLE_TOO_LARGE, BUNDLE_JSON);
		goto out;
	}
	if (dc_read_file(jpath, DC_BUNDLE_MAX_JSON, &json, &jl, err, sizeof err)) {
		fail_io("%s%s", err, NULL);
		goto out;
	}
	if (access(spath, F_OK) == 0 &&
	    dc_read_file(spath, MAX_SIG_FILE, &sig, &sl, err, sizeof err)) {
		rc = refuse(DC_E_BUNDLE_SIGNATURE, err);
		goto out;
	}
	dc_err e = dc_bundle_open(json, jl, sig, sl, pin, pl, out);
	if (e == DC_E_BUNDLE_OPERATOR_KEY) {
		fprintf(stderr, "%s: %s: %s (%s)\n", prog, pin_path, dc_strerror(e), dc_err_code(e));
		goto out;
	}
	if (e != DC_OK) {
		rc = refuse(e, sig ? NULL : BUNDLE_SIG " is missing");
		goto out;
	}
	rc = 0;
out:
	free(json);
	free(sig);
	free(pin);
	return rc;
}

static void print_bundle(const dc_bundle *b)
{
	char when[32];
	dc_time_format((double)dc_bundle_created(b), when, sizeof when);
	printf("version %lld\ncreated %s\nfiles %zu\n", (long long)dc_bundle_version(b), when,
	       dc_bundle_count(b));
	for (size_t i = 0; i < dc_bundle_count(b); i++) {
		const char *name;
		const uint8_t *data;
		size_t len;
		uint8_t h[32];
		dc_bundle_file(b, i, &name, &data, &len);
		dc_sha256(data, len, h);
		printf("  %-40s %10zu  ", name, len);
		for (int k = 0; k < 32; k++)
			printf("%02x", h[k]);
		putchar('\n');
	}
}

/* --- pack --------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The names dc_trustload_dir reads. Anything else is refused rather than
 * packed, so a key file lying in the source folder never ships. */
static bool trust_file_name(const char *n)
{
	return ends_with(n, ".issuer.json") || ends_with(n, ".dsc.pem") ||
	       ends_with(n, ".dsc.der") || strcmp(n, "vci_snapshot.json") == 0 ||
	       strcmp(n, "vci_snapshot.sig") == 0 || strcmp(n, "vci_snapshot.crt") == 0 ||
	       strcmp(n, "dcc-revocations.json") == 0 || strcmp(n, "dcc-valuesets.json") == 0;
}

static bool has_private_key(const uint8_t *p, size_t n)
{
	static const char tag[] = "PRIVATE KEY-----";
	return memmem(p, n, tag, sizeof tag - 1) != NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct src_files {
	char *name[DC_BUNDLE_MAX_FILES];
	uint8_t *data[DC_BUNDLE_MAX_FILES];
	size_t len[DC_BUNDLE_MAX_FILES];
	size_t n;
};

static void src_free(struct src_files *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->name[i]);
		free(s->data[i]);
	}
	s->n = 0;
}

/* Lists and reads SRC. Returns 0, EXIT_REFUSED or EXIT_USAGE. */
static int read_src(const char *src, struct src_files *s)
{
	char path[MAX_PATH], err[512];
	struct dirent *de;
	struct stat st;
	int rc = EXIT_USAGE;
	DIR *d = opendir(src);

	if (!d)
		return fail_io("cannot open folder %s: %s", src, strerror(errno));
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		if (join(path, src, n) || stat(path, &st) != 0) {
			fail_io("cannot stat %s: %s", path, strerror(errno));
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, sizeof err, "%s is a folder (bundles hold no folders: "
				 "put DSCs in as NAME.dsc.pem)", n);
			rc = refuse(DC_E_BUNDLE_FILE_NAME, err);
			goto out;
		}
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, sizeof err, "%s is not a regular file", n);
			rc = refuse(DC_E_BUNDLE_FILE_NAME, err);
			goto out;
		}
		if (!dc_bundle_name_ok(n)) {
			snprintf(err, sizeof err, "\"%.200s\" (allowed: [A-Za-z0-9._-]{1,100}, "
				 "not starting with '.')", n);
			rc = refuse(DC_E_BUNDLE_FILE_NAME, err);
			goto out;
		}
		if (!trust_file_name(n)) {
			snprintf(err, sizeof err, "%s is not a trust file (see docs/trust-updates.md)", n);
			rc = refuse(DC_E_BUNDLE_FILE_NAME, err);
			goto out;
		}
		if (s->n == DC_BUNDLE_MAX_FILES) {
			snprintf(err, sizeof err, "more than %d files in %.300s", DC_BUNDLE_MAX_FILES, src);
			rc = refuse(DC_E_BUNDLE_FORMAT, err);
			goto out;
		}
		if (!(s->name[s->n] = strdup(n))) {
			fail_io("out of memory%s%s", "", NULL);
			goto out;
		}
		s->n++;
	}
	if (s->n == 0) {
		rc = refuse(DC_E_BUNDLE_FORMAT, "the source folder holds no trust files");
		goto out;
	}
	qsort(s->name, s->n, sizeof s->name[0], cmp_str);
	for (size_t i = 0; i < s->n; i++) {
		join(path, src, s->name[i]);
		if (dc_read_file(path, DC_TRUST_MAX_FILE, &s->data[i], &s->len[i], err, sizeof err)) {
			fail_io("%s%s", err, NULL);
			goto out;
		}
		if (has_private_key(s->data[i], s->len[i])) {
			snprintf(err, sizeof err, "%s holds a private key", s->name[i]);
			rc = refuse(DC_E_BUNDLE_CONTENT, err);
			goto out;
		}
	}
	rc = 0;
out:
	closedir(d);
	return rc;
}

/* The last path element of path (path itself when it has no '/'). */
static const char *leaf_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Removes TRUST_DIR.new-XXXXXX and TRUST_DIR.old-XXXXXX folders in parent
 * that an install or import cut short (power lost between mkdtemp and the
 * final rename) left behind. Called with the parent's install lock held,
 * so none of them belongs to a running install. On the appliance's small
 * data partition they would otherwise add up. Failures are reported and
 * ignored: a leftover is never loaded, only wasted space. */
static void remove_leftovers(const char *parent, const char *leaf)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	size_t ll = strlen(leaf);
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (strncmp(n, leaf, ll) != 0 || strlen(n) != ll + 11 ||
		    (strncmp(n + ll, ".new-", 5) != 0 && strncmp(n + ll, ".old-", 5) != 0))
			continue;
		char path[MAX_SIBLING + MAX_PATH];
		struct stat lst;
		if (snprintf(path, sizeof path, "%s/%s", parent, n) >= (int)sizeof path ||
		    lstat(path, &lst) != 0 || !S_ISDIR(lst.st_mode))
			continue;
		if (rm_tree(path) == 0)
			fprintf(stderr, "doorcheck-trust: removed %s, left by an interrupted install\n",
				path);
		else
			fprintf(stderr, "doorcheck-trust: cannot remove %s: %s\n", path,
				strerror(errno));
	}
	closedir(d);
}

/* Signs SHA-256(msg) with the operator's private key (P-256 only) into sig
 * (sig_size bytes, at least MBEDTLS_PK_SIGNATURE_MAX_SIZE). */
static int sign(const char *key_path, const uint8_t *msg, size_t len, uint8_t *sig,
		size_t sig_size, size_t *sig_len, uint8_t *pub_der, size_t *pub_len)
{
	mbedtls_pk_context pk;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	uint8_t *key = NULL, hash[32];
	size_t klen;
	char err[512];
	int rc = EXIT_USAGE;
	static const char pers[] = "doorcheck-trust pack";

	mbedtls_pk_init(&pk);
	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&drbg);
	if (dc_read_file(key_path, DC_BUNDLE_MAX_KEY, &key, &klen, err, sizeof err)) {
		fail_io("operator key: %s%s", err, NULL);
		goto out;
	}
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent,
				  (const unsigned char *)pers, sizeof pers - 1) != 0) {
		fail_io("no random numbers for signing%s%s", "", NULL);
		goto out;
	}
	/* dc_read_file leaves a NUL after the data: PEM parsing needs it. */
	if (dc_pk_parse_key(&pk, key, klen + 1, mbedtls_ctr_drbg_random, &drbg) != 0 &&
	    dc_pk_parse_key(&pk, key, klen, mbedtls_ctr_drbg_random, &drbg) != 0) {
		fail_io("%s: not a private key%s", key_path, NULL);
		goto out;
	}
	if (!mbedtls_pk_can_do(&pk, MBEDTLS_PK_ECDSA) ||
	    dc_pk_ec_group(&pk) != MBEDTLS_ECP_DP_SECP256R1) {
		fail_io("%s: the operator key must be EC P-256%s", key_path, NULL);
		goto out;
	}
	if (dc_sha256(msg, len, hash) != 0 ||
	    dc_pk_sign(&pk, MBEDTLS_MD_SHA256, hash, sizeof hash, sig, sig_size, sig_len,
		       mbedtls_ctr_drbg_random, &drbg) != 0) {
		fail_io("signing failed%s%s", "", NULL);
		goto out;
	}
	/* mbedtls_pk_write_pubkey_der writes at the END of the buffer. */
	int w = mbedtls_pk_write_pubkey_der(&pk, pub_der, *pub_len);
	if (w <= 0) {
		fail_io("cannot export the public key%s%s", "", NULL);
		goto out;
	}
	memmove(pub_der, pub_der + *pub_len - (size_t)w, (size_t)w);
	*pub_len = (size_t)w;
	rc = 0;
out:
	if (key) {
		mbedtls_platform_zeroize(key, klen);
		free(key);
	}
	mbedtls_pk_free(&pk);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&ent);
	return rc;
}

static int parse_version(const char *s, int64_t *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (errno || end == s || *end || x < 1 || x > DC_BUNDLE_MAX_VERSION)
		return -1;
	*v = x;
	return 0;
}

static int cmd_pack(int argc, char **argv)
{
	const char *key = NULL, *out = NULL, *src = NULL, *ver = NULL, *created_s = NULL;
	struct src_files s = { 0 };
	char *json = NULL, err[512];
	size_t jl = 0;
	dc_trust *scratch = NULL;
	dc_bundle *check = NULL;
	uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE], pub[512];
	size_t sig_len = 0, pub_len = sizeof pub;
	int64_t version, created;
	int rc = EXIT_USAGE;

	for (int i = 2; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--key") == 0 ? &key
				    : strcmp(argv[i], "--out") == 0 ? &out
				    : strcmp(argv[i], "--version") == 0 ? &ver
				    : strcmp(argv[i], "--created") == 0 ? &created_s
				    : NULL;
		if (slot) {
			if (i + 1 >= argc)
				return fail_io("%s needs a value%s", argv[i], NULL);
			*slot = argv[++i];
		} else if (argv[i][0] == '-' || src) {
			usage(stderr);
			return EXIT_USAGE;
		} else {
			src = argv[i];
		}
	}
	if (!key || !out || !src || !ver) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (parse_version(ver, &version))
		return fail_io("--version must be an integer from 1 to 2^53-1, not %s%s", ver, NULL);
	if (created_s) {
		double t;
		if (!dc_time_parse(created_s, strlen(created_s), &t) || t < 0)
			return fail_io("--created is not an ISO 8601 time: %s%s", created_s, NULL);
		created = (int64_t)t;
	} else {
		created = (int64_t)time(NULL);
	}

	if ((rc = read_src(src, &s)) != 0)
		goto out;
	/* Never sign a folder the device would refuse to load. */
	rc = EXIT_USAGE;
	if (!(scratch = dc_trust_new())) {
		fail_io("out of memory%s%s", "", NULL);
		goto out;
	}
	if (dc_trustload_dir(scratch, src, err, sizeof err)) {
		rc = refuse(DC_E_BUNDLE_CONTENT, err);
		goto out;
	}
	dc_err e = dc_bundle_build(version, created, s.n, (const char *const *)s.name,
				   (const uint8_t *const *)s.data, s.len, &json, &jl);
	if (e != DC_OK) {
		rc = refuse(e, NULL);
		goto out;
	}
	if ((rc = sign(key, (const uint8_t *)json, jl, sig, sizeof sig, &sig_len, pub, &pub_len)) != 0)
		goto out;
	/* Round trip through the device's own check before writing anything. */
	e = dc_bundle_open((const uint8_t *)json, jl, sig, sig_len, pub, pub_len, &check);
	if (e != DC_OK) {
		rc = refuse(e, "the bundle just made does not open");
		goto out;
	}
	rc = EXIT_USAGE;
	if (mkdir(out, 0755) != 0 && errno != EEXIST) {
		fail_io("cannot create %s: %s", out, strerror(errno));
		goto out;
	}
	if (replace_file(out, BUNDLE_JSON, (const uint8_t *)json, jl) ||
	    replace_file(out, BUNDLE_SIG, sig, sig_len) || fsync_path(out, O_RDONLY | O_DIRECTORY)) {
		fail_io("cannot write the bundle into %s: %s", out, strerror(errno));
		goto out;
	}
	printf("packed %zu files as version %lld into %s\n", s.n, (long long)version, out);
	rc = 0;
out:
	dc_bundle_free(check);
	dc_trust_free(scratch);
	free(json);
	src_free(&s);
	return rc;
}

/* --- verify ------------------------------------------------------------- */

static int cmd_verify(int argc, char **argv)
{
	const char *pin = NULL, *dir = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--pin") == 0 && i + 1 < argc) {
			pin = argv[++i];
		} else if (argv[i][0] == '-' || dir) {
			usage(stderr);
			return EXIT_USAGE;
		} else {
			dir = argv[i];
		}
	}
	if (!pin || !dir) {
		usage(stderr);
		return EXIT_USAGE;
	}
	dc_bundle *b;
	int rc = open_bundle(dir, pin, &b);
	if (rc)
		return rc;
	print_bundle(b);
	dc_bundle_free(b);
	return 0;
}

/* --- install ------------------------------------------------------------ */

/* Version of the installed bundle: 0 when the folder or the file is absent
 * (a folder set up by hand), -1 when the file is unreadable or malformed. */
static int64_t installed_version(const char *trust_dir)
{
	char path[MAX_PATH], err[512];
	uint8_t *buf;
	size_t len;
	int64_t v;
	if (join(path, trust_dir, VERSION_FILE))
		return -1;
	if (access(path, F_OK) != 0)
		return errno == ENOENT ? 0 : -1;
	if (dc_read_file(path, 64, &buf, &len, err, sizeof err))
		return -1;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = 0;
	int bad = parse_version((const char *)buf, &v);
	free(buf);
	return bad ? -1 : v;
}

/* Writes the bundle's files and the version file into the empty folder dir. */
static int write_bundle_files(const dc_bundle *b, const char *dir)
{
	char path[MAX_PATH], num[32];
	for (size_t i = 0; i < dc_bundle_count(b); i++) {
		const char *name;
		const uint8_t *data;
		size_t len;
		dc_bundle_file(b, i, &name, &data, &len);
		if (join(path, dir, name) || write_new_file(path, data, len))
			return -1;
	}
	int n = snprintf(num, sizeof num, "%lld\n", (long long)dc_bundle_version(b));
	if (join(path, dir, VERSION_FILE) || write_new_file(path, (const uint8_t *)num, (size_t)n))
		return -1;
	return fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

/* Copies the signed bundle file name from bundle_dir into dir. */
static int copy_bundle_file(const char *bundle_dir, const char *dir, const char *name)
{
	char src[MAX_PATH], dst[MAX_PATH], err[512];
	uint8_t *buf;
	size_t len;
	if (join(src, bundle_dir, name) || join(dst, dir, name) ||
	    dc_read_file(src, DC_BUNDLE_MAX_JSON, &buf, &len, err, sizeof err))
		return -1;
	int rc = write_new_file(dst, buf, len);
	free(buf);
	return rc;
}

/* Puts fresh in place of target. Afterwards *old names what must be
 * removed (the previous folder), or is empty. */
static int swap_in(const char *fresh, const char *target, char *old, bool exists)
{
	old[0] = 0;
	if (!exists)
		return rename(fresh, target);
#ifndef DC_TRUST_NO_EXCHANGE /* tests build the fallback alone with this */
	if (renameat2(AT_FDCWD, fresh, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
		snprintf(old, MAX_SIBLING, "%s", fresh);
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
#endif
	/* No atomic exchange here: rename the old folder aside onto an empty
	 * placeholder (rename may replace an empty folder), then the new one
	 * into place; put the old one back if that fails. */
	if (snprintf(old, MAX_SIBLING, "%s.old-XXXXXX", target) >= MAX_SIBLING || !mkdtemp(old)) {
		old[0] = 0;
		return -1;
	}
	if (rename(target, old) != 0) {
		rmdir(old);
		old[0] = 0;
		return -1;
	}
	if (rename(fresh, target) != 0) {
		int saved = errno;
		rename(old, target);
		old[0] = 0;
		errno = saved;
		return -1;
	}
	return 0;
}

/* An import's last step, shared by import-dcc and import-vci: the finished
 * folder fresh replaces target in one rename (the old folder is kept on any
 * failure, which is printed), then the old folder is removed. */
static int place_imported(const char *fresh, const char *target, char *old)
{
	struct stat sb;
	fsync_path(fresh, O_RDONLY | O_DIRECTORY);
	bool exists = stat(target, &sb) == 0;
	if (exists && !S_ISDIR(sb.st_mode))
		return fail_io("%s exists and is not a folder%s", target, NULL);
	if (swap_in(fresh, target, old, exists) != 0)
		return fail_io("cannot move the imported folder into place at %s: %s", target,
			       strerror(errno));
	if (old[0] && rm_tree(old) != 0)
		fprintf(stderr, "%s: warning: imported, but could not remove the old folder %s\n",
			prog, old);
	return 0;
}

static int cmd_install(int argc, char **argv)
{
	const char *pin = NULL, *bdir = NULL;
	char target[MAX_PATH], fresh[MAX_SIBLING], old[MAX_SIBLING], parent[MAX_PATH];
	char err[512], detail[160];
	dc_bundle *b = NULL;
	dc_trust *t = NULL;
	bool made = false;
	struct stat st;
	int rc = EXIT_USAGE, lock_fd = -1;

	target[0] = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--pin") == 0 && i + 1 < argc) {
			pin = argv[++i];
		} else if (argv[i][0] == '-' || target[0]) {
			usage(stderr);
			return EXIT_USAGE;
		} else if (!bdir) {
			bdir = argv[i];
		} else {
			if (snprintf(target, sizeof target, "%s", argv[i]) >= (int)sizeof target)
				return fail_io("path too long: %s%s", argv[i], NULL);
		}
	}
	if (!pin || !bdir || !target[0]) {
		usage(stderr);
		return EXIT_USAGE;
	}
	size_t tl = strlen(target);
	while (tl > 1 && target[tl - 1] == '/')
		target[--tl] = 0;

	if ((rc = open_bundle(bdir, pin, &b)) != 0)
		goto out;
	rc = EXIT_USAGE;

	snprintf(parent, sizeof parent, "%s", target);
	char *slash = strrchr(parent, '/');
	if (!slash)
		snprintf(parent, sizeof parent, ".");
	else if (slash == parent)
		parent[1] = 0;
	else
		*slash = 0;
	/* Two installs at once must not both pass the version check: hold a
	 * lock on the parent folder from the check to the swap. */
	lock_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock_fd < 0 || flock(lock_fd, LOCK_EX) != 0) {
		fail_io("cannot lock %s: %s", parent, strerror(errno));
		goto out;
	}

	remove_leftovers(parent, leaf_of(target));
	bool exists = stat(target, &st) == 0;
	if (!exists && errno != ENOENT) {
		fail_io("cannot stat %s: %s", target, strerror(errno));
		goto out;
	}
	if (exists && !S_ISDIR(st.st_mode)) {
		fail_io("%s exists and is not a folder%s", target, NULL);
		goto out;
	}
	int64_t have = exists ? installed_version(target) : 0;
	if (have < 0) {
		fail_io("%s/" VERSION_FILE " is unreadable or malformed%s", target, NULL);
		goto out;
	}
	if (dc_bundle_version(b) <= have) {
		snprintf(detail, sizeof detail, "bundle version %lld, installed %lld",
			 (long long)dc_bundle_version(b), (long long)have);
		rc = refuse(DC_E_BUNDLE_OLDER, detail);
		goto out;
	}

	/* A sibling, so the final rename stays on one file system. */
	snprintf(fresh, sizeof fresh, "%s.new-XXXXXX", target);
	if (!mkdtemp(fresh)) {
		fail_io("cannot create a folder beside %s: %s", target, strerror(errno));
		goto out;
	}
	made = true;
	if (chmod(fresh, 0755) != 0 || write_bundle_files(b, fresh) != 0 ||
	    copy_bundle_file(bdir, fresh, BUNDLE_JSON) != 0 ||
	    copy_bundle_file(bdir, fresh, BUNDLE_SIG) != 0 ||
	    fsync_path(fresh, O_RDONLY | O_DIRECTORY) != 0) {
		fail_io("cannot write into %s: %s", fresh, strerror(errno));
		goto out;
	}
	/* Load it exactly as the kiosk will, before it can replace anything. */
	if (!(t = dc_trust_new())) {
		fail_io("out of memory%s%s", "", NULL);
		goto out;
	}
	if (dc_trustbundle_load(t, fresh, pin, NULL, err, sizeof err) != DC_OK) {
		/* err names the temporary folder: show the file name only. */
		size_t fl = strlen(fresh);
		const char *shown = strncmp(err, fresh, fl) == 0 && err[fl] == '/' ? err + fl + 1 : err;
		rc = refuse(DC_E_BUNDLE_CONTENT, shown);
		goto out;
	}
	if (swap_in(fresh, target, old, exists) != 0) {
		fail_io("cannot move the new trust folder into place at %s: %s", target, strerror(errno));
		goto out;
	}
	made = false;
	fsync(lock_fd); /* the parent folder: makes the renames durable */
	if (old[0] && rm_tree(old) != 0)
		fprintf(stderr, "%s: warning: installed, but could not remove the old folder %s: %s\n",
			prog, old, strerror(errno));
	printf("installed trust bundle version %lld (%zu files) into %s\n",
	       (long long)dc_bundle_version(b), dc_bundle_count(b), target);
	rc = 0;
out:
	if (made)
		rm_tree(fresh);
	if (lock_fd >= 0)
		close(lock_fd); /* releases the lock */
	dc_trust_free(t);
	dc_bundle_free(b);
	return rc;
}

/* --- import-dcc ----------------------------------------------------------- */

/* The imported DSCs, one PEM text per country, written as <CC>.dsc.pem. */
struct pem_out {
	char cc[DC_DCCLIST_MAX_COUNTRIES][3];
	char *text[DC_DCCLIST_MAX_COUNTRIES];
	size_t len[DC_DCCLIST_MAX_COUNTRIES], cap[DC_DCCLIST_MAX_COUNTRIES];
	size_t n;
};

static dc_err pem_sink(void *ctx, const char *country, const uint8_t *der, size_t len)
{
	struct pem_out *o = ctx;
	size_t i;
	for (i = 0; i < o->n; i++)
		if (strcmp(o->cc[i], country) == 0)
			break;
	if (i == o->n) {
		if (o->n == DC_DCCLIST_MAX_COUNTRIES)
			return DC_E_TRUST_FULL;
		memcpy(o->cc[i], country, 3);
		o->n++;
	}
	/* base64 with a line break every 64 characters, plus armour */
	size_t b64 = 4 * ((len + 2) / 3), need = b64 + b64 / 64 + 64;
	if (o->len[i] + need + 1 > o->cap[i]) {
		size_t cap = o->cap[i] ? o->cap[i] * 2 : 16384;
		while (cap < o->len[i] + need + 1)
			cap *= 2;
		char *p = realloc(o->text[i], cap);
		if (!p)
			return DC_E_NOMEM;
		o->text[i] = p;
		o->cap[i] = cap;
	}
	/* A table encoder: certificates are public, and mbedTLS's
	 * constant-time one would be a tenth of a 10,000-entry import. */
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *w = o->text[i] + o->len[i];
	w += sprintf(w, "-----BEGIN CERTIFICATE-----\n");
	size_t col = 0;
	for (size_t k = 0; k < len; k += 3) {
		uint32_t v = (uint32_t)der[k] << 16;
		if (k + 1 < len)
			v |= (uint32_t)der[k + 1] << 8;
		if (k + 2 < len)
			v |= der[k + 2];
		w[0] = a[v >> 18];
		w[1] = a[(v >> 12) & 63];
		w[2] = k + 1 < len ? a[(v >> 6) & 63] : '=';
		w[3] = k + 2 < len ? a[v & 63] : '=';
		w += 4;
		if ((col += 4) == 64) {
			*w++ = '\n';
			col = 0;
		}
	}
	if (col)
		*w++ = '\n';
	w += sprintf(w, "-----END CERTIFICATE-----\n");
	o->len[i] = (size_t)(w - o->text[i]);
	return DC_OK;
}

static void pem_free(struct pem_out *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->text[i]);
	free(o);
}

static int read_any(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	char err[512];
	if (dc_read_file(path, max, buf, len, err, sizeof err) != 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return EXIT_USAGE;
	}
	return 0;
}

static int cmd_import_dcc(int argc, char **argv)
{
	const char *fmt = NULL, *file = NULL, *signer = NULL, *out = NULL, *sigp = NULL;
	const char *at = NULL;
	char target[MAX_PATH], fresh[MAX_SIBLING], old[MAX_SIBLING], sigdef[MAX_PATH];
	char path[MAX_PATH], summary[512], err[512];
	uint8_t *list = NULL, *pin = NULL, *sig = NULL;
	size_t list_len = 0, pin_len = 0, sig_len = 0;
	struct pem_out *pems = NULL;
	dc_dcclist_format f;
	dc_dcclist_stats st;
	bool made = false;
	struct stat sb;
	int rc = EXIT_USAGE;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			fmt = argv[++i];
		else if (strcmp(argv[i], "--signer") == 0 && i + 1 < argc)
			signer = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--sig") == 0 && i + 1 < argc)
			sigp = argv[++i];
		else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc)
			at = argv[++i];
		else if (argv[i][0] == '-' || file)
			goto usage;
		else
			file = argv[i];
	}
	if (!fmt || !file || !signer || !out || dc_dcclist_format_from_name(fmt, &f) != DC_OK)
		goto usage;
	double now = (double)time(NULL);
	if (at && !dc_time_parse(at, strlen(at), &now))
		return fail_io("--at: not an ISO 8601 time: %s%s", at, NULL);
	if (snprintf(target, sizeof target, "%s", out) >= (int)sizeof target)
		return fail_io("path too long: %s%s", out, NULL);
	size_t tl = strlen(target);
	while (tl > 1 && target[tl - 1] == '/')
		target[--tl] = 0;

	if ((rc = read_any(file, DC_DCCLIST_MAX_FILE, &list, &list_len)) != 0 ||
	    (rc = read_any(signer, 64 * 1024, &pin, &pin_len)) != 0)
		goto out;
	if (f == DC_DCCLIST_DCCG) {
		/* The gateway list is JSON only: its signature is a file beside it. */
		if (!sigp) {
			snprintf(sigdef, sizeof sigdef, "%s.sig", file);
			sigp = sigdef;
		}
		if (stat(sigp, &sb) == 0 && (rc = read_any(sigp, MAX_SIG_FILE, &sig, &sig_len)) != 0)
			goto out;
	}
	rc = EXIT_USAGE;
	if (!(pems = calloc(1, sizeof *pems))) {
		fail_io("out of memory%s%s", "", NULL);
		goto out;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dc_err e = dc_dcclist_import(f, list, list_len, sig, sig_len, pin, pin_len, now, pem_sink,
				     pems, &st);
	if (e != DC_OK) {
		snprintf(err, sizeof err, "%s; the trust in %s is unchanged", file, target);
		rc = e == DC_E_NOMEM ? EXIT_USAGE : refuse(e, err);
		goto out;
	}

	/* Written beside DIR, then swapped in: a failed import never leaves a
	 * half-written folder. */
	if (snprintf(fresh, sizeof fresh, "%s.new-XXXXXX", target) >= (int)sizeof fresh ||
	    !mkdtemp(fresh)) {
		fail_io("cannot create a folder beside %s: %s", target, strerror(errno));
		goto out;
	}
	made = true;
	for (size_t i = 0; i < pems->n; i++) {
		char name[16];
		snprintf(name, sizeof name, "%s.dsc.pem", pems->cc[i]);
		if (join(path, fresh, name) || write_new_file(path, (const uint8_t *)pems->text[i],
							      pems->len[i]) != 0) {
			fail_io("cannot write %s: %s", path, strerror(errno));
			goto out;
		}
	}
	/* Every certificate written passed dc_dsc_check_der, the check the
	 * loader makes; reading the folder again would double the import. */
	if (place_imported(fresh, target, old) != 0)
		goto out;
	made = false;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	dc_dcclist_summary(&st, summary, sizeof summary);
	printf("%s (%zu entries, %.3f s) into %s\n", summary, st.entries,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, target);
	rc = 0;
	goto out;
usage:
	usage(stderr);
	rc = EXIT_USAGE;
out:
	if (made)
		rm_tree(fresh);
	if (pems)
		pem_free(pems);
	free(list);
	free(pin);
	free(sig);
	return rc;
}

/* --- import-vci ----------------------------------------------------------- */

struct vci_out {
	const char *dir;
	int failed;
};

/* "0007-myvaccinerecord.cdph.ca.gov.issuer.json": position, then the
 * host of the issuer URL in bundle-safe characters. */
static dc_err vci_sink(void *ctx, size_t n, const char *iss, const char *json, size_t len)
{
	struct vci_out *o = ctx;
	char name[80], path[MAX_PATH];
	const char *h = strstr(iss, "://");
	h = h ? h + 3 : iss;
	int w = snprintf(name, sizeof name, "%04zu-", n);
	size_t k = (size_t)w;
	for (; *h && *h != '/' && k < 60; h++)
		name[k++] = (*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
				    (*h >= '0' && *h <= '9') || *h == '.' || *h == '-'
			    ? *h : '_';
	snprintf(name + k, sizeof name - k, ".issuer.json");
	if (join(path, o->dir, name) || write_new_file(path, (const uint8_t *)json, len) != 0) {
		o->failed = errno ? errno : EIO;
		return DC_E_NOMEM; /* stops the import; reported as I/O below */
	}
	return DC_OK;
}

static int cmd_import_vci(int argc, char **argv)
{
	const char *snap = NULL, *out = NULL, *pin = DC_VCI_PINNED_CERT_SHA256;
	const char **only = calloc((size_t)argc, sizeof *only);
	dc_vci_crl *crls = calloc((size_t)argc, sizeof *crls);
	char **crl_iss = calloc((size_t)argc, sizeof *crl_iss);
	uint8_t *json = NULL, *sig = NULL, *crt = NULL;
	size_t jl = 0, sl = 0, cl = 0, n_only = 0, n_crls = 0;
	char target[MAX_PATH], fresh[MAX_SIBLING], old[MAX_SIBLING], sp[MAX_PATH], cp[MAX_PATH];
	bool all = false, made = false;
	int rc = EXIT_USAGE;

	if (!only || !crls || !crl_iss) {
		fail_io("out of memory%s%s", "", NULL);
		goto out;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--issuer") == 0 && i + 1 < argc) {
			only[n_only++] = argv[++i];
		} else if (strcmp(argv[i], "--all") == 0) {
			all = true;
		} else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--pin-sha256") == 0 && i + 1 < argc) {
			pin = argv[++i];
		} else if (strcmp(argv[i], "--crl") == 0 && i + 1 < argc) {
			const char *a = argv[++i], *eq = strrchr(a, '=');
			if (!eq || eq == a)
				goto usage;
			crl_iss[n_crls] = strndup(a, (size_t)(eq - a));
			if (!crl_iss[n_crls] ||
			    (rc = read_any(eq + 1, DC_TRUST_MAX_FILE, (uint8_t **)&crls[n_crls].json,
					   &crls[n_crls].len)) != 0) {
				free(crl_iss[n_crls]);
				rc = EXIT_USAGE;
				goto out;
			}
			crls[n_crls].iss = crl_iss[n_crls];
			n_crls++;
		} else if (argv[i][0] == '-' || snap) {
			goto usage;
		} else {
			snap = argv[i];
		}
	}
	/* Every issuer only when asked for: a whole directory is a choice. */
	if (!snap || !out || all == (n_only > 0))
		goto usage;
	size_t n = strlen(snap);
	const char *base_end = n > 5 && strcmp(snap + n - 5, ".json") == 0 ? snap + n - 5 : snap + n;
	if (snprintf(sp, sizeof sp, "%.*s.sig", (int)(base_end - snap), snap) >= (int)sizeof sp ||
	    snprintf(cp, sizeof cp, "%.*s.crt", (int)(base_end - snap), snap) >= (int)sizeof cp ||
	    snprintf(target, sizeof target, "%s", out) >= (int)sizeof target) {
		fail_io("path too long: %s%s", snap, NULL);
		goto out;
	}
	size_t tl = strlen(target);
	while (tl > 1 && target[tl - 1] == '/')
		target[--tl] = 0;
	if ((rc = read_any(snap, DC_TRUST_MAX_FILE, &json, &jl)) != 0 ||
	    (rc = read_any(sp, MAX_SIG_FILE, &sig, &sl)) != 0 ||
	    (rc = read_any(cp, 64 * 1024, &crt, &cl)) != 0)
		goto out;
	rc = EXIT_USAGE;
	if (snprintf(fresh, sizeof fresh, "%s.new-XXXXXX", target) >= (int)sizeof fresh ||
	    !mkdtemp(fresh)) {
		fail_io("cannot create a folder beside %s: %s", target, strerror(errno));
		goto out;
	}
	made = true;
	struct vci_out vo = {fresh, 0};
	dc_vci_import_stats st;
	const char *missing = NULL;
	dc_err e = dc_vci_import(json, jl, sig, sl, crt, cl, pin, n_only ? only : NULL, n_only,
				 crls, n_crls, vci_sink, &vo, &st, &missing);
	if (vo.failed) {
		fail_io("cannot write into %s: %s", fresh, strerror(vo.failed));
		goto out;
	}
	if (e != DC_OK) {
		char detail[MAX_PATH + 64];
		snprintf(detail, sizeof detail, "%s%s%s; the trust in %s is unchanged",
			 missing ? "issuer " : snap, missing ? missing : "",
			 missing && e == DC_E_CRL_INVALID ? " (CRL file for an issuer not imported)"
							  : "", target);
		rc = e == DC_E_NOMEM ? EXIT_USAGE : refuse(e, detail);
		goto out;
	}
	if (place_imported(fresh, target, old) != 0)
		goto out;
	made = false;
	printf("%zu issuers, %zu keys, %zu CRLs with %zu revoked ids imported into %s "
	       "(skipped: %zu keys, %zu CRLs, %zu issuers without a usable key)\n",
	       st.issuers, st.keys, st.crls, st.crl_entries, target, st.keys_skipped,
	       st.crls_skipped, st.issuers_skipped);
	rc = 0;
	goto out;
usage:
	usage(stderr);
	rc = EXIT_USAGE;
out:
	if (made)
		rm_tree(fresh);
	for (size_t i = 0; crls && i < n_crls; i++) {
		free((void *)crls[i].json);
		free(crl_iss[i]);
	}
	free(crls);
	free(crl_iss);
	free(only);
	free(json);
	free(sig);
	free(crt);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "pack") == 0)
		return cmd_pack(argc, argv);
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc, argv);
	if (strcmp(argv[1], "install") == 0)
		return cmd_install(argc, argv);
	if (strcmp(argv[1], "import-dcc") == 0)
		return cmd_import_dcc(argc, argv);
	if (strcmp(argv[1], "import-vci") == 0)
		return cmd_import_vci(argc, argv);
	usage(stderr);
	return EXIT_USAGE;
}
