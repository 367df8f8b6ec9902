/*
 * libcamera: Raspberry Pi cameras (and anything else libcamera drives),
 * behind the C interface dc_src_libcamera_open() (extern "C").
 *
 * Compiled against Debian 12's libcamera 0.0.3 (the native build) and the
 * libcamera 0.5 headers Raspberry Pi OS ships (CI's compile check, and the
 * virtual-camera test against a 0.5.2 build: docs/camera.md). The API
 * differences this file meets are all in the compat namespace below, picked
 * by libcamera/version.h:
 *  - rotation: 0.0.x has CameraConfiguration::transform (Transform::Rot180);
 *    0.2+ replaced it with CameraConfiguration::orientation
 *    (Orientation::Rotate180).
 * Differences that need no code:
 *  - generateConfiguration() takes a StreamRoles vector in 0.0.3 and a
 *    Span<const StreamRole> in 0.5; a std::vector converts to both.
 *  - validate() may return Adjusted in both; 0.5 adjusts more often (it
 *    aligns sizes, and pipelines such as the virtual one only give NV12), so
 *    either of the two Y-plane-first formats is taken, and size and stride
 *    are read back after validation.
 *  - controls: only AfMode is set (in libcamera::controls in both), and
 *    only if the camera lists it.
 *  - only one CameraManager may exist per process (0.0.3 aborts on a
 *    second): open one libcamera source at a time.
 *
 * Buffers: the pipeline's FrameBufferAllocator (dma-heap or the device's
 * own buffers: a Raspberry Pi). Where it has none (no /dev/dma_heap, as
 * with the virtual camera on a build machine) each buffer is one memfd
 * holding all planes, which pipelines that fill buffers by CPU accept.
 * Every buffer is mapped once at open. Frames are never copied: the Y plane
 * of a completed request is lent out, and that request is re-queued only
 * at the next call. Nothing is allocated per frame (completed requests wait
 * in a fixed ring). dc_source_wipe() zeroises the lent buffer and any
 * completed one not yet handed out; closing zeroises every buffer after the
 * camera stopped.
 */
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include <libcamera/libcamera.h>
#include <libcamera/version.h>

extern "C" {
#include <mbedtls/platform_util.h>

#include "dc_source_priv.h"
}

using namespace libcamera;

namespace {

/* --- the one place where libcamera versions differ ----------------------- */
#define DC_LIBCAMERA_AT_LEAST(maj, min)                                       \
	(LIBCAMERA_VERSION_MAJOR > (maj) ||                                   \
	 (LIBCAMERA_VERSION_MAJOR == (maj) && LIBCAMERA_VERSION_MINOR >= (min)))
namespace compat {
#if DC_LIBCAMERA_AT_LEAST(0, 2)
void setRotate180(CameraConfiguration &c) { c.orientation = Orientation::Rotate180; }
bool isRotate180(const CameraConfiguration &c) { return c.orientation == Orientation::Rotate180; }
#else
void setRotate180(CameraConfiguration &c) { c.transform = Transform::Rot180; }
bool isRotate180(const CameraConfiguration &c) { return c.transform == Transform::Rot180; }
#endif
} /* namespace compat */
/* ------------------------------------------------------------------------- */

/* More buffers than this are left unused: 4 are asked for. */
constexpr size_t kMaxBuffers = 8;
/* Y, then CbCr (NV12) or Cb and Cr (YUV420). */
constexpr size_t kMaxPlanes = 3;

struct PlaneMap {
	uint8_t *data = nullptr; /* the plane's first byte */
	size_t len = 0;
};

/* One buffer, mapped once, with the request that carries it. */
struct Slot {
	FrameBuffer *fb = nullptr;
	std::unique_ptr<Request> req;
	std::array<PlaneMap, kMaxPlanes> planes{};
	size_t nplanes = 0;
	/* mmap()s to undo: one per distinct fd (planes often share one). */
	std::array<std::pair<void *, size_t>, kMaxPlanes> maps{};
	size_t nmaps = 0;

