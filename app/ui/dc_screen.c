#include "dc_screen.h"

static const char *const words[DC_SCREEN__COUNT] = {
	[DC_SCREEN_SCANNING] = "SCAN CODE",
	[DC_SCREEN_CHUNKS] = "KEEP SCANNING",
	[DC_SCREEN_PASS] = "PASS",
	[DC_SCREEN_FAIL] = "FAIL",
	[DC_SCREEN_NOT_VALID] = "NOT VALID",
	[DC_SCREEN_NOT_VERIFIABLE] = "NOT A VERIFIABLE RECORD",
	[DC_SCREEN_CLOCK_NOT_SET] = "CLOCK NOT SET",
	[DC_SCREEN_CAPACITY] = "CAPACITY REACHED",
	[DC_SCREEN_OUT_OF_SERVICE] = "OUT OF SERVICE",
	[DC_SCREEN_OPERATOR] = "OPERATOR",
	[DC_SCREEN_TRUST_INSTALLED] = "TRUST DATA UPDATED",
	[DC_SCREEN_TRUST_REFUSED] = "TRUST UPDATE REFUSED",
};

static const char *const names[DC_SCREEN__COUNT] = {
	[DC_SCREEN_SCANNING] = "scanning",
	[DC_SCREEN_CHUNKS] = "chunk_progress",
	[DC_SCREEN_PASS] = "pass",
	[DC_SCREEN_FAIL] = "fail",
	[DC_SCREEN_NOT_VALID] = "not_valid",
	[DC_SCREEN_NOT_VERIFIABLE] = "not_verifiable",
	[DC_SCREEN_CLOCK_NOT_SET] = "clock_not_set",
	[DC_SCREEN_CAPACITY] = "capacity_reached",
	[DC_SCREEN_OUT_OF_SERVICE] = "out_of_service",
	[DC_SCREEN_OPERATOR] = "operator",
	[DC_SCREEN_TRUST_INSTALLED] = "trust_installed",
	[DC_SCREEN_TRUST_REFUSED] = "trust_refused",
};

const char *dc_screen_word(dc_screen_kind k)
{
	return (unsigned)k < DC_SCREEN__COUNT ? words[k] : "?";
}

const char *dc_screen_name(dc_screen_kind k)
{
	return (unsigned)k < DC_SCREEN__COUNT ? names[k] : "unknown";
}
