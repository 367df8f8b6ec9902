/*
 * dc_trustbundle: the device's trust folder as `doorcheck-trust install`
 * leaves it, re-checked at every start: the signed bundle
 * (trust-bundle.json + trust-bundle.sig, docs/trust-updates.md) is
 * verified again with the pinned operator key, and every trust file in the
 * folder must be one of the bundle's files, byte for byte; a file missing,
 * added or changed by hand is refused. Only then is the folder loaded
 * (dc_trustload_dir).
 *
 * One path for the installer and the kiosk: DC_TRUST_INSTALLED_DIR.
 */
#ifndef DC_TRUSTBUNDLE_H
#define DC_TRUSTBUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "dc_err.h"
#include "dc_trust.h"

#define DC_TRUST_INSTALLED_DIR "/var/lib/doorcheck/trust"
#define DC_OPERATOR_PIN_PATH "/etc/doorcheck/operator.pub.pem"
#define DC_TRUSTBUNDLE_JSON "trust-bundle.json"
#define DC_TRUSTBUNDLE_SIG "trust-bundle.sig"
#define DC_TRUSTBUNDLE_VERSION_FILE ".bundle-version"

typedef struct {
	int64_t version;
	int64_t created;  /* unix seconds: also a lower bound for the clock */
	size_t files;
} dc_trustbundle_info;

/*
 * Checks dir against its signed bundle (pin: the operator's public key
 * file) and loads it into t. DC_OK, or: DC_E_TRUST_NOT_INSTALLED (no
 * bundle in dir), DC_E_BUNDLE_* from dc_bundle_open (signature, format,
 * hashes, operator key), DC_E_TRUST_EDITED (a file differs from, is
 * missing from or is not in the bundle; also an unreadable folder),
 * DC_E_BUNDLE_CONTENT (does not load); err then names the file and the
 * problem in one line.
 */
dc_err dc_trustbundle_load(dc_trust *t, const char *dir, const char *pin,
			   dc_trustbundle_info *info, char *err, size_t errlen);

#endif
