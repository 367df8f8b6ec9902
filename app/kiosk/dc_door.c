#include "dc_door.h"

#include "dc_doorsig.h"
#include "dc_gpio.h"
#include "dc_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <mbedtls/platform_util.h>

#include "dc_collect.h"
#include "dc_importstatus.h"
#include "dc_policy_words.h"
#include "dc_policy.h"
#include "dc_scan.h"
#include "dc_tone.h"
#include "dc_trust.h"
#include "dc_trustload.h"
#include "dc_verify.h"
#include "dc_time.h"
#include "dc_wedge.h"

#ifndef DC_BUILD_EPOCH
#define DC_BUILD_EPOCH 0LL
#endif
#ifndef DC_VERSION
#define DC_VERSION "dev"
#endif

#define FRAME_MS 33 /* window loop period */
/*
 * A changed screen is presented on PRESENT_REPEAT more loop turns, and the
 * current one again every PRESENT_REFRESH_MS. On KMS/DRM, a screen that was
 * presented only once stays off the display if that one swap does not reach
 * it: under QEMU's virtio-gpu with Mesa's software GL, a kiosk that presents
 * only on change showed an all-black display for minutes (with SDL's
 * desktop GL renderer and again with its GLES2 one); presenting the same
 * screen into the next buffers of the swap chain puts it on the display
 * (docs/firmware.md). The runs that showed it had both the repeat and the
 * slow refresh, so they do not say which of them is needed; the refresh
 * costs one render every 2 s on the scan loop's thread (not measured on its
 * own).
 * It re-renders from dc_kiosk's state and keeps no copy of holder data.
 */
#define PRESENT_REPEAT 2
#define PRESENT_REFRESH_MS 2000

#define IMPORT_POLL_MS 1000 /* trust import status: one stat(2) a second */

struct import_sig {
	bool exists;
	uint64_t ino;
	int64_t size, mtime_s;
	long mtime_ns;
};

struct dc_door {
	dc_door_opts o;
	bool virtual_clock;
	dc_trust *trust;
	dc_trustbundle_info bundle;
	dc_policy *policy;
	dc_kiosk *kiosk;
	dc_scanner *scanner;
	int scan_w, scan_h;
	dc_collect *collect;
	dc_source *src;
	dc_ui *ui;
	dc_tone *tone;
	dc_gpio *gpio;     /* door relay, LEDs, buzzer; NULL = not wired */
	dc_doorsig sig;    /* their timing (app/device/dc_doorsig.h) */
	dc_wedge wedge;    /* keyboard-wedge scanner vs staff keys */
	uint64_t now_ms;   /* last event time */
	uint64_t fps_t0;   /* measured frame rate: window start, frames in it */
	unsigned fps_frames;
	double fps;
	uint64_t mono0;    /* event clock at start */
	int64_t wall0;     /* wall clock at start */
	struct import_sig import_seen; /* the trust import status last acted on */
	uint64_t import_next;          /* event time of the next poll */
};

/* --- clocks -------------------------------------------------------------- */

uint64_t dc_door_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Wall time for an event time: the machine clock, or the simulated one
 * that starts at opts.now and runs with the (real or virtual) ms. */
int64_t dc_door_wall(const dc_door *d, uint64_t ms)
{
	if (d->o.now || d->virtual_clock)
		return d->wall0 + (int64_t)((ms - d->mono0) / 1000u);
	return (int64_t)time(NULL);
}

/* The local time zone's offset, so that "today" ends at local midnight. */
static int32_t local_offset(int64_t wall)
{
	struct tm tm;
	time_t t = (time_t)wall;
	if (!localtime_r(&t, &tm))
		return 0;
	return (int32_t)tm.tm_gmtoff;
}

/* --- pipeline ------------------------------------------------------------ */

static void door_check(void *ctx, const char *const *texts, const size_t *lens, size_t n,
		       double now, dc_record *rec, dc_policy_result *pol)
{
	dc_door *d = ctx;
	dc_verify_opts vo = { .trust = d->trust, .now = now };
	dc_verify_texts(&vo, texts, lens, n, rec);
	dc_policy_evaluate(d->policy, rec, now, pol);
}

/* The result screen ended: zeroise every buffer that held the card. */
static void door_wipe(void *ctx)
{
	dc_door *d = ctx;
	if (d->src)
		dc_source_wipe(d->src);
	if (d->scanner)
		dc_scanner_wipe(d->scanner);
	if (dc_collect_pending(d->collect, NULL, NULL))
		dc_collect_reset(d->collect);
	else /* wipes the last credential's texts but keeps the seen list,
	      * so a card left in view is not counted again */
		dc_collect_release(d->collect);
}

