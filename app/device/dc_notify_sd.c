/* dc_notify backend on libsystemd's sd_notify. */
#include "dc_notify.h"

#include <stdbool.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

static bool asked;
static uint64_t interval_ms; /* 0 = no watchdog */
static uint64_t last_ping;
static bool pinged;

static void ask(void)
{
	uint64_t usec = 0;
	if (asked)
		return;
	asked = true;
	/* 0: keep WATCHDOG_USEC in the environment for child processes. */
	if (sd_watchdog_enabled(0, &usec) > 0)
		interval_ms = usec / 1000;
}

const char *dc_notify_backend(void)
{
	return "libsystemd";
}

static void send_status(const char *prefix, const char *status)
{
	if (status && *status)
		sd_notifyf(0, "%sSTATUS=%s", prefix, status);
	else if (*prefix)
		sd_notify(0, prefix);
}

void dc_notify_ready(const char *status)
{
	send_status("READY=1\n", status);
}

void dc_notify_status(const char *status)
{
	send_status("", status);
}

void dc_notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

uint64_t dc_notify_watchdog_ms(void)
{
	ask();
	return interval_ms;
}

void dc_notify_watchdog(uint64_t now_ms)
{
	ask();
	if (!interval_ms)
		return;
	if (pinged && now_ms - last_ping < interval_ms / 2)
		return;
	sd_notify(0, "WATCHDOG=1");
	last_ping = now_ms;
	pinged = true;
}
