/*
 * v4l2: USB webcams (and any V4L2 capture node) with mmap streaming.
 *
 * Formats, best first: GREY, NV12 and YUV420 hand the driver's buffer
 * straight to the scanner (the Y plane comes first; no copy, the buffer is
 * re-queued only at the next call). YUYV is packed, so its Y bytes are
 * gathered into one buffer sized at open; MJPEG frames are decoded to grey
 * into that same buffer (libjpeg-turbo supplies the Huffman tables many
 * webcams leave out).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "dc_image.h"
#include "dc_source_priv.h"

#define V4L2_DEFAULT "/dev/video0"
#define V4L2_BUFS 4

typedef struct {
	dc_source base;
	int fd;
	int streaming;
	int nbuf;
	struct {
		uint8_t *p;
		size_t len;
	} buf[V4L2_BUFS];
	int held;                 /* dequeued buffer lent out, or -1 */
	uint32_t fourcc;
	int w, h, bpl;
	uint8_t *grey;            /* w * h, for YUYV and MJPEG */
	char path[64];
} v4l2_source;

static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;
	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r;
}

static int requeue(v4l2_source *v, int index)
{
	struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
				 .memory = V4L2_MEMORY_MMAP,
				 .index = (unsigned)index };
	return xioctl(v->fd, VIDIOC_QBUF, &b);
}

static dc_src_status v4l2_next(dc_source *s, dc_frame *f, int timeout_ms)
{
	v4l2_source *v = (v4l2_source *)s;

	if (v->held >= 0) {
		requeue(v, v->held);
		v->held = -1;
	}
	struct pollfd p = { .fd = v->fd, .events = POLLIN };
	int r;
	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		dc_src_seterr(s->err, sizeof s->err, "poll %s: %s", v->path,
			      strerror(errno));
		return DC_SRC_IO;
	}
	if (r == 0)
		return DC_SRC_AGAIN;
	if (p.revents & (POLLERR | POLLHUP)) {
		dc_src_seterr(s->err, sizeof s->err, "camera at %s stopped",
			      v->path);
		return DC_SRC_NO_DEVICE;
	}
	struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
				 .memory = V4L2_MEMORY_MMAP };
	if (xioctl(v->fd, VIDIOC_DQBUF, &b) < 0) {
		if (errno == EAGAIN)
			return DC_SRC_AGAIN;
		dc_src_seterr(s->err, sizeof s->err, "camera at %s: %s",
			      v->path, strerror(errno));
		return errno == ENODEV ? DC_SRC_NO_DEVICE : DC_SRC_IO;
	}
	if (b.index >= (unsigned)v->nbuf) {
		dc_src_seterr(s->err, sizeof s->err, "driver returned buffer %u",
			      b.index);
		return DC_SRC_IO;
	}
	const uint8_t *data = v->buf[b.index].p;
	size_t used = b.bytesused ? b.bytesused : v->buf[b.index].len;
	if ((b.flags & V4L2_BUF_FLAG_ERROR) || used > v->buf[b.index].len) {
		requeue(v, (int)b.index);
		return DC_SRC_AGAIN; /* a damaged frame: the next one will do */
	}

	int lent = dc_src_v4l2_frame(v->fourcc, data, used, v->w, v->h, v->bpl,
				     v->grey, f, s->err, sizeof s->err);
	if (lent == 1) {
		v->held = (int)b.index;
		return DC_SRC_OK;
	}
	requeue(v, (int)b.index);
	/* An unusable frame (short, corrupt MJPEG): the next one will do. */
	return lent == 0 ? DC_SRC_OK : DC_SRC_AGAIN;
}