void dc_door_feed_texts(dc_door *d, uint64_t t, const char *const *texts, const size_t *lens,
			size_t n)
{
	dc_collect_result r;
	d->now_ms = t;
	switch (dc_collect_feed(d->collect, t, texts, lens, n, &r)) {
	case DC_COLLECT_PROGRESS:
		dc_kiosk_progress(d->kiosk, t, r.have, r.total);
		break;
	case DC_COLLECT_READY:
		dc_kiosk_credential(d->kiosk, t, dc_door_wall(d, t), r.texts, r.lens, r.n);
		break;
	case DC_COLLECT_TIMEOUT:
		dc_kiosk_chunks_dropped(d->kiosk, t, dc_door_wall(d, t));
		break;
	default:
		break;
	}
	mbedtls_platform_zeroize(&r, sizeof r);
	dc_kiosk_tick(d->kiosk, t, dc_door_wall(d, t));
	dc_door_poll_import(d, t);
}

static int ensure_scanner(dc_door *d, int w, int h)
{
	if (d->scanner && w <= d->scan_w && h <= d->scan_h)
		return 0;
	dc_scanner_free(d->scanner);
	d->scan_w = w > d->scan_w ? w : d->scan_w;
	d->scan_h = h > d->scan_h ? h : d->scan_h;
	d->scanner = dc_scanner_new(d->scan_w, d->scan_h);
	if (!d->scanner)
		return -1;
	/* Keys scan_density and scan_budget_ms (docs/scanner.md). */
	dc_scan_config sc;
	dc_scan_config_default(&sc);
	sc.density = d->o.cfg.scan_density;
	sc.budget_ms = d->o.cfg.scan_budget_ms;
	return dc_scanner_config(d->scanner, &sc);
}

void dc_door_feed_grey(dc_door *d, uint64_t t, const uint8_t *y, int w, int h, int stride)
{
	const char *texts[DC_SCAN_MAX_CODES];
	size_t lens[DC_SCAN_MAX_CODES];
	int n = 0;
	if (y && ensure_scanner(d, w, h) == 0)
		n = dc_scanner_scan(d->scanner, y, w, h, stride);
	if (n < 0)
		n = 0;
	for (int i = 0; i < n; i++)
		texts[i] = dc_scanner_text(d->scanner, i, &lens[i]);
	dc_door_feed_texts(d, t, texts, lens, (size_t)n);
	mbedtls_platform_zeroize(texts, sizeof texts);
}

const dc_door_opts *dc_door_options(const dc_door *d)
{
	return &d->o;
}

const dc_trustbundle_info *dc_door_bundle(const dc_door *d)
{
	return &d->bundle;
}

dc_kiosk *dc_door_kiosk(dc_door *d)
{
	return d->kiosk;
}

dc_ui *dc_door_ui(dc_door *d)
{
	return d->ui;
}

dc_source *dc_door_source(dc_door *d)
{
	return d->src;
}

/* --- setup --------------------------------------------------------------- */

static int load_policy(dc_door *d, char *err, size_t errlen)
{
	const char *path = d->o.cfg.policy;
	if (!path[0]) {
		d->policy = dc_policy_new_default();
		return d->policy ? 0 : -1;
	}
	uint8_t *buf = NULL;
	size_t len = 0;
	char why[256];
	if (dc_read_file(path, 1u << 20, &buf, &len, err, errlen) != 0)
		return -1;
	d->policy = dc_policy_parse(buf, len, why, sizeof why);
	free(buf);
	if (!d->policy) {
		if (snprintf(err, errlen, "%s: %s", path, why) < 0)
			err[0] = 0;
		return -1;
	}
	return 0;
}

/* Loads the configured trust folder into a new store (*out): an installed,
 * signed bundle checked again (with a pin), else a plain folder. A refused
 * bundle is not an error: *out is then empty and oos (cap bytes) holds the
 * reason for the OUT OF SERVICE screen. -1 only when nothing can run (out
 * of memory, a plain folder that does not load). */
