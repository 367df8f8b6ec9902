/* dc_notify backend for builds without libsystemd (meson -Dsystemd=disabled):
 * the unit must then not use Type=notify or WatchdogSec. */
#include "dc_notify.h"

const char *dc_notify_backend(void)
{
	return "none";
}

void dc_notify_ready(const char *status)
{
	(void)status;
}

void dc_notify_status(const char *status)
{
	(void)status;
}

void dc_notify_stopping(void)
{
}

void dc_notify_watchdog(uint64_t now_ms)
{
	(void)now_ms;
}

uint64_t dc_notify_watchdog_ms(void)
{
	return 0;
}