int dc_src_v4l2_frame(uint32_t fourcc, const uint8_t *data, size_t used,
		      int w, int h, int bpl, uint8_t *grey, dc_frame *f,
		      char *err, size_t errlen)
{
	f->kind = DC_FRAME_GREY;
	f->width = w;
	f->height = h;
	switch (fourcc) {
	case V4L2_PIX_FMT_GREY:
	case V4L2_PIX_FMT_NV12:
	case V4L2_PIX_FMT_YUV420:
		if (bpl < w || used < (size_t)bpl * h) {
			dc_src_seterr(err, errlen, "short camera frame");
			return -1;
		}
		f->y = data;
		f->stride = bpl;
		return 1;
	case V4L2_PIX_FMT_YUYV:
		if (bpl < 2 * w || used < (size_t)bpl * h) {
			dc_src_seterr(err, errlen, "short camera frame");
			return -1;
		}
		for (int y = 0; y < h; y++) {
			const uint8_t *row = data + (size_t)y * bpl;
			uint8_t *dst = grey + (size_t)y * w;
			for (int x = 0; x < w; x++)
				dst[x] = row[2 * x];
		}
		break;
	case V4L2_PIX_FMT_MJPEG: {
		int jw = 0, jh = 0;
		char jerr[160];
		if (dc_image_jpeg_into(data, used, grey, w, w, h, &jw, &jh, jerr,
				       sizeof jerr) != 0) {
			dc_src_seterr(err, errlen, "camera frame: %s", jerr);
			return -1;
		}
		f->width = jw;
		f->height = jh;
		break;
	}
	default:
		dc_src_seterr(err, errlen, "unsupported camera format");
		return -1;
	}
	f->y = grey;
	f->stride = w;
	return 0;
}

static void v4l2_wipe(dc_source *s)
{
	v4l2_source *v = (v4l2_source *)s;
	if (v->grey)
		mbedtls_platform_zeroize(v->grey, (size_t)v->w * v->h);
	if (v->held >= 0)
		mbedtls_platform_zeroize(v->buf[v->held].p,
					 v->buf[v->held].len);
}

static void v4l2_destroy(dc_source *s)
{
	v4l2_source *v = (v4l2_source *)s;
	if (v->streaming) {
		enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		xioctl(v->fd, VIDIOC_STREAMOFF, &t);
	}
	for (int i = 0; i < v->nbuf; i++)
		if (v->buf[i].p)
			munmap(v->buf[i].p, v->buf[i].len);
	if (v->fd >= 0) {
		struct v4l2_requestbuffers rb = {
			.count = 0, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
			.memory = V4L2_MEMORY_MMAP };
		xioctl(v->fd, VIDIOC_REQBUFS, &rb);
		close(v->fd);
	}
	free(v->grey);
	free(v);
}

static const dc_source_ops v4l2_ops = { v4l2_next, v4l2_wipe, v4l2_destroy };

static int format_rank(uint32_t fourcc)
{
	switch (fourcc) {
	case V4L2_PIX_FMT_GREY: return 5;
	case V4L2_PIX_FMT_NV12: return 4;
	case V4L2_PIX_FMT_YUV420: return 3;
	case V4L2_PIX_FMT_YUYV: return 2;
	case V4L2_PIX_FMT_MJPEG: return 1;
	default: return 0;
	}
}

