/*
 * Internal layout of dc_trust, shared by dc_trust.c (SHC issuers) and
 * dc_trust_dcc.c (DCC signer certificates). Not for use outside app/core.
 */
#ifndef DC_TRUST_PRIV_H
#define DC_TRUST_PRIV_H

#include "dc_trust.h"

struct dc_dsc_store; /* owned and defined by dc_trust_dcc.c */

struct dc_trust {
	struct dc_issuer **issuers;
	size_t n_issuers, cap_issuers;
	int64_t data_time;

	/* DCC: created on first use by dc_trust_dcc.c, which also sets the
	 * destructor, so the SHC-only build has no link dependency on it. */
	struct dc_dsc_store *dsc;
	void (*dsc_free)(struct dc_dsc_store *s);
};

#endif
