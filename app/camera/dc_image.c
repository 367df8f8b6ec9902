/*
 * dc_image: PNG (libpng simplified API) and JPEG (libjpeg) to 8-bit grey.
 *
 * Both decoders report through one-line messages in err; neither library is
 * allowed to print to stderr (the default libjpeg handlers would, and would
 * call exit() on errors).
 */
#include "dc_image.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jpeglib.h>
#include <jerror.h>
#include <mbedtls/platform_util.h>
#include <png.h>

/* libjpeg's own allocations are bounded too: a progressive JPEG of the
 * largest accepted size needs far less than this. */
#define DC_IMAGE_JPEG_MAX_MEMORY (512L << 20)

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int too_large(uint64_t w, uint64_t h)
{
	return w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff ||
	       w * h > DC_IMAGE_MAX_PIXELS;
}

/* ---- PNG ---------------------------------------------------------------- */

static int load_png(const uint8_t *buf, size_t len, dc_grey *out, char *err,
		    size_t errlen)
{
	png_image img;
	uint8_t *pix = NULL;
	int rc = -1;

	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, buf, len)) {
		set_err(err, errlen, "corrupt PNG file (%s)", img.message);
		goto out;
	}
	if (too_large(img.width, img.height)) {
		set_err(err, errlen, "image too large: %ux%u", (unsigned)img.width,
			(unsigned)img.height);
		png_image_free(&img);
		goto out;
	}
	img.format = PNG_FORMAT_GRAY;
	size_t size = (size_t)img.width * img.height;
	pix = malloc(size);
	if (!pix) {
		set_err(err, errlen, "out of memory for a %ux%u image",
			(unsigned)img.width, (unsigned)img.height);
		png_image_free(&img);
		goto out;
	}
	/* Transparent pixels become white: QR codes exported with a
	 * transparent background would otherwise turn all black. */
	png_color white = { 255, 255, 255 };
	if (!png_image_finish_read(&img, &white, pix, (png_int_32)img.width,
				   NULL)) {
		set_err(err, errlen, "truncated or corrupt PNG file (%s)",
			img.message);
		goto out;
	}
	out->y = pix;
	out->width = (int)img.width;
	out->height = (int)img.height;
	out->stride = (int)img.width;
	pix = NULL;
	rc = 0;
out:
	if (pix) {
		mbedtls_platform_zeroize(pix, (size_t)img.width * img.height);
		free(pix);
	}
	return rc;
}

/* ---- JPEG --------------------------------------------------------------- */

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	char msg[JMSG_LENGTH_MAX];
} jerr_mgr;

static void j_error_exit(j_common_ptr c)
{
	jerr_mgr *e = (jerr_mgr *)c->err;
	c->err->format_message(c, e->msg);
	longjmp(e->jb, 1);
}

/* Warnings are silent, except a premature end of data: libjpeg would pad
 * the rest of the image with grey and call it a success, which hides a
 * truncated file. */
static void j_emit_message(j_common_ptr c, int level)
{
	jerr_mgr *e = (jerr_mgr *)c->err;
	if (level < 0) {
		c->err->num_warnings++;
		if (c->err->msg_code == JWRN_JPEG_EOF) {
			snprintf(e->msg, sizeof e->msg, "data ends early");
			longjmp(e->jb, 2);
		}
	}
}

static void j_output_message(j_common_ptr c)
{
	(void)c;
}

typedef struct {
	struct jpeg_decompress_struct ci;
	jerr_mgr jerr;
	uint8_t *pix; /* owned when allocated by us */
	size_t pix_size;
	uint8_t *dst; /* where rows go: pix or the caller's buffer */
	int dst_stride;
} jpeg_job;

/* Decodes into dst (stride dst_stride, cap_w x cap_h) or, when dst is NULL,
 * into a fresh buffer returned in job->pix. Everything written after setjmp
 * lives in *job, not in locals, so a longjmp cannot clobber it. */
