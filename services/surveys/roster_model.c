/* roster_model.c - the roster service's school events, read for segments; educator events through
 * common/roster_event.c. */
#include "services/surveys/roster_model.h"

#include <string.h>

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
	return v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) <= HG_ROSTER_NAME_MAX);
}

static enum hg_status parse_school(json_t *event, struct roster_fact *out)
{
	json_t *data = json_object_get(event, "data");
	char envelope_district[37];
	out->kind = ROSTER_SCHOOL;
	if (!json_is_object(data) || !uuid_member(event, "districtid", envelope_district) ||
	    !uuid_member(data, "district_id", out->district_id) || strcmp(envelope_district, out->district_id) != 0 ||
	    !uuid_member(data, "id", out->id))
		return HG_INVALID;
	json_t *version = json_object_get(data, "version");
	if (!json_is_integer(version) || json_integer_value(version) < 0)
		return HG_INVALID;
	out->version = (long long)json_integer_value(version);
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

	memset(out, 0, sizeof(*out));
	if (type != NULL && strcmp(type, "school.upserted") == 0)
		return parse_school(event, out);
	out->kind = ROSTER_EDUCATOR;
	return hg_roster_event_parse(event, &out->educator);
}
