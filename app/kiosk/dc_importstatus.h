/*
 * dc_importstatus: the USB trust import's result file, as
 * firmware/trust-import writes it (default DC_IMPORT_STATUS_PATH, one
 * `key=value` a line, replaced whole by rename):
 *   result=installed|refused|ignored|error
 *   version=N        (installed: the new version; otherwise the kept one)
 *   reason=TEXT      (refused, ignored, error)
 *   time=ISO 8601 UTC
 * Pure: the caller reads the file (at most DC_IMPORT_STATUS_MAX bytes).
 * The file holds no personal data: trust bundle versions and the reason
 * doorcheck-trust gave.
 */
#ifndef DC_IMPORTSTATUS_H
#define DC_IMPORTSTATUS_H

#include <stddef.h>
#include <stdint.h>

#define DC_IMPORT_STATUS_PATH "/run/doorcheck/trust-import.status"
#define DC_IMPORT_STATUS_MAX 4096u

typedef enum {
	DC_IMPORT_UNKNOWN = 0, /* no or an unknown result= line */
	DC_IMPORT_INSTALLED,
	DC_IMPORT_REFUSED,
	DC_IMPORT_IGNORED,     /* the stick has no doorcheck-trust/ folder */
	DC_IMPORT_ERROR,       /* could not mount or run the import */
} dc_import_result;

typedef struct {
	dc_import_result result;
	int64_t version;   /* -1 when the file has none */
	char reason[160];  /* printable ASCII only (others become '?'); cut */
	char time[32];
} dc_import_status;

/* Parses buf (len bytes, need not be NUL-terminated). Unknown keys and
 * malformed lines are skipped: the file is only shown, never trusted (the
 * kiosk checks the installed bundle itself). Always fills st. */
void dc_import_status_parse(const uint8_t *buf, size_t len, dc_import_status *st);

#endif
