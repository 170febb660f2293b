/* roster_model.c - the roster service's educator and school events, read for audiences and segments. */
#include "services/surveys/roster_model.h"

#include <string.h>

#include "common/date.h"
#include "common/validate.h"

static int uuid_member(json_t *obj, const char *name, char *out)
{
	const char *s = json_string_value(json_object_get(obj, name));
	if (s == NULL || !hg_is_uuid(s))
		return 0;
	hg_uuid_lower(s, out);
	return 1;
}

/* An optional string member: NULL when absent or null; 0 when it is something else. */
static int optional_string(json_t *obj, const char *name, const char **out)
{
	json_t *v = json_object_get(obj, name);
	*out = json_string_value(v);
	return v == NULL || json_is_null(v) || json_is_string(v);
}

static int string_list(json_t *list, int uuids)
{
	size_t i;
	json_t *s;
	if (!json_is_array(list) || json_array_size(list) > ROSTER_LIST_MAX)
		return 0;
	json_array_foreach(list, i, s) {
		if (!json_is_string(s) || (uuids && !hg_is_uuid(json_string_value(s))))
			return 0;
	}
	return 1;
}

static enum hg_status parse_educator(json_t *data, const char *type, struct roster_fact *out)
{
	const char *status = json_string_value(json_object_get(data, "status"));
	out->kind = ROSTER_EDUCATOR;
	if (strcmp(type, "educator.deactivated") == 0)
		out->status = "inactive";
	else if (status != NULL && strcmp(status, "active") == 0)
		out->status = "active";
	else if (status != NULL && strcmp(status, "inactive") == 0)
		out->status = "inactive";
	else
		return HG_INVALID;
	out->roles = json_object_get(data, "roles");
	out->school_ids = json_object_get(data, "school_ids");
	if (strcmp(out->status, "active") == 0 && (out->roles == NULL || out->school_ids == NULL))
		return HG_INVALID;
	if ((out->roles != NULL && !string_list(out->roles, 0)) ||
	    (out->school_ids != NULL && !string_list(out->school_ids, 1)))
		return HG_INVALID;
	if (!optional_string(data, "started_teaching_on", &out->started_teaching_on))
		return HG_INVALID;
	struct hg_date d;
	if (out->started_teaching_on != NULL && !hg_date_parse(out->started_teaching_on, &d))
		return HG_INVALID;
	return HG_OK;
}

static enum hg_status parse_school(json_t *data, struct roster_fact *out)
{
	out->kind = ROSTER_SCHOOL;
	if (!optional_string(data, "name", &out->name) || !optional_string(data, "locale", &out->locale) ||
	    !optional_string(data, "poverty_level", &out->poverty_level))
		return HG_INVALID;
	json_t *t = json_object_get(data, "title_i");
	if (t != NULL && !json_is_null(t) && !json_is_boolean(t))
		return HG_INVALID;
	out->title_i = json_is_boolean(t) ? json_is_true(t) : -1;
	return HG_OK;
}

enum hg_status roster_model_parse(json_t *event, struct roster_fact *out)
{
	const char *type = json_string_value(json_object_get(event, "type"));
	json_t *data = json_object_get(event, "data");
	char envelope_district[37];

	memset(out, 0, sizeof(*out));
	if (type == NULL || (strcmp(type, "educator.upserted") != 0 && strcmp(type, "educator.deactivated") != 0 &&
			     strcmp(type, "school.upserted") != 0))
		return HG_NOT_FOUND;
	if (!json_is_object(data) || !uuid_member(event, "districtid", envelope_district) ||
	    !uuid_member(data, "district_id", out->district_id) || strcmp(envelope_district, out->district_id) != 0 ||
	    !uuid_member(data, "id", out->id))
		return HG_INVALID;
	json_t *version = json_object_get(data, "version");
	if (!json_is_integer(version) || json_integer_value(version) < 0)
		return HG_INVALID;
	out->version = (long long)json_integer_value(version);
	if (strcmp(type, "school.upserted") == 0)
		return parse_school(data, out);
	return parse_educator(data, type, out);
}
