/*
 * dc_trustload: the file side of the trust store, shared by the CLI, the
 * kiosk and the simulator (app/core stays free of I/O).
 *
 * Every function returns 0 on success, or -1 with a one-line reason in err
 * naming the file and the specific problem. Trust files hold no personal
 * data; their content is read in full and handed to dc_trust_*.
 *
 * A trust folder (--trust DIR) may hold:
 *   *.issuer.json        SHC issuer files (format in dc_trust.h)
 *   vci_snapshot.json    VCI directory snapshot, with vci_snapshot.sig and
 *                        vci_snapshot.crt beside it
 *   *.dsc.pem, *.dsc.der DCC document signer certificates
 *   dsc/                 a folder of DSC certificates (any name)
 *   dcc-revocations.json DCC revocation entries
 * Files are loaded in name order so results do not depend on readdir.
 */
#ifndef DC_TRUSTLOAD_H
#define DC_TRUSTLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "dc_trust.h"

/* Reads a whole file of at most max bytes into a malloc'd buffer (one extra
 * NUL byte after the data, not counted in *len). */
int dc_read_file(const char *path, size_t max, uint8_t **buf, size_t *len,
		 char *err, size_t errlen);

int dc_trustload_issuer_file(dc_trust *t, const char *path, char *err, size_t errlen);
int dc_trustload_jwks(dc_trust *t, const char *iss, const char *path, char *err, size_t errlen);
int dc_trustload_crl(dc_trust *t, const char *iss, const char *path, char *err, size_t errlen);
/* snapshot: path of vci_snapshot.json; .sig and .crt are found beside it by
 * replacing the .json suffix. The signing certificate must match the
 * pinned fingerprint DC_VCI_PINNED_CERT_SHA256. */
int dc_trustload_vci(dc_trust *t, const char *snapshot, char *err, size_t errlen);
int dc_trustload_dsc(dc_trust *t, const char *path, char *err, size_t errlen);
int dc_trustload_dsc_dir(dc_trust *t, const char *dir, char *err, size_t errlen);
int dc_trustload_dcc_revocations(dc_trust *t, const char *path, char *err, size_t errlen);
int dc_trustload_dir(dc_trust *t, const char *dir, char *err, size_t errlen);

#endif
