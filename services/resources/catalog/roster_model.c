/* roster_model.c - the roster service's educator events, read for school scoping. */
#include "services/resources/catalog/roster_model.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/validate.h"

/* Copy a UUID string member of obj, lower-cased, into out (37 bytes). */
static int uuid_member(json_t *obj, const char *name, char *out)
{
	const char *s = json_string_value(json_object_get(obj, name));
	if (s == NULL || !hg_is_uuid(s))
		return 0;
	hg_uuid_lower(s, out);
	return 1;
}

enum hg_status roster_model_parse(json_t *event, struct roster_model_educator *out)
{
	const char *type = json_string_value(json_object_get(event, "type"));
	json_t *data = json_object_get(event, "data");
	char envelope_district[37];

	memset(out, 0, sizeof(*out));
	if (type == NULL || (strcmp(type, "educator.upserted") != 0 && strcmp(type, "educator.deactivated") != 0))
		return HG_NOT_FOUND;
	if (!json_is_object(data) || !uuid_member(event, "districtid", envelope_district) ||
	    !uuid_member(data, "district_id", out->district_id) || strcmp(envelope_district, out->district_id) != 0 ||
	    !uuid_member(data, "id", out->educator_id))
		return HG_INVALID;
	json_t *version = json_object_get(data, "version");
	if (!json_is_integer(version) || json_integer_value(version) < 0)
		return HG_INVALID;
	out->version = (long long)json_integer_value(version);
	const char *status = json_string_value(json_object_get(data, "status"));
	if (strcmp(type, "educator.deactivated") == 0)
		out->status = "inactive";
	else if (status != NULL && strcmp(status, "active") == 0)
		out->status = "active";
	else if (status != NULL && strcmp(status, "inactive") == 0)
		out->status = "inactive";
	else
		return HG_INVALID;
	/* A deactivation may leave the assignments out; an active educator must list them (maybe none). */
	json_t *schools = json_object_get(data, "school_ids");
	if ((schools != NULL || strcmp(out->status, "active") == 0) &&
	    (!json_is_array(schools) || json_array_size(schools) > CATALOG_ROSTER_SCHOOLS_MAX))
		return HG_INVALID;
	size_t i;
	json_t *s;
	json_array_foreach(schools, i, s) {
		if (!json_is_string(s) || !hg_is_uuid(json_string_value(s)))
			return HG_INVALID;
	}
	out->school_ids = schools;
	return HG_OK;
}
