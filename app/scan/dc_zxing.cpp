#define ZX_USE_UTF8 1
/*
 * dc_zxing: the zxing-cpp 1.4 shim (see dc_zxing.h).
 *
 * Hints are the cheap ones unless asked: QR only, no rotation retries (QR
 * finder patterns are rotation invariant already), no TryHarder, and
 * return-errors on, so that a located but undecodable symbol still tells
 * the scheduler where to look on the next frame. zxing 1.4 has no
 * TryInvert: the scheduler inverts the frame itself when it wants to.
 *
 * zxing returns results by value (std::vector<Result>): their content
 * bytes live in zxing's heap. We zeroise them in place before the vector
 * is destroyed, so no QR text is left in freed memory by our call path.
 */
#include "dc_zxing.h"

#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>
#include <ZXing/Result.h>

#include <cstring>
#include <exception>

namespace {

void zero_bytes(const ZXing::ByteArray &b)
{
	if (b.empty())
		return;
	volatile uint8_t *p = const_cast<uint8_t *>(b.data());
	for (size_t i = 0; i < b.size(); i++)
		p[i] = 0;
}

/* The codewords, which hold the same content: deprecated in 1.4 but the
 * only way to reach them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
const ZXing::ByteArray &raw_bytes(const ZXing::Result &r)
{
	return r.rawBytes();
}
#pragma GCC diagnostic pop

} // namespace

extern "C" int dc_zx_available(void)
{
	return 1;
}

extern "C" int dc_zx_read(const uint8_t *img, int width, int height,
			  int row_stride, int pix_stride,
			  const dc_zx_opts *opts, dc_zx_hit_fn hit, void *ctx)
{
	if (!img || width <= 0 || height <= 0 || pix_stride < 1 ||
	    row_stride < width * pix_stride || !opts || !hit)
		return -1;
	try {
		ZXing::DecodeHints h;
		h.setFormats(ZXing::BarcodeFormat::QRCode);
		h.setTryHarder(opts->try_harder != 0);
		h.setTryRotate(false);
		h.setTryDownscale(opts->try_downscale != 0);
		h.setReturnErrors(true);
		h.setMaxNumberOfSymbols(8);
		switch (opts->binarizer) {
		case DC_ZX_GLOBAL:
			h.setBinarizer(ZXing::Binarizer::GlobalHistogram);
			break;
		case DC_ZX_FIXED:
			h.setBinarizer(ZXing::Binarizer::FixedThreshold);
			break;
		default:
			h.setBinarizer(ZXing::Binarizer::LocalAverage);
			break;
		}
		ZXing::ImageView view(img, width, height, ZXing::ImageFormat::Lum,
				      row_stride, pix_stride);
		ZXing::Results rs = ZXing::ReadBarcodes(view, h);
		int n = 0;
		bool stop = false;
		for (const ZXing::Result &r : rs) {
			if (!stop && r.format() == ZXing::BarcodeFormat::QRCode) {
				dc_zx_hit out;
				std::memset(&out, 0, sizeof out);
				const ZXing::ByteArray &b = r.bytes();
				out.ok = r.isValid() && !b.empty();
				if (out.ok) {
					out.data = b.data();
					out.len = b.size();
				}
				const ZXing::Position &p = r.position();
				for (int i = 0; i < 4; i++) {
					out.x[i] = p[i].x;
					out.y[i] = p[i].y;
				}
				n++;
				stop = hit(ctx, &out) != 0;
			}
			zero_bytes(r.bytes());
			zero_bytes(raw_bytes(r));
		}
		return n;
	} catch (...) {
		return -1;
	}
}
