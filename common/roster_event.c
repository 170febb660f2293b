/* roster_event.c - the roster service's educator events, read into struct hg_roster_educator. */
#include "common/roster_event.h"

#include <string.h>

#include "common/date.h"
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

/* An optional string member (absent or null: *out NULL) of at most max bytes. */
static int optional_string(json_t *obj, const char *name, size_t max, const char **out)
{
	json_t *v = json_object_get(obj, name);
	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 1;
	if (!json_is_string(v) || json_string_length(v) > max)
		return 0;
	*out = json_string_value(v);
	return 1;
}

static int string_array(json_t *a, size_t max, int uuids)
{
	size_t i;
	json_t *s;
	if (!json_is_array(a) || json_array_size(a) > max)
		return 0;
	json_array_foreach(a, i, s) {
		if (!json_is_string(s) || (uuids && !hg_is_uuid(json_string_value(s))))
			return 0;
	}
	return 1;
}

enum hg_status hg_roster_event_parse(json_t *event, struct hg_roster_educator *out)
{
	const char *type = json_string_value(json_object_get(event, "type"));
	json_t *data = json_object_get(event, "data");
	char envelope_district[37];
	struct hg_date day;

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
	if ((schools != NULL || strcmp(out->status, "active") == 0) && !string_array(schools, HG_ROSTER_SCHOOLS_MAX, 1))
		return HG_INVALID;
	out->school_ids = schools;
	json_t *roles = json_object_get(data, "roles");
	if (roles != NULL && !json_is_null(roles) && !string_array(roles, HG_ROSTER_ROLES_MAX, 0))
		return HG_INVALID;
	out->roles = json_is_array(roles) ? roles : NULL;
	if (!optional_string(data, "started_teaching_on", 10, &out->started_teaching_on) ||
	    (out->started_teaching_on != NULL && !hg_date_parse(out->started_teaching_on, &day)))
		return HG_INVALID;
	if (!optional_string(data, "given_name", HG_ROSTER_NAME_MAX, &out->given_name) ||
	    !optional_string(data, "family_name", HG_ROSTER_NAME_MAX, &out->family_name))
		return HG_INVALID;
	if (!optional_string(data, "email", HG_ROSTER_IDENTIFIER_MAX, &out->email) ||
	    !optional_string(data, "sourced_id", HG_ROSTER_IDENTIFIER_MAX, &out->sourced_id) ||
	    !optional_string(data, "username", HG_ROSTER_IDENTIFIER_MAX, &out->username) ||
	    !optional_string(data, "user_master_identifier", HG_ROSTER_IDENTIFIER_MAX, &out->user_master_identifier))
		return HG_INVALID;
	return HG_OK;
}