static int load_trust(dc_door *d, dc_trust **out, dc_trustbundle_info *info, char *oos,
		      size_t cap)
{
	char err[512];
	const dc_config *cfg = &d->o.cfg;
	const char *pin = cfg->trust_pin[0] ? cfg->trust_pin
			  : d->o.require_bundle ? DC_OPERATOR_PIN_PATH : NULL;
	dc_trust *t = dc_trust_new();
	oos[0] = 0;
	memset(info, 0, sizeof *info);
	*out = NULL;
	if (!t) {
		fprintf(stderr, "doorcheck: out of memory\n");
		return -1;
	}
	if (pin) {
		dc_err e = dc_trustbundle_load(t, cfg->trust, pin, info, err, sizeof err);
		if (e != DC_OK) {
			/* Keep running, refusing everyone, with the reason on
			 * screen: a door that exits shows staff nothing. */
			fprintf(stderr, "doorcheck: trust data refused: %s\n", err);
			snprintf(oos, cap, "Trust data refused: %s", dc_strerror(e));
			dc_trust_free(t);
			t = dc_trust_new(); /* nothing half-loaded counts */
			memset(info, 0, sizeof *info);
			if (!t)
				return -1;
		}
	} else if (dc_trustload_dir(t, cfg->trust, err, sizeof err) != 0) {
		fprintf(stderr, "doorcheck: trust data: %s\n", err);
		dc_trust_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

/* The clock's lower bound from trust data: the newer of the data's own
 * date and the bundle's. */
static int64_t trust_time(const dc_door *d)
{
	int64_t t = dc_trust_data_time(d->trust);
	return d->bundle.created > t ? d->bundle.created : t;
}

/* A stat(2) signature of the import status file: any replacement (the
 * import renames a new file over it) changes it. */
static void status_sig(const char *path, struct import_sig *sig)
{
	struct stat st;
	memset(sig, 0, sizeof *sig);
	if (!path[0] || stat(path, &st) != 0)
		return;
	sig->exists = true;
	sig->ino = (uint64_t)st.st_ino;
	sig->size = (int64_t)st.st_size;
	sig->mtime_s = (int64_t)st.st_mtim.tv_sec;
	sig->mtime_ns = (long)st.st_mtim.tv_nsec;
}

static bool sig_equal(const struct import_sig *a, const struct import_sig *b)
{
	return a->exists == b->exists && a->ino == b->ino && a->size == b->size &&
	       a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns;
}

static int door_setup(dc_door *d)
{
	char err[512];
	const dc_config *cfg = &d->o.cfg;
	char oos[192] = "";
	dc_core_init();
	if (load_trust(d, &d->trust, &d->bundle, oos, sizeof oos) != 0)
		return -1;
	/* Only imports after the start are news: an older result was shown
	 * by the kiosk that ran then (or the device rebooted: /run is new). */
	status_sig(cfg->trust_import_status, &d->import_seen);
	if (load_policy(d, err, sizeof err) != 0) {
		fprintf(stderr, "doorcheck: policy: %s\n", err);
		return -1;
	}
	/* The collector alone decides what is a new showing and when a
	 * partial multi-part card is given up (docs/kiosk.md). */
	dc_collect_config cc = {
		.chunk_timeout_ms = cfg->chunk_timeout_ms,
		.gone_ms = DC_COLLECT_KIOSK_GONE_MS,
		.hold = 1,
	};
	d->collect = dc_collect_new(&cc);
	d->ui = dc_ui_new(cfg->font, err, sizeof err);
	if (!d->collect || !d->ui) {
		fprintf(stderr, "doorcheck: %s\n", d->ui ? "out of memory" : err);
		return -1;
	}
	if (ensure_scanner(d, cfg->camera_width > 0 ? cfg->camera_width : 1280,
			   cfg->camera_height > 0 ? cfg->camera_height : 720) != 0) {
		fprintf(stderr, "doorcheck: cannot size the scanner\n");
		return -1;
	}
	d->mono0 = d->virtual_clock ? 0 : dc_door_mono_ms();
	d->now_ms = d->mono0;
	d->wall0 = d->o.now ? d->o.now : (int64_t)time(NULL);
	d->import_next = d->now_ms + IMPORT_POLL_MS;
	dc_kiosk_config kc = {
		.result_ms = cfg->result_ms,
		.capacity = cfg->capacity,
		.dup_warn_minutes = cfg->dup_warn_minutes,
		.build_time = DC_BUILD_EPOCH,
		.trust_time = trust_time(d),
		.trust_warn_days = cfg->trust_warn_days,
		.trust_max_days = cfg->trust_max_days,
		.out_of_service = oos[0] ? oos : NULL,
		.test_clock = d->o.test_clock && d->o.now,
		.utc_offset_s = local_offset(d->wall0),
		.check = door_check, .check_ctx = d,
		.wipe = door_wipe, .wipe_ctx = d,
	};
	d->kiosk = dc_kiosk_new(&kc, d->now_ms, dc_door_wall(d, d->now_ms));
	if (!d->kiosk) {
		fprintf(stderr, "doorcheck: cannot start the kiosk (no random key?)\n");
		return -1;
	}
	return 0;
}

dc_door *dc_door_new(const dc_door_opts *o, bool virtual_clock)
{
	dc_door *d = calloc(1, sizeof *d);
	if (!d) {
		fprintf(stderr, "doorcheck: out of memory\n");
		return NULL;
	}
	d->o = *o;
	d->virtual_clock = virtual_clock;
	if (door_setup(d) != 0) {
		dc_door_free(d);
		return NULL;
	}
	return d;
}

void dc_door_free(dc_door *d)
{
	if (d) {
		dc_kiosk_free(d->kiosk);
		dc_source_free(d->src);
		dc_scanner_free(d->scanner);
		dc_collect_free(d->collect);
		dc_tone_free(d->tone);
		dc_ui_free(d->ui);
		dc_policy_free(d->policy);
		dc_trust_free(d->trust);
		mbedtls_platform_zeroize(d, sizeof *d);
		free(d);
	}
	SDL_Quit();
}

/* --- USB trust import ---------------------------------------------------- */

/* A new import result: show it; after an install load the folder again,
 * checked as at start (signature, hashes, operator key). */
static void import_act(dc_door *d, uint64_t t, const dc_import_status *st)
{
	char head[192], detail[192], oos[192], kept[64];
	if (d->bundle.version)
		snprintf(kept, sizeof kept, "Old trust data kept (version %lld)",
			 (long long)d->bundle.version);
	else
		snprintf(kept, sizeof kept, "Old trust data kept");
	switch (st->result) {
	case DC_IMPORT_INSTALLED: {
		dc_trust *nt;
		dc_trustbundle_info ni;
		if (load_trust(d, &nt, &ni, oos, sizeof oos) != 0) {
			/* A plain folder (no pin) that no longer loads: the data
			 * in memory stays in use. */
			dc_kiosk_show_notice(d->kiosk, t, DC_SCREEN_TRUST_REFUSED,
					     "New trust data does not load", kept);
			return;
		}
		dc_trust_free(d->trust);
		d->trust = nt;
		d->bundle = ni;
		dc_kiosk_set_trust(d->kiosk, trust_time(d), oos[0] ? oos : NULL);
		if (oos[0]) {
			fprintf(stderr, "doorcheck: trust import: the installed data was refused at load\n");
			if (snprintf(head, sizeof head, "Installed trust data refused at load: %s",
				     oos + strlen("Trust data refused: ")) < 0)
				head[0] = 0;
			dc_kiosk_show_notice(d->kiosk, t, DC_SCREEN_TRUST_REFUSED, head,
					     "Nobody can be passed until valid trust data is installed");
			return;
		}
		if (d->bundle.version)
			snprintf(head, sizeof head, "Trust data installed: version %lld",
				 (long long)d->bundle.version);
		else
			snprintf(head, sizeof head, "Trust data reloaded");
		snprintf(detail, sizeof detail, "Checked again and in use: %zu SHC issuers, %zu DCC signers",
			 dc_trust_issuer_count(d->trust), dc_trust_dsc_count(d->trust));
		fprintf(stderr, "doorcheck: trust import: %s\n", head);
		dc_kiosk_show_notice(d->kiosk, t, DC_SCREEN_TRUST_INSTALLED, head, detail);
		return;
	}
	case DC_IMPORT_REFUSED:
	case DC_IMPORT_ERROR:
		if (snprintf(head, sizeof head, "Trust update %s: %s",
			     st->result == DC_IMPORT_REFUSED ? "refused" : "failed",
			     st->reason[0] ? st->reason : "no reason given") < 0)
			head[0] = 0;
		dc_kiosk_show_notice(d->kiosk, t, DC_SCREEN_TRUST_REFUSED, head, kept);
		return;
	default:
		return; /* ignored (no bundle on that stick) or unreadable */
	}
}

void dc_door_poll_import(dc_door *d, uint64_t t)
{
	const char *path = d->o.cfg.trust_import_status;
	if (!path[0] || t < d->import_next || !dc_kiosk_is_idle(d->kiosk))
		return;
	d->import_next = t + IMPORT_POLL_MS;
	struct import_sig sig;
	status_sig(path, &sig);
	if (sig_equal(&sig, &d->import_seen))
		return;
	d->import_seen = sig;
	if (!sig.exists)
		return;
	uint8_t *buf = NULL;
	size_t len = 0;
	char err[256];
	dc_import_status st;
	if (dc_read_file(path, DC_IMPORT_STATUS_MAX, &buf, &len, err, sizeof err) != 0) {
		fprintf(stderr, "doorcheck: trust import status: %s\n", err);
		return;
	}
	dc_import_status_parse(buf, len, &st);
	free(buf);
	import_act(d, t, &st);
}

/* --- window -------------------------------------------------------------- */

int dc_door_open_source(dc_door *d)
{
	const dc_config *cfg = &d->o.cfg;
	dc_source_config sc = {
		.kind = cfg->camera,
		.device = cfg->device[0] ? cfg->device : NULL,
		.width = cfg->camera_width,
		.height = cfg->camera_height,
		.rotation = cfg->camera_rotation,
	};
	dc_source_free(d->src);
	d->src = NULL;
	dc_src_status st = dc_source_open(&sc, &d->src);
	if (st != DC_SRC_OK) {
		fprintf(stderr, "doorcheck: camera %s: %s\n", sc.kind,
			d->src ? dc_source_error(d->src) : "cannot open");
		dc_source_free(d->src);
		d->src = NULL;
		return -1;
	}
	return 0;
}

/* The staff keys. True when the key was one of them. */
static bool door_key(dc_door *d, const SDL_KeyboardEvent *ev, uint64_t t, bool *quit)
{
	SDL_Keycode k = ev->keysym.sym;
	bool ctrl = ev->keysym.mod & KMOD_CTRL;
	if (ctrl && k == SDLK_q)
		*quit = true;
	else if (k == SDLK_RETURN || k == SDLK_d)
		dc_kiosk_dismiss(d->kiosk, t, dc_door_wall(d, t));
	else if (k == SDLK_MINUS || k == SDLK_KP_MINUS)
		dc_kiosk_adjust_admitted(d->kiosk, -1);
	else if (k == SDLK_PLUS || k == SDLK_KP_PLUS || k == SDLK_EQUALS)
		dc_kiosk_adjust_admitted(d->kiosk, 1);
	else if (k == SDLK_0 && ctrl)
		dc_kiosk_adjust_admitted(d->kiosk, 0);
	else if (k == SDLK_o || k == SDLK_F2)
		dc_door_show_operator(d, t);
	else
		return false;
	return true;
}

static bool is_modifier(SDL_Keycode k)
{
	return k == SDLK_LSHIFT || k == SDLK_RSHIFT || k == SDLK_LCTRL || k == SDLK_RCTRL ||
	       k == SDLK_LALT || k == SDLK_RALT || k == SDLK_LGUI || k == SDLK_RGUI ||
	       k == SDLK_CAPSLOCK || k == SDLK_MODE;
}

/* Keys go through dc_wedge first: what a keyboard-wedge scanner types is
 * a code for the pipeline, never a staff key or a simulator key. */
static void window_keys(dc_door *d, const dc_door_window *w, SDL_Renderer *r, uint64_t t,
			bool *quit)
{
	dc_wedge_key wk;
	const char *line;
	size_t len;
	switch (dc_wedge_poll(&d->wedge, SDL_GetTicks(), &wk, &line, &len)) {
	case DC_WEDGE_KEY: {
		SDL_KeyboardEvent ke = { .type = SDL_KEYDOWN, .state = SDL_PRESSED };
		ke.keysym.sym = wk.sym;
		ke.keysym.mod = wk.mod;
		ke.keysym.scancode = (SDL_Scancode)wk.scancode;
		if (!(w->key && w->key(w->ctx, d, &ke, t, r, quit)))
			door_key(d, &ke, t, quit);
		break;
	}
	case DC_WEDGE_LINE:
		dc_door_feed_texts(d, t, &line, &len, 1);
		break;
	default:
		break;
	}
}

/* One loop period from the source. True when the source has run out. */
static bool door_frame(dc_door *d, uint64_t *t)
{
	if (!d->src) {
		dc_door_feed_texts(d, *t, NULL, NULL, 0);
		SDL_Delay(FRAME_MS);
		return false;
	}
	dc_frame f;
	dc_src_status st = dc_source_next(d->src, &f, FRAME_MS);
	*t = dc_door_mono_ms();
	if (st == DC_SRC_OK) {
		d->fps_frames++;
		if (*t - d->fps_t0 >= 2000) {
			d->fps = d->fps_frames * 1000.0 / (double)(*t - d->fps_t0);
			d->fps_t0 = *t;
			d->fps_frames = 0;
		}
	}
	if (st == DC_SRC_OK && f.kind == DC_FRAME_GREY)
		dc_door_feed_grey(d, *t, f.y, f.width, f.height, f.stride);
	else if (st == DC_SRC_OK && f.kind == DC_FRAME_TEXT)
		dc_door_feed_texts(d, *t, &f.text, &f.text_len, 1);
	else
		dc_door_feed_texts(d, *t, NULL, NULL, 0);
	if (st == DC_SRC_END || st == DC_SRC_NO_DEVICE || st == DC_SRC_IO)
		SDL_Delay(FRAME_MS);
	return st == DC_SRC_END;
}

/* The door lines from the configuration. A door wired for a relay that
 * cannot be driven refuses to start (systemd shows the reason) rather
 * than run without opening the door. */
static int door_hw_open(dc_door *d)
{
	dc_gpio_config gc;
	char err[256];
	dc_doorsig_config sc = { .relay_pulse_ms = d->o.cfg.relay_pulse_ms,
				 .led_ms = d->o.cfg.result_ms, .buzzer = true };
	dc_doorsig_out out = { NULL, NULL };
	memset(&gc, 0, sizeof gc);
	snprintf(gc.chip, sizeof gc.chip, "%s", d->o.cfg.gpio_chip);
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		snprintf(gc.line[l], sizeof gc.line[l], "%s", d->o.cfg.gpio_line[l]);
	if (dc_gpio_config_used(&gc)) {
		if (dc_gpio_open(&gc, &d->gpio, err, sizeof err) != 0) {
			fprintf(stderr, "doorcheck: door lines: %s\n", err);
			return -1;
		}
		out = dc_gpio_door_out(d->gpio);
	}
	dc_doorsig_init(&d->sig, &sc, &out);
	return 0;
}

/* `systemctl status` shows today's counters (anonymous, no holder data). */
static void notify_counts(const dc_door *d, const dc_screen *s)
{
	char st[160];
	if (snprintf(st, sizeof st, "trust bundle %lld; today %u scanned, %u pass, %u fail, "
		     "%u not valid, %u not verifiable", (long long)d->bundle.version, s->scanned,
		     s->passed, s->failed, s->not_valid, s->not_verifiable) > 0)
		dc_notify_status(st);
}

/*
 * On KMS/DRM (the appliance: no window system) SDL's OpenGL ES 2 renderer
 * first. SDL's own order puts its desktop OpenGL renderer first, and on
 * Mesa's software GL under QEMU's virtio-gpu that one showed only its
 * clears (no rectangle, text or texture; SDL's testdraw2 likewise), where
 * the GLES2 renderer draws the whole screen (docs/firmware.md). GLES2 is
 * also what the Raspberry Pi's V3D and Mesa on KMS are built around. An
 * operator's SDL_RENDER_DRIVER still wins; in a window system SDL chooses.
 * Then SDL's own choice, then its software renderer.
 */
static SDL_Renderer *create_renderer(SDL_Window *win)
{
	const char *video = SDL_GetCurrentVideoDriver();
	SDL_Renderer *r = NULL;
	if (video && !SDL_strcasecmp(video, "kmsdrm") && !SDL_GetHint(SDL_HINT_RENDER_DRIVER)) {
		for (int i = 0; !r && i < SDL_GetNumRenderDrivers(); i++) {
			SDL_RendererInfo info;
			if (SDL_GetRenderDriverInfo(i, &info) == 0 && !strcmp(info.name, "opengles2"))
				r = SDL_CreateRenderer(win, i, SDL_RENDERER_PRESENTVSYNC);
		}
	}
	if (!r)
		r = SDL_CreateRenderer(win, -1, SDL_RENDERER_PRESENTVSYNC);
	if (!r)
		r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
	SDL_RendererInfo info;
	if (r && SDL_GetRendererInfo(r, &info) == 0)
		fprintf(stderr, "doorcheck: display: SDL video %s, renderer %s\n",
			video ? video : "?", info.name);
	return r;
}

int dc_door_run_window(dc_door *d, const dc_door_window *w)
{
	static const dc_door_window none = { .title = "doorcheck" };
	const dc_door_opts *o = &d->o;
	int rc = 1, rot = o->cfg.display_rotation;
	SDL_Window *win = NULL;
	SDL_Renderer *r = NULL;
	SDL_Texture *target = NULL;
	if (!w)
		w = &none;

	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "doorcheck: no display (%s)\n", SDL_GetError());
		return 1;
	}
	int ww = o->width ? o->width : o->cfg.display_width;
	int wh = o->height ? o->height : o->cfg.display_height;
	if (!ww || !wh) {
		ww = 800;
		wh = 480;
	}
	Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
	if (w->desktop)
		flags |= SDL_WINDOW_RESIZABLE;
	else if (o->cfg.fullscreen)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	if (!w->desktop)
		SDL_ShowCursor(SDL_DISABLE);
	win = SDL_CreateWindow(w->title ? w->title : "doorcheck", SDL_WINDOWPOS_CENTERED,
			       SDL_WINDOWPOS_CENTERED, ww, wh, flags);
	if (win)
		r = create_renderer(win);
	if (!r) {
		fprintf(stderr, "doorcheck: window: %s\n", SDL_GetError());
		goto out;
	}
	if (o->cfg.tone)
		d->tone = dc_tone_new();
	if (dc_door_open_source(d) != 0 && !w->source_optional)
		goto out;
	if (door_hw_open(d) != 0)
		goto out;
	dc_wedge_init(&d->wedge, 0);
	dc_notify_ready("scanning");
	if (w->start)
		w->start(w->ctx, d);

	uint64_t last_gen = 0;
	unsigned last_scanned = dc_kiosk_screen(d->kiosk)->scanned;
	bool dirty = true, quit = false;
	int repeat = 0;
	uint64_t last_present = 0;
	while (!quit) {
		uint64_t t = dc_door_mono_ms();
		SDL_Event ev;
		while (SDL_PollEvent(&ev)) {
			if (ev.type == SDL_QUIT)
				quit = true;
			else if (ev.type == SDL_WINDOWEVENT)
				dirty = true;
			else if (ev.type == SDL_KEYDOWN && !ev.key.repeat &&
				 !is_modifier(ev.key.keysym.sym)) {
				dc_wedge_key k = { ev.key.keysym.sym, ev.key.keysym.mod,
						   ev.key.keysym.scancode };
				SDL_Keycode s = ev.key.keysym.sym;
				dc_wedge_keydown(&d->wedge, ev.key.timestamp, &k,
						 s == SDLK_RETURN || s == SDLK_KP_ENTER);
			} else if (ev.type == SDL_TEXTINPUT) {
				dc_wedge_text(&d->wedge, ev.text.text);
			}
		}
		window_keys(d, w, r, t, &quit);
		bool src_end = false;
		if (w->frame && w->frame(w->ctx, d, t))
			SDL_Delay(FRAME_MS);
		else
			src_end = door_frame(d, &t);
		const dc_screen *s = dc_kiosk_screen(d->kiosk);
		bool changed = dirty || dc_kiosk_generation(d->kiosk) != last_gen;
		if (changed) {
			/* a new result counts one more scan: beep once for it */
			if (s->is_result && s->scanned != last_scanned) {
				dc_tone_play(d->tone, s->kind);
				dc_doorsig_signal(&d->sig, s->kind, true, t);
				notify_counts(d, s);
			}
			last_scanned = s->scanned;
			last_gen = dc_kiosk_generation(d->kiosk);
			dc_ui_present(d->ui, r, s, rot, &target);
			dirty = false;
			repeat = PRESENT_REPEAT;
			last_present = t;
		} else if (repeat > 0 || t - last_present >= PRESENT_REFRESH_MS) {
			/* The same screen again, into the next buffer of the swap
			 * chain: see PRESENT_REPEAT. */
			dc_ui_present(d->ui, r, s, rot, &target);
			if (repeat > 0)
				repeat--;
			last_present = t;
		}
		if (w->screen)
			w->screen(w->ctx, d, s, changed, src_end, &quit);
		dc_doorsig_tick(&d->sig, t);
		dc_notify_watchdog(t);
	}
	rc = 0;
out:
	dc_notify_stopping();
	dc_doorsig_all_off(&d->sig);
	dc_gpio_close(d->gpio);
	d->gpio = NULL;
	dc_wedge_wipe(&d->wedge);
	if (target)
		SDL_DestroyTexture(target);
	if (r)
		SDL_DestroyRenderer(r);
	if (win)
		SDL_DestroyWindow(win);
	return rc;
}