	void zero()
	{
		for (size_t i = 0; i < nplanes; i++)
			mbedtls_platform_zeroize(planes[i].data, planes[i].len);
	}
};

/* Plane layout of one own (memfd) buffer: offsets and lengths. */
size_t ownLayout(const PixelFormat &fmt, unsigned stride, unsigned h,
		 unsigned off[kMaxPlanes], unsigned len[kMaxPlanes])
{
	unsigned y = stride * h;
	off[0] = 0;
	len[0] = y;
	if (fmt == formats::NV12) {
		off[1] = y;
		len[1] = stride * ((h + 1) / 2);
		return 2;
	}
	/* YUV420: quarter-size Cb, then Cr, at half the luma stride */
	unsigned c = ((stride + 1) / 2) * ((h + 1) / 2);
	off[1] = y;
	len[1] = c;
	off[2] = y + c;
	len[2] = c;
	return 3;
}

class Lcam {
public:
	~Lcam() { close(); }
	dc_src_status open(const dc_source_config *cfg, char *err,
			   size_t errlen);
	dc_src_status next(dc_frame *f, int timeout_ms, char *err,
			   size_t errlen);
	void wipe();

private:
	void onComplete(Request *r);
	void close();
	void requeue(Request *r);
	dc_src_status ownBuffers(unsigned count, char *err, size_t errlen);
	dc_src_status mapSlot(Slot &s, char *err, size_t errlen);

	std::unique_ptr<CameraManager> cm_;
	std::shared_ptr<Camera> cam_;
	std::unique_ptr<CameraConfiguration> config_;
	std::unique_ptr<FrameBufferAllocator> alloc_;
	std::vector<std::unique_ptr<FrameBuffer>> own_; /* memfd fallback */
	Stream *stream_ = nullptr;
	PixelFormat fmt_;
	std::array<Slot, kMaxBuffers> slots_;
	size_t nslots_ = 0;
	/* Completed requests (cookie = slot index), filled by libcamera's
	 * thread: a ring, as each request is in it at most once. */
	std::mutex mu_;
	std::condition_variable cv_;
	std::array<Request *, kMaxBuffers> done_{};
	size_t done_head_ = 0, done_n_ = 0;
	Request *held_ = nullptr;
	bool acquired_ = false, started_ = false, connected_ = false;
	int w_ = 0, h_ = 0, stride_ = 0;
};

/* Runs on libcamera's pipeline thread. */
void Lcam::onComplete(Request *r)
{
	if (r->status() == Request::RequestCancelled)
		return;
	std::lock_guard<std::mutex> lock(mu_);
	if (done_n_ < done_.size()) {
		done_[(done_head_ + done_n_) % done_.size()] = r;
		done_n_++;
	}
	cv_.notify_one();
}

void Lcam::requeue(Request *r)
{
	r->reuse(Request::ReuseBuffers);
	cam_->queueRequest(r);
}

/* Maps every plane of s.fb (once per distinct fd). */
dc_src_status Lcam::mapSlot(Slot &s, char *err, size_t errlen)
{
	const std::vector<FrameBuffer::Plane> &planes = s.fb->planes();
	if (planes.empty() || planes.size() > kMaxPlanes) {
		dc_src_seterr(err, errlen, "camera buffer has %zu planes",
			      planes.size());
		return DC_SRC_UNSUPPORTED;
	}
	std::array<int, kMaxPlanes> fds{};
	for (size_t i = 0; i < planes.size(); i++) {
		const FrameBuffer::Plane &p = planes[i];
		/* Allocators fill in offsets; an unset one means the plane
		 * starts its dmabuf. */
		size_t off = p.offset == FrameBuffer::Plane::kInvalidOffset
				     ? 0 : p.offset;
		int fd = p.fd.get();
		/* The extent of this fd: up to the end of its last plane. */
		size_t end = 0;
		for (const FrameBuffer::Plane &q : planes) {
			size_t qo = q.offset == FrameBuffer::Plane::kInvalidOffset
					    ? 0 : q.offset;
			if (q.fd.get() == fd && qo + q.length > end)
				end = qo + q.length;
		}
		size_t m = 0;
		while (m < s.nmaps && fds[m] != fd)
			m++;
		if (m == s.nmaps) {
			void *base = mmap(nullptr, end, PROT_READ | PROT_WRITE,
					  MAP_SHARED, fd, 0);
			if (base == MAP_FAILED) {
				dc_src_seterr(err, errlen,
					      "cannot map camera buffer: %s",
					      strerror(errno));
				return DC_SRC_IO;
			}
			fds[m] = fd;
			s.maps[m] = { base, end };
			s.nmaps++;
		}
		s.planes[i] = { (uint8_t *)s.maps[m].first + off, p.length };
		s.nplanes++;
	}
	if (s.planes[0].len < (size_t)stride_ * h_) {
		dc_src_seterr(err, errlen, "camera buffer too small");
		return DC_SRC_IO;
	}
	return DC_SRC_OK;
}

/* No allocator buffers: one memfd per buffer, every plane in it. */
dc_src_status Lcam::ownBuffers(unsigned count, char *err, size_t errlen)
{
	unsigned off[kMaxPlanes], len[kMaxPlanes];
	size_t n = ownLayout(fmt_, stride_, h_, off, len);
	size_t total = off[n - 1] + len[n - 1];
	for (unsigned i = 0; i < count; i++) {
		int fd = memfd_create("doorcheck-frame", MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, (off_t)total) != 0) {
			dc_src_seterr(err, errlen,
				      "camera %s: no frame buffers (%s)",
				      cam_->id().c_str(), strerror(errno));
			if (fd >= 0)
				::close(fd);
			return DC_SRC_NOMEM;
		}
		SharedFD sfd(std::move(fd)); /* takes the descriptor */
		std::vector<FrameBuffer::Plane> planes(n);
		for (size_t p = 0; p < n; p++) {
			planes[p].fd = sfd;
			planes[p].offset = off[p];
			planes[p].length = len[p];
		}
		own_.push_back(std::make_unique<FrameBuffer>(planes));
	}
	return DC_SRC_OK;
}

