/*
 * doorcheck-trust end to end: pack the demo trust files, install them, and
 * check that every bad bundle is refused with exit 1, one reason line, and
 * the installed trust folder left exactly as it was. Finally the installed
 * folder verifies the demo vaccinated card with doorcheck-verify.
 *
 * usage: test_bundle_cli DOORCHECK_TRUST [DOORCHECK_VERIFY CARD_TXT]
 * In a cross build the tools run through meson's MESON_EXE_WRAPPER (or
 * DC_EXE_WRAPPER, a plain space-separated command).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle_sign.h"
#include "dc_bundle.h"
#include "dc_test.h"

static const char *tool, *keys, *tmp;
static char out_text[8192], err_text[8192];

static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
	buf[n] = 0;
	if (f)
		fclose(f);
}

/* Runs argv (NULL-terminated) through DC_EXE_WRAPPER if set; captures
 * stdout and stderr; returns the exit status (-1 if it did not exit). */
static int run(const char *const *argv)
{
	char opath[4096], epath[4096];
	const char *full[64];
	char wrap[1024];
	size_t k = 0;
	/* meson's MESON_EXE_WRAPPER is shell-quoted: undo single quotes, double
	 * quotes and backslashes, split on unquoted blanks. */
	const char *w = getenv("MESON_EXE_WRAPPER");
	if (!w || !*w)
		w = getenv("DC_EXE_WRAPPER");
	if (w && *w) {
		char *o = wrap, *end = wrap + sizeof wrap - 1;
		char q = 0;
		bool in_word = false;
		for (const char *c = w; *c && o < end; c++) {
			if (q) {
				if (*c == q)
					q = 0;
				else if (q == '"' && *c == '\\' && c[1])
					*o++ = *++c;
				else
					*o++ = *c;
				continue;
			}
			if (*c == ' ' || *c == '\t') {
				if (in_word) {
					*o++ = 0;
					in_word = false;
				}
				continue;
			}
			if (!in_word) {
				if (k == 16)
					break;
				full[k++] = o;
				in_word = true;
			}
			if (*c == '\'' || *c == '"')
				q = *c;
			else if (*c == '\\' && c[1])
				*o++ = *++c;
			else
				*o++ = *c;
		}
		*o = 0;
	}
	for (size_t i = 0; argv[i] && k < 63; i++)
		full[k++] = argv[i];
	full[k] = NULL;
	snprintf(opath, sizeof opath, "%s/stdout", tmp);
	snprintf(epath, sizeof epath, "%s/stderr", tmp);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int o = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(o, 1);
		dup2(e, 2);
		execvp(full[0], (char *const *)full);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	slurp(opath, out_text, sizeof out_text);
	slurp(epath, err_text, sizeof err_text);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *p(const char *rel)
{
	static char buf[8][4096];
	static int slot;
	char *b = buf[slot++ & 7];
	snprintf(b, sizeof buf[0], "%s/%s", tmp, rel);
	return b;
}

static const char *key(const char *name)
{
	static char buf[4][4096];
	static int slot;
	char *b = buf[slot++ & 3];
	snprintf(b, sizeof buf[0], "%s/%s", keys, name);
	return b;
}

static void copy(const char *from, const char *to)
{
	size_t n;
	char *d = dc_test_read(from, &n);
	CHECK_MSG(d && bs_write(to, d, n) == 0, "copy %s -> %s", from, to);
	free(d);
}

static int pack(const char *keyfile, const char *version, const char *src, const char *out)
{
	const char *a[] = { tool, "pack", "--key", keyfile, "--version", version,
			    "--created", "2026-01-01T00:00:00Z", "--out", out, src, NULL };
	return run(a);
}

static int install(const char *bundle, const char *trust)
{
	const char *a[] = { tool, "install", "--pin", key("operator.pub.pem"), bundle, trust, NULL };
	return run(a);
}

/* The trust folder's content (names, sizes, bytes) as one string. */
static char *snapshot(const char *dir)
{
	size_t cap = 1 << 16, n = 0;
	char *s = calloc(1, cap);
	struct dirent **list;
	int k = scandir(dir, &list, NULL, alphasort);
	if (k < 0) {
		snprintf(s, cap, "(missing)");
		return s;
	}
	for (int i = 0; i < k; i++) {
		char path[4096];
		size_t len = 0;
		snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
		char *d = list[i]->d_name[0] == '.' && strcmp(list[i]->d_name, ".bundle-version")
				  ? NULL : dc_test_read(path, &len);
		if (d && n + strlen(list[i]->d_name) + len + 4 < cap)
			n += (size_t)snprintf(s + n, cap - n, "%s\n%s\n", list[i]->d_name, d);
		free(d);
		free(list[i]);
	}
	free(list);
	return s;
}

/* No TRUST_DIR.new-* or .old-* left beside the trust folder. */
static int leftovers(void)
{
	int n = 0;
	DIR *d = opendir(tmp);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (strstr(de->d_name, "trust.new-") || strstr(de->d_name, "trust.old-"))
			n++;
	if (d)
		closedir(d);
	return n;
}

#define REFUSED(cmd, code) do { \
	char *before_ = snapshot(p("trust")); \
	int rc_ = (cmd); \
	CHECK_MSG(rc_ == 1, "%s: exit %d (stderr: %s)", #cmd, rc_, err_text); \
	CHECK_MSG(strstr(err_text, code) != NULL, "%s: stderr lacks %s: %s", #cmd, code, err_text); \
	CHECK_MSG(strchr(err_text, '\n') == err_text + strlen(err_text) - 1, "one line: %s", err_text); \
	char *after_ = snapshot(p("trust")); \
	CHECK_MSG(strcmp(before_, after_) == 0, "%s changed the trust folder", #cmd); \
	CHECK_EQ_INT(leftovers(), 0); \
	free(before_); free(after_); \
} while (0)

/* Writes BUNDLE_DIR with this JSON, signed with keyfile. */
static void signed_bundle(const char *dir, const char *json, const char *keyfile)
{
	uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	char path[4096];
	size_t sl = bs_sign(keyfile, json, strlen(json), sig);
	CHECK(sl > 0);
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/trust-bundle.json", dir);
	CHECK(bs_write(path, json, strlen(json)) == 0);
	snprintf(path, sizeof path, "%s/trust-bundle.sig", dir);
	CHECK(bs_write(path, sig, sl) == 0);
}

static void entry_bundle(const char *dir, int version, const char *name, const char *data,
			 const char *hash_of)
{
	char *e = bs_entry(name, data, hash_of);
	size_t cap = e ? strlen(e) + 256 : 0;
	char *json = e ? malloc(cap) : NULL;
	CHECK(json != NULL);
	if (!json) {
		free(e);
		return;
	}
	snprintf(json, cap, "{\"format\":\"doorcheck-trust-bundle\",\"version\":%d,"
		 "\"created\":\"2026-01-01T00:00:00Z\",\"files\":[%s]}", version, e);
	signed_bundle(dir, json, key("operator.key.pem"));
	free(json);
	free(e);
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* A P-384 key in an issuer file: well formed, but the trust store takes
 * only P-256 issuer keys, so the folder does not load. */
static const char p384_issuer[] =
	"{\"issuer\":{\"iss\":\"https://p384.doorcheck.invalid/issuer\",\"name\":\"P-384\"},"
	"\"keys\":[{\"kty\":\"EC\",\"kid\":\"x\",\"use\":\"sig\",\"alg\":\"ES384\",\"crv\":\"P-384\","
	"\"x\":\"iA7lWQLzVrKGEFjfGMfMHfTEZ2KnLiKU7JuNT3E7ygsfE7ygsfE7ygsfE7ygsfE7\","
	"\"y\":\"iA7lWQLzVrKGEFjfGMfMHfTEZ2KnLiKU7JuNT3E7ygsfE7ygsfE7ygsfE7ygsfE7\"}]}";

int main(int argc, char **argv)
{
	char tbuf[] = "/tmp/dc-bundle-cli-XXXXXX";
	if (argc < 2) {
		fprintf(stderr, "usage: %s DOORCHECK_TRUST [DOORCHECK_VERIFY CARD_TXT]\n", argv[0]);
		return 2;
	}
	tool = argv[1];
	keys = dc_test_path("DC_SOURCE_ROOT", "keys/demo");
	if (getenv("TMPDIR")) {
		static char t2[4096];
		snprintf(t2, sizeof t2, "%s/dc-bundle-cli-XXXXXX", getenv("TMPDIR"));
		tmp = mkdtemp(t2);
	} else {
		tmp = mkdtemp(tbuf);
	}
	if (!tmp) {
		perror("mkdtemp");
		return 2;
	}

	/* The demo trust files only: keys/demo also holds private keys. */
	mkdir(p("src"), 0755);
	copy(key("demo.issuer.json"), p("src/demo.issuer.json"));
	copy(key("dcc-dsc-es256.crt.pem"), p("src/es256.dsc.pem"));

	CHECK_EQ_INT(pack(key("operator.key.pem"), "1", p("src"), p("b1")), 0);
	const char *va[] = { tool, "verify", "--pin", key("operator.pub.pem"), p("b1"), NULL };
	CHECK_EQ_INT(run(va), 0);
	CHECK(strstr(out_text, "version 1\n") && strstr(out_text, "created 2026-01-01T00:00:00Z\n") &&
	      strstr(out_text, "demo.issuer.json") && strstr(out_text, "es256.dsc.pem"));
	CHECK_EQ_INT(install(p("b1"), p("trust")), 0); /* creates the folder */
	char *s1 = snapshot(p("trust"));
	CHECK(strstr(s1, ".bundle-version\n1\n") != NULL);
	CHECK(strstr(s1, "demo.issuer.json\n") != NULL);
	free(s1);
	CHECK_EQ_INT(leftovers(), 0);

	/* A good version 2, used as the base of the refused variants. */
	CHECK_EQ_INT(pack(key("operator.key.pem"), "2", p("src"), p("b2")), 0);

	/* tampered byte */
	mkdir(p("tampered"), 0755);
	copy(p("b2/trust-bundle.sig"), p("tampered/trust-bundle.sig"));
	size_t jl;
	char *j = dc_test_read(p("b2/trust-bundle.json"), &jl);
	CHECK(j && jl > 200);
	j[jl / 2] = (char)(j[jl / 2] == 'A' ? 'B' : 'A');
	CHECK(bs_write(p("tampered/trust-bundle.json"), j, jl) == 0);
	REFUSED(install(p("tampered"), p("trust")), "bundle_signature");
	/* verify refuses it too */
	const char *vt[] = { tool, "verify", "--pin", key("operator.pub.pem"), p("tampered"), NULL };
	CHECK_EQ_INT(run(vt), 1);

	/* signed by another key */
	CHECK_EQ_INT(pack(key("shc-untrusted.key.pem"), "2", p("src"), p("other")), 0);
	REFUSED(install(p("other"), p("trust")), "bundle_signature");

	/* unsigned */
	mkdir(p("unsigned"), 0755);
	copy(p("b2/trust-bundle.json"), p("unsigned/trust-bundle.json"));
	REFUSED(install(p("unsigned"), p("trust")), "bundle_signature");
	free(j);

	/* oversized (a sparse file: no need to write 16 MiB) */
	mkdir(p("huge"), 0755);
	copy(p("b2/trust-bundle.sig"), p("huge/trust-bundle.sig"));
	CHECK(bs_write(p("huge/trust-bundle.json"), "{", 1) == 0);
	CHECK(truncate(p("huge/trust-bundle.json"), 16 * 1024 * 1024 + 1) == 0);
	REFUSED(install(p("huge"), p("trust")), "bundle_too_large");

	/* older and equal versions */
	REFUSED(install(p("b1"), p("trust")), "bundle_older");
	CHECK_EQ_INT(pack(key("operator.key.pem"), "1", p("src"), p("b1b")), 0);
	REFUSED(install(p("b1b"), p("trust")), "bundle_older");

	/* bad names at pack: a hidden file, a folder, a key file */
	mkdir(p("src-hidden"), 0755);
	copy(key("demo.issuer.json"), p("src-hidden/demo.issuer.json"));
	copy(key("demo.issuer.json"), p("src-hidden/.hidden"));
	CHECK_EQ_INT(pack(key("operator.key.pem"), "3", p("src-hidden"), p("bad")), 1);
	CHECK(strstr(err_text, "bundle_file_name") != NULL);
	mkdir(p("src-folder"), 0755);
	mkdir(p("src-folder/a"), 0755);
	copy(key("demo.issuer.json"), p("src-folder/a/b"));
	CHECK_EQ_INT(pack(key("operator.key.pem"), "3", p("src-folder"), p("bad")), 1);
	CHECK(strstr(err_text, "bundle_file_name") != NULL);
	CHECK_EQ_INT(pack(key("operator.key.pem"), "3", keys, p("bad")), 1); /* private keys there */
	CHECK(access(p("bad/trust-bundle.json"), F_OK) != 0);

	/* bad names and hashes at open (bundles the packer would not make) */
	entry_bundle(p("dotdot"), 3, "../x", "{}", "{}");
	REFUSED(install(p("dotdot"), p("trust")), "bundle_file_name");
	entry_bundle(p("hidden"), 3, ".hidden", "{}", "{}");
	REFUSED(install(p("hidden"), p("trust")), "bundle_file_name");
	entry_bundle(p("slash"), 3, "a/b", "{}", "{}");
	REFUSED(install(p("slash"), p("trust")), "bundle_file_name");
	entry_bundle(p("hash"), 3, "demo.issuer.json", "{}", "not this");
	REFUSED(install(p("hash"), p("trust")), "bundle_file_hash");

	/* content that does not load: pack refuses to sign it, install refuses
	 * a signed one */
	mkdir(p("src-p384"), 0755);
	CHECK(bs_write(p("src-p384/p384.issuer.json"), p384_issuer, strlen(p384_issuer)) == 0);
	CHECK_EQ_INT(pack(key("operator.key.pem"), "3", p("src-p384"), p("bad")), 1);
	CHECK(strstr(err_text, "bundle_content") != NULL);
	entry_bundle(p("p384"), 3, "p384.issuer.json", p384_issuer, p384_issuer);
	REFUSED(install(p("p384"), p("trust")), "bundle_content");

	/* a pin that is not a P-256 public key is a usage problem */
	const char *bp[] = { tool, "install", "--pin", key("operator.key.pem"), p("b2"), p("trust"), NULL };
	CHECK_EQ_INT(run(bp), 2);
	const char *nb[] = { tool, "install", "--pin", key("operator.pub.pem"), p("nowhere"), p("trust"), NULL };
	CHECK_EQ_INT(run(nb), 2);
	const char *us[] = { tool, "frobnicate", NULL };
	CHECK_EQ_INT(run(us), 2);

	/* Folders a power cut left beside the trust folder (between mkdtemp
	 * and the rename) are removed by the next install; anything else
	 * beside it stays. */
	mkdir(p("trust.new-Ab3dEf"), 0755);
	copy(key("demo.issuer.json"), p("trust.new-Ab3dEf/demo.issuer.json"));
	mkdir(p("trust.old-123456"), 0755);
	mkdir(p("trust.new-keep"), 0755);
	copy(key("demo.issuer.json"), p("trust.keep.json"));
	CHECK(leftovers() > 0);

	/* the good update goes in over the old folder */
	CHECK_EQ_INT(install(p("b2"), p("trust")), 0);
	char *s2 = snapshot(p("trust"));
	CHECK(strstr(s2, ".bundle-version\n2\n") != NULL);
	free(s2);
	CHECK(strstr(err_text, "left by an interrupted install") != NULL);
	struct stat kst;
	CHECK(stat(p("trust.new-keep"), &kst) == 0 && stat(p("trust.keep.json"), &kst) == 0);
	rmdir(p("trust.new-keep"));
	CHECK_EQ_INT(leftovers(), 0);
	struct stat st;
	CHECK(stat(p("trust"), &st) == 0 && (st.st_mode & 0777) == 0755);

	/* Real trust data: the signed VCI directory travels inside a bundle and
	 * keeps its own signature, checked again at install. */
	const char *shared = getenv("DC_SHARED");
	char vci[4096];
	snprintf(vci, sizeof vci, "%s/trust/vci", shared ? shared : "");
	char vjson[4200];
	snprintf(vjson, sizeof vjson, "%s/vci_snapshot.json", vci);
	if (shared && access(vjson, R_OK) == 0) {
		const char *parts[] = { "vci_snapshot.json", "vci_snapshot.sig", "vci_snapshot.crt" };
		char from[4400], to[4400];
		mkdir(p("src-vci"), 0755);
		copy(key("demo.issuer.json"), p("src-vci/demo.issuer.json"));
		for (int i = 0; i < 3; i++) {
			snprintf(from, sizeof from, "%s/%s", vci, parts[i]);
			snprintf(to, sizeof to, "%s/%s", p("src-vci"), parts[i]);
			copy(from, to);
		}
		CHECK_EQ_INT(pack(key("operator.key.pem"), "10", p("src-vci"), p("b10")), 0);
		CHECK_EQ_INT(install(p("b10"), p("trust")), 0);
		char *s10 = snapshot(p("trust"));
		CHECK(strstr(s10, ".bundle-version\n10\n") && strstr(s10, "vci_snapshot.crt\n"));
		free(s10);

		/* The operator signs a snapshot changed after VCI signed it: the
		 * operator's signature does not make it trusted. */
		const char *names[4] = { "demo.issuer.json", "vci_snapshot.crt", "vci_snapshot.json",
					 "vci_snapshot.sig" };
		uint8_t *data[4];
		size_t lens[4];
		for (int i = 0; i < 4; i++) {
			snprintf(from, sizeof from, "%s/%s", p("src-vci"), names[i]);
			data[i] = (uint8_t *)dc_test_read(from, &lens[i]);
			CHECK(data[i] != NULL);
		}
		if (data[0] && data[1] && data[2] && data[3]) {
			char *pos = strstr((char *)data[2], "https://");
			CHECK(pos != NULL);
			if (pos)
				pos[0] = 'H';
			char *json = NULL;
			size_t jlen = 0;
			CHECK_EQ_INT(dc_bundle_build(11, 1767225600, 4, names, (const uint8_t *const *)data,
						     lens, &json, &jlen), DC_OK);
			if (json)
				signed_bundle(p("b11"), json, key("operator.key.pem"));
			free(json);
			REFUSED(install(p("b11"), p("trust")), "bundle_content");
			CHECK(strstr(err_text, "vci_snapshot.json") != NULL);
		}
		for (int i = 0; i < 4; i++)
			free(data[i]);
	} else {
		printf("no shared VCI snapshot: skipping the VCI bundle part\n");
	}

	if (argc >= 4) {
		size_t cl;
		char *card = dc_test_read(argv[3], &cl);
		CHECK(card != NULL);
		if (card) {
			while (cl && (card[cl - 1] == '\n' || card[cl - 1] == '\r'))
				card[--cl] = 0;
			const char *v[] = { argv[2], "--trust", p("trust"), "--at", "2026-01-01T00:00:00Z",
					    card, NULL };
			CHECK_EQ_INT(run(v), 0);
			CHECK(strstr(out_text, "VERIFIED") != NULL);
			/* and an empty trust folder does not verify it: the bundle did it */
			mkdir(p("empty"), 0755);
			const char *v2[] = { argv[2], "--trust", p("empty"), "--at", "2026-01-01T00:00:00Z",
					     card, NULL };
			CHECK_EQ_INT(run(v2), 1);
			free(card);
		}
	}

	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return dc_test_done();
}