/* --- operator screen ---------------------------------------------------- */

/* snprintf whose cut-off result is accepted on purpose. */
#define LINE(buf, ...) do { if (snprintf((buf), sizeof(buf), __VA_ARGS__) < 0) (buf)[0] = 0; } while (0)

void dc_door_show_operator(dc_door *d, uint64_t t)
{
	char l[DC_SCREEN_INFO_LINES][192], when[32];
	const char *lines[DC_SCREEN_INFO_LINES];
	const dc_config *cfg = &d->o.cfg;
	const dc_screen *s = dc_kiosk_screen(d->kiosk);
	int64_t wall = dc_door_wall(d, t);
	memset(l, 0, sizeof l);
	dc_time_format((double)DC_BUILD_EPOCH, when, sizeof when);
	LINE(l[0], "doorcheck %s, built %.10s", DC_VERSION, when);
	if (d->bundle.version) {
		dc_time_format((double)d->bundle.created, when, sizeof when);
		LINE(l[1], "Trust bundle version %lld, created %.10s, %lld days old",
			 (long long)d->bundle.version, when,
			 (long long)(wall > d->bundle.created ? (wall - d->bundle.created) / 86400 : 0));
	} else {
		LINE(l[1], "Trust folder %s (no signed bundle)", cfg->trust);
	}
	LINE(l[2], "%zu SHC issuers, %zu SHC revocations; %zu DCC signers, %zu DCC revocations",
		 dc_trust_issuer_count(d->trust), dc_trust_shc_revocation_count(d->trust),
		 dc_trust_dsc_count(d->trust), dc_trust_dcc_revocation_count(d->trust));
	dc_policy_words(d->policy, l[3], sizeof l[3]);
	LINE(l[4], "Camera: %s %s %dx%d, %.1f fps", cfg->camera, cfg->device,
		 cfg->camera_width, cfg->camera_height, d->fps);
	dc_time_format((double)wall, when, sizeof when);
	LINE(l[5], "%s: %s", d->o.test_clock ? "Test clock" :
		 s->clock_ok ? "Clock OK" : "CLOCK NOT SET", when);
	LINE(l[6], "Today: %u scanned, %u pass, %u fail, %u not valid, "
		 "%u not verifiable; %u admitted", s->scanned, s->passed, s->failed, s->not_valid,
		 s->not_verifiable, s->admitted);
	for (int i = 0; i < DC_SCREEN_INFO_LINES; i++)
		lines[i] = l[i];
	dc_kiosk_show_info(d->kiosk, t, lines, DC_SCREEN_INFO_LINES);
}