dc_src_status Lcam::open(const dc_source_config *cfg, char *err, size_t errlen)
{
	/* libcamera logs INFO lines to stderr; keep a kiosk's stderr for
	 * problems. An operator's own setting wins. */
	setenv("LIBCAMERA_LOG_LEVELS", "*:ERROR", 0);

	cm_ = std::make_unique<CameraManager>();
	if (cm_->start() != 0) {
		dc_src_seterr(err, errlen, "libcamera could not start");
		return DC_SRC_NO_DEVICE;
	}
	if (cfg->device) {
		cam_ = cm_->get(cfg->device);
		if (!cam_) {
			dc_src_seterr(err, errlen, "no camera \"%s\" (libcamera)",
				      cfg->device);
			return DC_SRC_NO_DEVICE;
		}
	} else {
		std::vector<std::shared_ptr<Camera>> cams = cm_->cameras();
		if (cams.empty()) {
			dc_src_seterr(err, errlen, "no camera found (libcamera)");
			return DC_SRC_NO_DEVICE;
		}
		cam_ = cams.front();
	}
	if (cam_->acquire() != 0) {
		dc_src_seterr(err, errlen, "camera %s is in use",
			      cam_->id().c_str());
		return DC_SRC_IO;
	}
	acquired_ = true;

	std::vector<StreamRole> roles{ StreamRole::Viewfinder };
	config_ = cam_->generateConfiguration(roles);
	if (!config_ || config_->size() != 1) {
		dc_src_seterr(err, errlen, "camera %s has no viewfinder stream",
			      cam_->id().c_str());
		return DC_SRC_UNSUPPORTED;
	}
	StreamConfiguration &sc = config_->at(0);
	sc.pixelFormat = formats::YUV420;
	sc.size = Size(cfg->width ? cfg->width : DC_SRC_DEFAULT_WIDTH,
		       cfg->height ? cfg->height : DC_SRC_DEFAULT_HEIGHT);
	sc.bufferCount = 4;
	/* 180 is done by the sensor (free) where it can flip; elsewhere
	 * validate() takes it back and frames come unturned, which QR
	 * decoding does not mind. 90 and 270 are left to the display:
	 * sensors cannot transpose. */
	if (cfg->rotation == 180)
		compat::setRotate180(*config_);
	if (config_->validate() == CameraConfiguration::Invalid) {
		dc_src_seterr(err, errlen, "camera %s refused %dx%d YUV420",
			      cam_->id().c_str(), sc.size.width, sc.size.height);
		return DC_SRC_UNSUPPORTED;
	}
	if (cfg->rotation == 180 && !compat::isRotate180(*config_))
		fprintf(stderr, "doorcheck: camera %s cannot rotate by 180; "
			"frames come as the sensor gives them\n",
			cam_->id().c_str());
	if (sc.pixelFormat != formats::YUV420 &&
	    sc.pixelFormat != formats::NV12) {
		dc_src_seterr(err, errlen,
			      "camera %s offers no YUV420/NV12 stream (%s); use "
			      "the v4l2 source",
			      cam_->id().c_str(),
			      sc.pixelFormat.toString().c_str());
		return DC_SRC_UNSUPPORTED;
	}
	if (cam_->configure(config_.get()) != 0) {
		dc_src_seterr(err, errlen, "camera %s could not be configured",
			      cam_->id().c_str());
		return DC_SRC_IO;
	}
	/* configure() may align further: read what the stream really is. */
	stream_ = sc.stream();
	fmt_ = sc.pixelFormat;
	w_ = (int)sc.size.width;
	h_ = (int)sc.size.height;
	stride_ = (int)sc.stride;
	if (w_ <= 0 || h_ <= 0 || stride_ < w_) {
		dc_src_seterr(err, errlen, "camera %s gave an unusable format "
			      "(%dx%d, stride %d)", cam_->id().c_str(), w_, h_,
			      stride_);
		return DC_SRC_UNSUPPORTED;
	}

	alloc_ = std::make_unique<FrameBufferAllocator>(cam_);
	std::vector<FrameBuffer *> fbs;
	if (alloc_->allocate(stream_) > 0) {
		for (const std::unique_ptr<FrameBuffer> &fb : alloc_->buffers(stream_))
			fbs.push_back(fb.get());
	} else {
		/* -ENOBUFS: no dma-heap or udmabuf on this machine */
		alloc_.reset();
		dc_src_status st = ownBuffers(sc.bufferCount ? sc.bufferCount : 4,
					      err, errlen);
		if (st != DC_SRC_OK)
			return st;
		for (const std::unique_ptr<FrameBuffer> &fb : own_)
			fbs.push_back(fb.get());
	}
	for (FrameBuffer *fb : fbs) {
		if (nslots_ == slots_.size())
			break;
		Slot &s = slots_[nslots_];
		s.fb = fb;
		dc_src_status st = mapSlot(s, err, errlen);
		if (st != DC_SRC_OK)
			return st;
		s.req = cam_->createRequest(nslots_);
		if (!s.req || s.req->addBuffer(stream_, fb) != 0) {
			dc_src_seterr(err, errlen, "cannot create a request");
			return DC_SRC_IO;
		}
		nslots_++;
	}

	cam_->requestCompleted.connect(this, &Lcam::onComplete);
	connected_ = true;
	std::unique_ptr<ControlList> ctrls =
		std::make_unique<ControlList>(controls::controls);
	if (cam_->controls().find(&controls::AfMode) != cam_->controls().end())
		ctrls->set(controls::AfMode, controls::AfModeContinuous);
	if (cam_->start(ctrls.get()) != 0) {
		dc_src_seterr(err, errlen, "camera %s could not start",
			      cam_->id().c_str());
		return DC_SRC_IO;
	}
	started_ = true;
	for (size_t i = 0; i < nslots_; i++) {
		if (cam_->queueRequest(slots_[i].req.get()) != 0) {
			dc_src_seterr(err, errlen, "cannot queue a request");
			return DC_SRC_IO;
		}
	}
	return DC_SRC_OK;
}

