/*
 * dc_json: the few cJSON look-ups the core's JSON readers share (trust
 * files, SHC payloads). Member names are matched exactly (case-sensitive),
 * as JSON and the specs define them.
 *
 * Ownership: returned strings and items belong to the cJSON tree; they live
 * as long as it does and must not be freed.
 */
#ifndef DC_JSON_H
#define DC_JSON_H

#include <cjson/cJSON.h>

/* The member `name` of object o; NULL when o is not an object or has none. */
const cJSON *dc_json_get(const cJSON *o, const char *name);

/* The member `name` of object o when it is a string; NULL otherwise (absent,
 * another type, or o not an object). */
const char *dc_json_str(const cJSON *o, const char *name);

#endif