/* --- command line -------------------------------------------------------- */

static void usage(const dc_door_cli *cli)
{
	printf("usage: %s [options]%s\n", cli ? cli->prog : "doorcheck", cli ? " [input...]" : "");
	printf(
	"  --config FILE          configuration file (docs/kiosk.md); flags below override it\n"
	"  --camera KIND          libcamera | v4l2 | image | folder | text\n"
	"  --device PATH          camera device, image, folder or text file\n"
	"  --resolution WxH       camera frame size\n"
	"  --rotation DEG         camera rotation (0, 90, 180, 270)\n"
	"  --display WxH|auto     window / screen size\n"
	"  --display-rotation DEG rotate the screen (90, 270: portrait)\n"
	"  --fullscreen on|off\n"
	"  --result-seconds S     how long a result stays on screen\n"
	"  --chunk-timeout-seconds S\n"
	"  --policy FILE          venue policy (docs/policy.md); default: built in\n"
	"  --trust DIR            trust folder\n"
	"  --capacity N           admissions before CAPACITY REACHED (0 = no limit)\n"
	"  --duplicate-warning-minutes N  warn when a card is shown again (0 = off)\n"
	"  --tone on|off          beep per verdict\n"
	"  --font FILE\n");
	if (cli && cli->usage)
		cli->usage();
	else
		printf("keys: Enter/D dismiss, +/- admitted count, Ctrl+0 reset count, Ctrl+Q quit\n");
}