dc_src_status dc_src_v4l2_open(const dc_source_config *cfg, dc_source **out,
			       char *err, size_t errlen)
{
	const char *path = cfg->device ? cfg->device : V4L2_DEFAULT;
	dc_src_status st = DC_SRC_IO;
	v4l2_source *v = calloc(1, sizeof *v);

	if (!v)
		return DC_SRC_NOMEM;
	v->base.ops = &v4l2_ops;
	v->held = -1;
	snprintf(v->path, sizeof v->path, "%s", path);
	v->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (v->fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENODEV || e == ENXIO) {
			dc_src_seterr(err, errlen, "no camera at %s", path);
			st = DC_SRC_NO_DEVICE;
		} else {
			dc_src_seterr(err, errlen, "cannot open camera %s: %s%s",
				      path, strerror(e),
				      e == EACCES ? " (is the user in the "
						    "video group?)" : "");
		}
		goto fail;
	}

	struct v4l2_capability cap;
	memset(&cap, 0, sizeof cap);
	if (xioctl(v->fd, VIDIOC_QUERYCAP, &cap) < 0) {
		dc_src_seterr(err, errlen, "%s is not a V4L2 device", path);
		st = DC_SRC_NO_DEVICE;
		goto fail;
	}
	uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS)
				? cap.device_caps : cap.capabilities;
	if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING)) {
		/* UVC cameras also create a metadata node (often video1). */
		dc_src_seterr(err, errlen,
			      "%s is not a video capture device", path);
		st = DC_SRC_NO_DEVICE;
		goto fail;
	}

	uint32_t best = 0;
	struct v4l2_fmtdesc fd = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	for (fd.index = 0; xioctl(v->fd, VIDIOC_ENUM_FMT, &fd) == 0; fd.index++)
		if (format_rank(fd.pixelformat) > format_rank(best))
			best = fd.pixelformat;
	if (!best) {
		dc_src_seterr(err, errlen,
			      "%s offers none of GREY, NV12, YUV420, YUYV, "
			      "MJPEG", path);
		st = DC_SRC_UNSUPPORTED;
		goto fail;
	}

	struct v4l2_format fmt;
	memset(&fmt, 0, sizeof fmt);
	fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	fmt.fmt.pix.width = (unsigned)(cfg->width ? cfg->width
						  : DC_SRC_DEFAULT_WIDTH);
	fmt.fmt.pix.height = (unsigned)(cfg->height ? cfg->height
						    : DC_SRC_DEFAULT_HEIGHT);
	fmt.fmt.pix.pixelformat = best;
	fmt.fmt.pix.field = V4L2_FIELD_NONE;
	if (xioctl(v->fd, VIDIOC_S_FMT, &fmt) < 0) {
		dc_src_seterr(err, errlen, "cannot set format on %s: %s", path,
			      strerror(errno));
		goto fail;
	}
	v->fourcc = fmt.fmt.pix.pixelformat;
	v->w = (int)fmt.fmt.pix.width;
	v->h = (int)fmt.fmt.pix.height;
	v->bpl = (int)fmt.fmt.pix.bytesperline;
	if (!format_rank(v->fourcc) || v->w <= 0 || v->h <= 0 ||
	    v->w > 4096 || v->h > 4096) {
		dc_src_seterr(err, errlen, "%s gave an unusable format", path);
		st = DC_SRC_UNSUPPORTED;
		goto fail;
	}
	if (v->bpl == 0) /* MJPEG has no line length */
		v->bpl = v->fourcc == V4L2_PIX_FMT_YUYV ? 2 * v->w : v->w;
	if (v->fourcc == V4L2_PIX_FMT_YUYV || v->fourcc == V4L2_PIX_FMT_MJPEG) {
		v->grey = malloc((size_t)v->w * v->h);
		if (!v->grey) {
			st = DC_SRC_NOMEM;
			goto fail;
		}
	}

	struct v4l2_requestbuffers rb = { .count = V4L2_BUFS,
					  .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					  .memory = V4L2_MEMORY_MMAP };
	if (xioctl(v->fd, VIDIOC_REQBUFS, &rb) < 0 || rb.count < 2) {
		dc_src_seterr(err, errlen, "%s: no mmap buffers: %s", path,
			      strerror(errno));
		goto fail;
	}
	v->nbuf = rb.count > V4L2_BUFS ? V4L2_BUFS : (int)rb.count;
	for (int i = 0; i < v->nbuf; i++) {
		struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					 .memory = V4L2_MEMORY_MMAP,
					 .index = (unsigned)i };
		if (xioctl(v->fd, VIDIOC_QUERYBUF, &b) < 0)
			goto fail_buf;
		void *p = mmap(NULL, b.length, PROT_READ | PROT_WRITE,
			       MAP_SHARED, v->fd, b.m.offset);
		if (p == MAP_FAILED)
			goto fail_buf;
		v->buf[i].p = p;
		v->buf[i].len = b.length;
		if (requeue(v, i) < 0)
			goto fail_buf;
	}
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	if (xioctl(v->fd, VIDIOC_STREAMON, &type) < 0) {
		dc_src_seterr(err, errlen, "cannot start %s: %s", path,
			      strerror(errno));
		goto fail;
	}
	v->streaming = 1;
	*out = &v->base;
	return DC_SRC_OK;

fail_buf:
	dc_src_seterr(err, errlen, "%s: cannot map buffers: %s", path,
		      strerror(errno));
fail:
	v4l2_destroy(&v->base);
	return st;
}
