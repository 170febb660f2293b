/* educator.c - educators: who sees whom, and what the API sets (pure). */
#include "educator.h"

#include <stdio.h>
#include <string.h>

#include "oneroster.h"
#include "roles.h"
#include "validate.h"

static const char *const fields[] = {"started_teaching_on", NULL};

struct educator_view educator_view_of(const struct hg_principal *who)
{
	struct educator_view v = {0, 0};
	v.all = (who->roles & HG_ROLE(DISTRICT_ADMIN)) != 0;
	v.leader = (who->roles & HG_ROLE(SCHOOL_LEADER)) != 0;
	return v;
}

int educator_role_valid(const char *role)
{
	return strcmp(role, "teacher") == 0 || strcmp(role, "school_leader") == 0 ||
	       strcmp(role, "district_admin") == 0;
}

json_t *educator_validate_patch(json_t *body, const char *today, json_t *errs)
{
	size_t before = json_array_size(errs);
	json_t *v = json_object_get(body, "started_teaching_on");
	char latest[16];

	hg_check_known_fields(body, fields, errs);
	/* A year ahead at most: a hire may start next term. Dates compare as text. */
	snprintf(latest, sizeof(latest), "%04d%s", (today[0] - '0') * 1000 + (today[1] - '0') * 100 +
						 (today[2] - '0') * 10 + (today[3] - '0') + 1, today + 4);
	if (v == NULL)
		hg_err_add(errs, "started_teaching_on", "is required");
	else if (!json_is_null(v) &&
		 (!json_is_string(v) || !oneroster_is_date(json_string_value(v)) ||
		  strcmp(json_string_value(v), "1900-01-01") < 0 || strcmp(json_string_value(v), latest) > 0))
		hg_err_add(errs, "started_teaching_on",
			   "must be a date (YYYY-MM-DD) from 1900-01-01 to a year from today, or null");
	if (json_array_size(errs) > before)
		return NULL;
	return json_deep_copy(body);
}
