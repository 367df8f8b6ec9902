/*
 * dc_qrfind: where is a QR code in a grey frame, and how is it tilted? For
 * the scan scheduler (dc_scan.c) only.
 *
 * It looks for the three finder patterns (the 7x7-module squares whose
 * rows cross as dark:light:dark:light:dark in 1:1:3:1:1 along any line
 * through their centre, at any rotation and under moderate perspective),
 * picks the three that make the code's corner, measures each one's width
 * along the code's edges (a tilted code's modules shrink towards its far
 * side) and fits the plane's homography from those: three centres and two
 * ratios of module size give its eight parameters. The result is the
 * code's outline, quiet zone included, as a quadrilateral in frame pixels
 * (clockwise from the code's top-left as the code reads, which may be any
 * corner on screen), and the module size.
 *
 * Working memory: `thr` holds one threshold byte per 8x8 block of the
 * searched window, dc_qrfind_thr_size() bytes; the caller sizes it once.
 * Frames are only read. Any frame content is safe: candidates are
 * clipped to the frame, the fit rejects degenerate triples, and outlines
 * may lie partly outside the frame (callers clamp when they sample).
 */
#ifndef DC_QRFIND_H
#define DC_QRFIND_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	double qx[4], qy[4]; /* outline incl. 3 modules of quiet zone */
	double cx[3], cy[3]; /* finder centres: top-left, top-right, bottom-left */
	double module;       /* px per module at the top-left finder */
	double modules;      /* estimated symbol width in modules (21..177) */
	int inverted;        /* 1: light modules on dark */
} dc_qrquad;

/* Bytes `thr` needs for a window of w x h pixels. */
size_t dc_qrfind_thr_size(int w, int h);

/* Searches the window [x0, x1) x [y0, y1) of the frame (clipped to it).
 * polarity: 0 dark modules, 1 light modules (dark mode), 2 both (the
 * triple most like a code wins). Returns 1 and fills *out when three
 * finder patterns fit a code; 2 when three were found that do not fit
 * (no timing patterns: too blurred, say), with only out->module set, from
 * their sizes; 0 when none were found; -1 on a bad argument or a too
 * small `thr`. */
int dc_qrfind(const uint8_t *y, int w, int h, int stride, int x0, int y0,
	      int x1, int y1, int polarity, uint8_t *thr, size_t thr_cap,
	      dc_qrquad *out);

#endif
