/*
 * libcamera: Raspberry Pi cameras (and anything else libcamera drives),
 * behind the C interface dc_src_libcamera_open() (extern "C").
 *
 * Built against Debian 12's libcamera 0.0.3; written to carry over to the
 * 0.5.x releases Raspberry Pi OS ships. Differences that matter here:
 *  - rotation: 0.0.3 has CameraConfiguration::transform (Transform::Rot180);
 *    0.2+ replaced it with CameraConfiguration::orientation
 *    (Orientation::Rotate180). The one #if below picks the member.
 *  - generateConfiguration() takes a StreamRoles vector in 0.0.3 and a
 *    Span<const StreamRole> in 0.5; a std::vector converts to both.
 *  - validate() may return Adjusted in both; 0.5 adjusts more often (e.g.
 *    it aligns sizes and can swap YUV420 for NV12 on some pipelines), so we
 *    accept either of the two Y-plane-first formats and re-read size and
 *    stride after validation.
 *  - controls: AfMode/AfModeContinuous are in libcamera::controls in both;
 *    several others moved between controls::draft and controls over time,
 *    so only AfMode is set, and only if the camera lists it.
 *  - only one CameraManager may exist per process (0.0.3 aborts on a
 *    second): open one libcamera source at a time.
 *
 * Frames are never copied: each FrameBuffer's plane 0 (Y) dmabuf is mapped
 * once at open, and the completed request whose Y plane we lend out is
 * re-queued only at the next call.
 */
#include <sys/mman.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include <libcamera/libcamera.h>

extern "C" {
#include <mbedtls/platform_util.h>

#include "dc_source_priv.h"
}

using namespace libcamera;

namespace {

struct Mapped {
	void *base = nullptr;
	size_t map_len = 0;
	uint8_t *y = nullptr;
	size_t y_len = 0;
};

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

	std::unique_ptr<CameraManager> cm_;
	std::shared_ptr<Camera> cam_;
	std::unique_ptr<CameraConfiguration> config_;
	std::unique_ptr<FrameBufferAllocator> alloc_;
	Stream *stream_ = nullptr;
	std::vector<std::unique_ptr<Request>> requests_;
	std::map<const FrameBuffer *, Mapped> maps_;
	std::mutex mu_;
	std::condition_variable cv_;
	std::deque<Request *> done_;
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
	done_.push_back(r);
	cv_.notify_one();
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
	if (cfg->rotation == 180) {
#if LIBCAMERA_VERSION_MAJOR == 0 && LIBCAMERA_VERSION_MINOR < 2
		config_->transform = Transform::Rot180;
#else
		config_->orientation = Orientation::Rotate180;
#endif
	}
	/* 90 and 270 are left to the display: sensors cannot transpose, and
	 * QR decoding does not care how the frame is turned. */
	if (config_->validate() == CameraConfiguration::Invalid) {
		dc_src_seterr(err, errlen, "camera %s refused %dx%d YUV420",
			      cam_->id().c_str(), sc.size.width, sc.size.height);
		return DC_SRC_UNSUPPORTED;
	}
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
	stream_ = sc.stream();
	w_ = (int)sc.size.width;
	h_ = (int)sc.size.height;
	stride_ = (int)sc.stride;
	if (w_ <= 0 || h_ <= 0 || stride_ < w_) {
		dc_src_seterr(err, errlen, "camera %s gave an unusable format",
			      cam_->id().c_str());
		return DC_SRC_UNSUPPORTED;
	}

	alloc_ = std::make_unique<FrameBufferAllocator>(cam_);
	if (alloc_->allocate(stream_) <= 0) {
		dc_src_seterr(err, errlen, "camera %s: no frame buffers",
			      cam_->id().c_str());
		return DC_SRC_NOMEM;
	}
	for (const std::unique_ptr<FrameBuffer> &fb : alloc_->buffers(stream_)) {
		const FrameBuffer::Plane &p = fb->planes()[0];
		size_t need = (size_t)stride_ * h_;
		if (p.length < need) {
			dc_src_seterr(err, errlen, "camera buffer too small");
			return DC_SRC_IO;
		}
		/* Allocators fill in offsets; an unset one means the plane
		 * starts the dmabuf. */
		size_t off = p.offset == FrameBuffer::Plane::kInvalidOffset
				     ? 0 : p.offset;
		Mapped m;
		m.map_len = off + p.length;
		m.base = mmap(nullptr, m.map_len, PROT_READ | PROT_WRITE,
			      MAP_SHARED, p.fd.get(), 0);
		if (m.base == MAP_FAILED) {
			dc_src_seterr(err, errlen, "cannot map camera buffer: %s",
				      strerror(errno));
			return DC_SRC_IO;
		}
		m.y = (uint8_t *)m.base + off;
		m.y_len = p.length;
		maps_[fb.get()] = m;

		std::unique_ptr<Request> r = cam_->createRequest();
		if (!r || r->addBuffer(stream_, fb.get()) != 0) {
			dc_src_seterr(err, errlen, "cannot create a request");
			return DC_SRC_IO;
		}
		requests_.push_back(std::move(r));
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
	for (std::unique_ptr<Request> &r : requests_) {
		if (cam_->queueRequest(r.get()) != 0) {
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
		held_->reuse(Request::ReuseBuffers);
		cam_->queueRequest(held_);
		held_ = nullptr;
	}
	Request *r = nullptr;
	{
		std::unique_lock<std::mutex> lock(mu_);
		auto ready = [this] { return !done_.empty(); };
		if (timeout_ms < 0)
			cv_.wait(lock, ready);
		else if (!cv_.wait_for(lock,
				       std::chrono::milliseconds(timeout_ms),
				       ready))
			return DC_SRC_AGAIN;
		/* Only the newest frame matters; older ones go back. */
		while (done_.size() > 1) {
			Request *old = done_.front();
			done_.pop_front();
			old->reuse(Request::ReuseBuffers);
			cam_->queueRequest(old);
		}
		r = done_.front();
		done_.pop_front();
	}
	FrameBuffer *fb = r->findBuffer(stream_);
	auto it = fb ? maps_.find(fb) : maps_.end();
	if (r->status() != Request::RequestComplete || it == maps_.end() ||
	    fb->metadata().status != FrameMetadata::FrameSuccess) {
		r->reuse(Request::ReuseBuffers);
		cam_->queueRequest(r);
		dc_src_seterr(err, errlen, "camera dropped a frame");
		return DC_SRC_AGAIN;
	}
	held_ = r;
	f->kind = DC_FRAME_GREY;
	f->y = it->second.y;
	f->width = w_;
	f->height = h_;
	f->stride = stride_;
	return DC_SRC_OK;
}

void Lcam::wipe()
{
	if (!held_)
		return;
	FrameBuffer *fb = held_->findBuffer(stream_);
	auto it = fb ? maps_.find(fb) : maps_.end();
	if (it != maps_.end())
		mbedtls_platform_zeroize(it->second.y,
					 (size_t)stride_ * h_);
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
	done_.clear();
	requests_.clear();
	for (auto &kv : maps_)
		munmap(kv.second.base, kv.second.map_len);
	maps_.clear();
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
