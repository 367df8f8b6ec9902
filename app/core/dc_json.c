#include "dc_json.h"

const cJSON *dc_json_get(const cJSON *o, const char *name)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
}

const char *dc_json_str(const cJSON *o, const char *name)
{
	const cJSON *v = dc_json_get(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}
