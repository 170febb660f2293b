/* registrants.c - the resources catalog's registration events, read for session-registrant audiences. */
#include "services/surveys/registrants.h"

#include <string.h>

#include "common/validate.h"

/* A declined registration is cancelled (its data says so); an approved one keeps its status. */
static const char *const registration_types[] = {"registration.created",   "registration.promoted",
						 "registration.cancelled", "registration.declined",
						 "registration.approved",  NULL};
static const char *const registration_statuses[] = {"registered", "waitlisted", "cancelled", NULL};

static int uuid_member(json_t *obj, const char *name, char *out)
{
	const char *s = json_string_value(json_object_get(obj, name));
	if (s == NULL || !hg_is_uuid(s))
		return 0;
	hg_uuid_lower(s, out);
	return 1;
}

static const char *one_of(const char *s, const char *const *choices)
{
	for (size_t i = 0; s != NULL && choices[i] != NULL; i++) {
		if (strcmp(s, choices[i]) == 0)
			return choices[i];
	}
	return NULL;
}

enum hg_status registrants_parse(json_t *event, struct registration_fact *out)
{
	json_t *data = json_object_get(event, "data");
	char envelope_district[37];

	memset(out, 0, sizeof(*out));
	if (one_of(json_string_value(json_object_get(event, "type")), registration_types) == NULL)
		return HG_NOT_FOUND;
	if (!json_is_object(data) || !uuid_member(event, "districtid", envelope_district) ||
	    !uuid_member(data, "district_id", out->district_id) || strcmp(envelope_district, out->district_id) != 0 ||
	    !uuid_member(data, "id", out->id) || !uuid_member(data, "session_id", out->session_id) ||
	    !uuid_member(data, "educator_id", out->educator_id))
		return HG_INVALID;
	out->status = one_of(json_string_value(json_object_get(data, "status")), registration_statuses);
	json_t *version = json_object_get(data, "version");
	if (out->status == NULL || !json_is_integer(version) || json_integer_value(version) < 0)
		return HG_INVALID;
	out->version = (long long)json_integer_value(version);
	return HG_OK;
}
