/* Sample screen models for render tests and benches (made-up holder). */
#ifndef DC_SAMPLE_SCREENS_H
#define DC_SAMPLE_SCREENS_H

#include <stdio.h>
#include <string.h>

#include "dc_screen.h"

static inline void dc_sample_screen(dc_screen_kind k, dc_screen *s)
{
	memset(s, 0, sizeof *s);
	s->kind = k;
	s->is_result = k != DC_SCREEN_SCANNING && k != DC_SCREEN_CHUNKS;
	s->trust_age_days = 12;
	s->clock_ok = k != DC_SCREEN_CLOCK_NOT_SET;
	s->scanned = 1234;
	s->passed = 1100;
	s->failed = 80;
	s->not_valid = 40;
	s->not_verifiable = 14;
	s->admitted = k == DC_SCREEN_CAPACITY ? 250 : 180;
	s->capacity = 250;
	switch (k) {
	case DC_SCREEN_PASS:
	case DC_SCREEN_FAIL:
		snprintf(s->name, sizeof s->name, "Maximiliane Oberhollenzer-Wittgenstein");
		snprintf(s->birth_date, sizeof s->birth_date, "1975-04-30");
		snprintf(s->issuer, sizeof s->issuer, "Doorcheck Demo Health Authority");
		snprintf(s->summary[0], sizeof s->summary[0], "3 doses, last 2021-11-20");
		snprintf(s->summary[1], sizeof s->summary[1], "Pfizer-BioNTech COVID-19 vaccine");
		if (k == DC_SCREEN_PASS) {
			snprintf(s->reason, sizeof s->reason, "Fully vaccinated");
			snprintf(s->warning, sizeof s->warning, "Already admitted 12 minutes ago");
		} else {
			snprintf(s->reason, sizeof s->reason, "Last dose 5 days ago (needs 14)");
		}
		break;
	case DC_SCREEN_NOT_VALID:
		snprintf(s->reason, sizeof s->reason, "Signature does not match issuer key");
		break;
	case DC_SCREEN_NOT_VERIFIABLE:
		snprintf(s->reason, sizeof s->reason,
			 "A web link, not a verifiable record: check the card and ID by hand");
		break;
	case DC_SCREEN_CLOCK_NOT_SET:
		snprintf(s->reason, sizeof s->reason, "Device clock is not set: cannot check dates");
		break;
	case DC_SCREEN_OPERATOR:
		s->is_result = false;
		snprintf(s->info[0], sizeof s->info[0], "doorcheck 0.1.0, built 2026-12-02");
		snprintf(s->info[1], sizeof s->info[1], "Trust bundle version 3, created 2026-11-30, 2 days old");
		snprintf(s->info[2], sizeof s->info[2], "650 SHC issuers, 37 SHC revocations; 212 DCC signers, 1042 DCC revocations");
		snprintf(s->info[3], sizeof s->info[3], "Admits: complete vaccination (any COVID-19 vaccine), last dose 14+ days ago; or negative NAAT test up to 72 h or antigen test up to 24 h old; or recovery 11 to 180 days after a positive test");
		snprintf(s->info[4], sizeof s->info[4], "Camera: libcamera 1280x720, 29.8 fps");
		snprintf(s->info[5], sizeof s->info[5], "Clock OK: 2026-12-02T08:30:00Z");
		snprintf(s->info[6], sizeof s->info[6], "Today: 1234 scanned, 1100 pass, 80 fail, 40 not valid, 14 not verifiable");
		break;
	case DC_SCREEN_TRUST_INSTALLED:
		s->is_result = false;
		snprintf(s->reason, sizeof s->reason, "Trust data installed: version 12");
		snprintf(s->info[0], sizeof s->info[0],
			 "Checked again and in use: 650 SHC issuers, 212 DCC signers");
		break;
	case DC_SCREEN_TRUST_REFUSED:
		s->is_result = false;
		snprintf(s->reason, sizeof s->reason,
			 "Trust update refused: bundle version 11 is not newer than the installed version 12");
		snprintf(s->info[0], sizeof s->info[0], "Old trust data kept (version 12)");
		break;
	case DC_SCREEN_OUT_OF_SERVICE:
		snprintf(s->reason, sizeof s->reason,
			 "Trust folder differs from its signed bundle (edited by hand?)");
		break;
	case DC_SCREEN_CAPACITY:
		snprintf(s->reason, sizeof s->reason, "Venue is full: 250 of 250 admitted");
		s->is_result = false;
		break;
	case DC_SCREEN_CHUNKS:
		s->chunks_have = 2;
		s->chunks_total = 3;
		break;
	default:
		break;
	}
}

#endif
