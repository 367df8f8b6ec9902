#include "dc_err.h"

struct reason {
	const char *code;
	dc_verdict verdict;
	const char *text;
};

static const struct reason reasons[DC_ERR__COUNT] = {
#define X(e, c, v, t) [e] = {c, DC_VERDICT_##v, t},
#include "dc_reasons.def"
#undef X
};

static const struct reason *lookup(dc_err e)
{
	static const struct reason unknown = {"unknown_error", DC_VERDICT_NOT_VERIFIED,
		"Unknown error"};
	if ((int)e < 0 || (int)e >= DC_ERR__COUNT)
		return &unknown;
	return &reasons[e];
}

const char *dc_strerror(dc_err e) { return lookup(e)->text; }
const char *dc_err_code(dc_err e) { return lookup(e)->code; }
dc_verdict dc_err_verdict(dc_err e) { return lookup(e)->verdict; }

const char *dc_verdict_code(dc_verdict v)
{
	switch (v) {
	case DC_VERDICT_VERIFIED: return "verified";
	case DC_VERDICT_NOT_VERIFIED: return "not_verified";
	case DC_VERDICT_ISSUER_NOT_TRUSTED: return "issuer_not_trusted";
	case DC_VERDICT_REVOKED: return "revoked";
	case DC_VERDICT_NOT_A_CREDENTIAL: return "not_a_credential";
	}
	return "not_verified";
}