static int jpeg_decode(jpeg_job *job, const uint8_t *buf, size_t len,
		       uint8_t *dst, int dst_stride, int cap_w, int cap_h,
		       int *w, int *h, char *err, size_t errlen)
{
	struct jpeg_decompress_struct *ci = &job->ci;
	int rc;

	ci->err = jpeg_std_error(&job->jerr.pub);
	job->jerr.pub.error_exit = j_error_exit;
	job->jerr.pub.emit_message = j_emit_message;
	job->jerr.pub.output_message = j_output_message;
	job->jerr.msg[0] = 0;

	rc = setjmp(job->jerr.jb);
	if (rc) {
		set_err(err, errlen, "%s JPEG file (%s)",
			rc == 2 ? "truncated" : "corrupt or unsupported",
			job->jerr.msg);
		jpeg_destroy_decompress(ci);
		return -1;
	}
	jpeg_create_decompress(ci);
	ci->mem->max_memory_to_use = DC_IMAGE_JPEG_MAX_MEMORY;
	/* jpeg_mem_src takes unsigned long; larger inputs never get here
	 * (DC_IMAGE_MAX_FILE_BYTES). */
	jpeg_mem_src(ci, buf, (unsigned long)len);
	if (jpeg_read_header(ci, TRUE) != JPEG_HEADER_OK) {
		set_err(err, errlen, "JPEG file has no image");
		jpeg_destroy_decompress(ci);
		return -1;
	}
	if (too_large(ci->image_width, ci->image_height)) {
		set_err(err, errlen, "image too large: %ux%u",
			(unsigned)ci->image_width, (unsigned)ci->image_height);
		jpeg_destroy_decompress(ci);
		return -1;
	}
	if (dst && ((int)ci->image_width > cap_w ||
		    (int)ci->image_height > cap_h)) {
		set_err(err, errlen, "frame %ux%u larger than the %dx%d buffer",
			(unsigned)ci->image_width, (unsigned)ci->image_height,
			cap_w, cap_h);
		jpeg_destroy_decompress(ci);
		return -1;
	}
	ci->out_color_space = JCS_GRAYSCALE;
	jpeg_start_decompress(ci);
	if (ci->output_components != 1) {
		set_err(err, errlen, "JPEG did not decode to one grey channel");
		jpeg_destroy_decompress(ci);
		return -1;
	}
	if (!dst) {
		job->pix_size = (size_t)ci->output_width * ci->output_height;
		job->pix = malloc(job->pix_size);
		if (!job->pix) {
			set_err(err, errlen, "out of memory for a %ux%u image",
				(unsigned)ci->output_width,
				(unsigned)ci->output_height);
			jpeg_destroy_decompress(ci);
			return -1;
		}
		job->dst = job->pix;
		job->dst_stride = (int)ci->output_width;
	} else {
		job->dst = dst;
		job->dst_stride = dst_stride;
	}
	while (ci->output_scanline < ci->output_height) {
		JSAMPROW row = job->dst +
			       (size_t)ci->output_scanline * job->dst_stride;
		jpeg_read_scanlines(ci, &row, 1);
	}
	jpeg_finish_decompress(ci);
	*w = (int)ci->output_width;
	*h = (int)ci->output_height;
	jpeg_destroy_decompress(ci);
	return 0;
}

int dc_image_jpeg_into(const uint8_t *buf, size_t len, uint8_t *dst,
		       int dst_stride, int cap_w, int cap_h, int *w, int *h,
		       char *err, size_t errlen)
{
	if (!buf || !dst || !w || !h || dst_stride < cap_w || cap_w <= 0 ||
	    cap_h <= 0) {
		set_err(err, errlen, "invalid argument");
		return -1;
	}
	if (len < 3 || buf[0] != 0xff || buf[1] != 0xd8 || buf[2] != 0xff) {
		set_err(err, errlen, "frame is not a JPEG image");
		return -1;
	}
	jpeg_job job;
	memset(&job, 0, sizeof job);
	return jpeg_decode(&job, buf, len, dst, dst_stride, cap_w, cap_h, w, h,
			   err, errlen);
}