int dc_door_args(dc_door_opts *o, int argc, char **argv, const dc_door_cli *cli)
{
	char err[256], key[64];
	uint8_t *buf = NULL;
	size_t len = 0;
	memset(o, 0, sizeof *o);
	dc_config_defaults(&o->cfg);
	if (cli && cli->defaults)
		cli->defaults(&o->cfg);
	/* The config file first, so that every flag overrides it. */
	for (int i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "--config")) {
			if (dc_read_file(argv[i + 1], DC_CONFIG_MAX_FILE, &buf, &len, err, sizeof err) != 0 ||
			    dc_config_parse(&o->cfg, buf, len, err, sizeof err) != 0) {
				fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i + 1], err);
				free(buf);
				return -1;
			}
			free(buf);
			buf = NULL;
		}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int took = 0;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(cli);
			return 1;
		} else if (!strcmp(a, "--version")) {
			printf("doorcheck %s\n", DC_VERSION);
			return 1;
		} else if (!strcmp(a, "--config") && v) {
			i++;
		} else if (cli && cli->option && (took = cli->option(cli->ctx, argc, argv, &i)) != 0) {
			if (took < 0)
				return -1;
		} else if (!strncmp(a, "--", 2) && strlen(a) < sizeof key + 2) {
			snprintf(key, sizeof key, "%s", a + 2);
			for (char *p = key; *p; p++)
				if (*p == '-')
					*p = '_';
			if (!dc_config_is_key(key) || !v) {
				fprintf(stderr, "%s: unknown option %s (see --help)\n", argv[0], a);
				return -1;
			}
			if (dc_config_set(&o->cfg, key, v, err, sizeof err) != 0) {
				fprintf(stderr, "%s: --%s\n", argv[0], err);
				return -1;
			}
			i++;
		} else {
			fprintf(stderr, "%s: unknown option %s (see --help)\n", argv[0], a);
			return -1;
		}
	}
	return 0;
}
