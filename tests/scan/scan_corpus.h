/*
 * scan_corpus: camera-condition frames for the scanner's rate benchmark
 * (tests/bench/bench_scan_rate.c) and its floor test (tests/scan/
 * test_scan_rate.c). A QR code (libqrencode, the text given: demo-issuer
 * SHC and DCC texts) is rendered on a card or phone screen into a grey
 * frame through a pinhole camera, with one graded degradation at three
 * levels. Frames are made at run time and never stored. Same arguments,
 * same seed: same frame (no global state; the renderer has its own PRNG).
 *
 * Levels: 0 = clean (only SC_CLEAN), 1 = mild, 2 = medium, 3 = hard.
 */
#ifndef DC_SCAN_CORPUS_H
#define DC_SCAN_CORPUS_H

#include <stdint.h>

enum sc_deg {
	SC_CLEAN,
	SC_SCALE,       /* modules down to 1.6 px */
	SC_ROTATION,    /* in-plane rotation */
	SC_PERSPECTIVE, /* phone tilted 15..35 degrees off the camera axis */
	SC_DEFOCUS,     /* gaussian blur */
	SC_MOTION,      /* linear motion blur */
	SC_NOISE,       /* sensor noise */
	SC_CONTRAST,    /* low contrast */
	SC_GLARE,       /* uneven light and a specular highlight */
	SC_JPEG,        /* JPEG artefacts (MJPEG webcams) */
	SC_SCREEN,      /* phone screen: overexposure, moire, PWM banding */
	SC_PAPER,       /* printout: grain, fading, shadow, creases, curl */
	SC_INVERTED,    /* dark mode: light modules on dark */
	SC_NDEG
};

const char *sc_deg_name(int deg);

/* Renders `text` as a QR code (error correction ecc: 0 L .. 3 H) into the
 * w x h frame (stride w). Returns the pixels per module at the code's
 * centre (> 0), or -1 when the text cannot be encoded or does not fit. */
double sc_render(uint8_t *frame, int w, int h, const char *text, int ecc,
		 int deg, int level, uint32_t seed);

/* A frame with no code: the same kind of background and sensor noise. */
void sc_render_empty(uint8_t *frame, int w, int h, uint32_t seed);

#endif