static int load_jpeg(const uint8_t *buf, size_t len, dc_grey *out, char *err,
		     size_t errlen)
{
	jpeg_job *job = calloc(1, sizeof *job);
	int w = 0, h = 0, rc = -1;

	if (!job) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	if (jpeg_decode(job, buf, len, NULL, 0, 0, 0, &w, &h, err, errlen) ==
	    0) {
		out->y = job->pix;
		out->width = w;
		out->height = h;
		out->stride = w;
		job->pix = NULL;
		rc = 0;
	}
	if (job->pix) {
		mbedtls_platform_zeroize(job->pix, job->pix_size);
		free(job->pix);
	}
	free(job);
	return rc;
}

/* ---- entry points ------------------------------------------------------- */

int dc_image_load_mem(const uint8_t *buf, size_t len, dc_grey *out, char *err,
		      size_t errlen)
{
	static const uint8_t png_sig[8] = { 0x89, 'P', 'N', 'G',
					    '\r', '\n', 0x1a, '\n' };

	if (err && errlen)
		err[0] = 0;
	if (!out) {
		set_err(err, errlen, "invalid argument");
		return -1;
	}
	memset(out, 0, sizeof *out);
	if (!buf || len == 0) {
		set_err(err, errlen, "empty file");
		return -1;
	}
	if (len > DC_IMAGE_MAX_FILE_BYTES) {
		set_err(err, errlen, "file too large: %zu bytes", len);
		return -1;
	}
	if (len >= sizeof png_sig && memcmp(buf, png_sig, sizeof png_sig) == 0)
		return load_png(buf, len, out, err, errlen);
	if (len >= 3 && buf[0] == 0xff && buf[1] == 0xd8 && buf[2] == 0xff)
		return load_jpeg(buf, len, out, err, errlen);
	set_err(err, errlen, "not a PNG or JPEG file");
	return -1;
}

/* Regular files are read in one go; pipes and character devices (the CLI
 * reading /dev/stdin) are read in growing steps up to the same limit. */
int dc_image_load(const char *path, dc_grey *out, char *err, size_t errlen)
{
	FILE *f = NULL;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = -1;
	struct stat st;

	if (out)
		memset(out, 0, sizeof *out);
	if (!path || !out) {
		set_err(err, errlen, "invalid argument");
		return -1;
	}
	f = fopen(path, "rb");
	if (!f) {
		set_err(err, errlen, "cannot open %s: %s", path,
			strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
		set_err(err, errlen, "%s is not a regular file", path);
		goto out;
	}
	if (S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > DC_IMAGE_MAX_FILE_BYTES) {
		set_err(err, errlen, "file too large: %s", path);
		goto out;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64u * 1024u;
	for (;;) {
		if (len == cap) {
			if (cap > DC_IMAGE_MAX_FILE_BYTES) {
				set_err(err, errlen, "file too large: %s", path);
				goto out;
			}
			size_t ncap = cap * 2;
			uint8_t *nb = malloc(ncap);
			if (!nb) {
				set_err(err, errlen, "out of memory reading %s",
					path);
				goto out;
			}
			memcpy(nb, buf, len);
			mbedtls_platform_zeroize(buf, cap);
			free(buf);
			buf = nb;
			cap = ncap;
		}
		if (!buf) {
			buf = malloc(cap);
			if (!buf) {
				set_err(err, errlen, "out of memory reading %s",
					path);
				goto out;
			}
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		set_err(err, errlen, "cannot read %s: %s", path,
			strerror(errno));
		goto out;
	}
	if (len == 0) {
		set_err(err, errlen, "empty file: %s", path);
		goto out;
	}
	rc = dc_image_load_mem(buf, len, out, err, errlen);
out:
	if (buf) {
		/* The file may be a photo of a card: wipe the encoded copy. */
		mbedtls_platform_zeroize(buf, cap);
		free(buf);
	}
	if (f)
		fclose(f);
	return rc;
}

void dc_grey_free(dc_grey *g)
{
	if (!g)
		return;
	if (g->y) {
		mbedtls_platform_zeroize(g->y,
					 (size_t)g->stride * (size_t)g->height);
		free(g->y);
	}
	memset(g, 0, sizeof *g);
}
