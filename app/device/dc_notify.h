/*
 * dc_notify: tells systemd how the kiosk is doing (sd_notify, libsystemd):
 * READY=1 once the camera and the trust data are up, WATCHDOG=1 from the
 * main loop, STATUS= lines for `systemctl status`, STOPPING=1 at exit. Two
 * backends chosen when linking (meson option `systemd`): dc_notify_sd.c and
 * dc_notify_none.c. Outside a service (no NOTIFY_SOCKET) every call is a
 * cheap no-op.
 *
 * STATUS texts are operator information (verdict counts, trust version),
 * never personal data.
 */
#ifndef DC_NOTIFY_H
#define DC_NOTIFY_H

#include <stdint.h>

void dc_notify_ready(const char *status);
void dc_notify_status(const char *status);
void dc_notify_stopping(void);

/* Sends WATCHDOG=1 when half the service's WatchdogSec has passed since the
 * last one (now_ms: the caller's monotonic clock). Call it every loop: a
 * hung loop stops pinging and systemd restarts the kiosk. */
void dc_notify_watchdog(uint64_t now_ms);

/* The watchdog interval systemd asked for, in ms; 0 = none. */
uint64_t dc_notify_watchdog_ms(void);

/* "libsystemd" or "none". */
const char *dc_notify_backend(void);

#endif