dc_src_status Lcam::next(dc_frame *f, int timeout_ms, char *err,
			 size_t errlen)
{
	if (held_) {
		requeue(held_);
		held_ = nullptr;
	}
	Request *r = nullptr;
	{
		std::unique_lock<std::mutex> lock(mu_);
		auto ready = [this] { return done_n_ > 0; };
		if (timeout_ms < 0)
			cv_.wait(lock, ready);
		else if (!cv_.wait_for(lock,
				       std::chrono::milliseconds(timeout_ms),
				       ready))
			return DC_SRC_AGAIN;
		/* Only the newest frame matters; older ones go back. */
		while (done_n_ > 1) {
			Request *old = done_[done_head_];
			done_head_ = (done_head_ + 1) % done_.size();
			done_n_--;
			requeue(old);
		}
		r = done_[done_head_];
		done_head_ = (done_head_ + 1) % done_.size();
		done_n_--;
	}
	uint64_t i = r->cookie();
	FrameBuffer *fb = r->findBuffer(stream_);
	if (r->status() != Request::RequestComplete || i >= nslots_ ||
	    fb != slots_[i].fb ||
	    fb->metadata().status != FrameMetadata::FrameSuccess) {
		requeue(r);
		dc_src_seterr(err, errlen, "camera dropped a frame");
		return DC_SRC_AGAIN;
	}
	held_ = r;
	f->kind = DC_FRAME_GREY;
	f->y = slots_[i].planes[0].data;
	f->width = w_;
	f->height = h_;
	f->stride = stride_;
	return DC_SRC_OK;
}

void Lcam::wipe()
{
	if (held_ && held_->cookie() < nslots_)
		slots_[held_->cookie()].zero();
	/* Completed but not handed out yet: the camera does not write
	 * these until they are queued again. */
	std::lock_guard<std::mutex> lock(mu_);
	for (size_t k = 0; k < done_n_; k++) {
		Request *r = done_[(done_head_ + k) % done_.size()];
		if (r->cookie() < nslots_)
			slots_[r->cookie()].zero();
	}
}

void Lcam::close()
{
	if (started_)
		cam_->stop(); /* completes pending requests as cancelled */
	started_ = false;
	if (connected_)
		cam_->requestCompleted.disconnect(this, &Lcam::onComplete);
	connected_ = false;
	held_ = nullptr;
	done_n_ = 0;
	/* The camera is stopped: no buffer is written any more. */
	for (size_t i = 0; i < nslots_; i++) {
		Slot &s = slots_[i];
		s.zero();
		for (size_t m = 0; m < s.nmaps; m++)
			munmap(s.maps[m].first, s.maps[m].second);
		s = Slot();
	}
	nslots_ = 0;
	own_.clear();
	if (alloc_ && stream_)
		alloc_->free(stream_);
	alloc_.reset();
	config_.reset();
	if (acquired_)
		cam_->release();
	acquired_ = false;
	cam_.reset();
	if (cm_)
		cm_->stop();
	cm_.reset();
}

/* A plain C struct, so the cast from dc_source * is well defined. */
struct LcamSource {
	dc_source base;
	Lcam *cam;
};

dc_src_status lcam_next(dc_source *s, dc_frame *f, int timeout_ms)
{
	LcamSource *ls = reinterpret_cast<LcamSource *>(s);
	return ls->cam->next(f, timeout_ms, s->err, sizeof s->err);
}

void lcam_wipe(dc_source *s)
{
	reinterpret_cast<LcamSource *>(s)->cam->wipe();
}

void lcam_destroy(dc_source *s)
{
	LcamSource *ls = reinterpret_cast<LcamSource *>(s);
	delete ls->cam;
	std::free(ls);
}

const dc_source_ops lcam_ops = { lcam_next, lcam_wipe, lcam_destroy };

} /* namespace */

extern "C" dc_src_status dc_src_libcamera_open(const dc_source_config *cfg,
					       dc_source **out, char *err,
					       size_t errlen)
{
	*out = nullptr;
	LcamSource *ls = static_cast<LcamSource *>(
		std::calloc(1, sizeof(LcamSource)));
	Lcam *cam = new (std::nothrow) Lcam();
	if (!ls || !cam) {
		std::free(ls);
		delete cam;
		return DC_SRC_NOMEM;
	}
	dc_src_status st;
	try {
		st = cam->open(cfg, err, errlen);
	} catch (const std::bad_alloc &) {
		st = DC_SRC_NOMEM;
	}
	if (st != DC_SRC_OK) {
		delete cam; /* closes whatever was opened */
		std::free(ls);
		return st;
	}
	ls->base.ops = &lcam_ops;
	ls->cam = cam;
	*out = &ls->base;
	return DC_SRC_OK;
}
