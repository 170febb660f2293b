/* school.c - schools: the attributes the API sets (pure; no HTTP, no SQL). */
#include "services/roster/school.h"

#include <string.h>

const char *const school_locales[] = {"city", "suburb", "town", "rural", NULL};
const char *const roster_statuses[] = {"active", "inactive", NULL};
const char *const school_poverty_levels[] = {"low", "mid-low", "mid-high", "high", NULL};
/* enrolment: the deprecated alias of enrollment, accepted until the next API version. */
static const char *const fields[] = {"locale", "title_i", "poverty_level", "enrollment", "enrolment", NULL};

/* A nullable enumeration: null clears it. */
static void nullable_enum(json_t *body, const char *field, const char *const *choices, json_t *errs)
{
	json_t *v = json_object_get(body, field);
	if (v != NULL && !json_is_null(v))
		hg_check_enum(body, field, 0, choices, errs, NULL);
}

json_t *school_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	size_t before = json_array_size(errs);
	json_t *v;

	hg_check_known_fields(body, fields, errs);
	nullable_enum(body, "locale", school_locales, errs);
	nullable_enum(body, "poverty_level", school_poverty_levels, errs);
	v = json_object_get(body, "title_i");
	if (v != NULL && !json_is_null(v) && !json_is_boolean(v))
		hg_err_add(errs, "title_i", "must be true, false or null");
	const char *name = "enrollment";
	v = json_object_get(body, "enrollment");
	if (json_object_get(body, "enrolment") != NULL) {
		if (v != NULL)
			hg_err_add(errs, "enrolment", "give enrollment only (enrolment is its deprecated alias)");
		name = "enrolment";
		v = json_object_get(body, "enrolment");
	}
	long long enrollment = 0;
	if (v != NULL && !json_is_null(v) && !hg_json_integer(v, 0, SCHOOL_ENROLLMENT_MAX, &enrollment))
		hg_err_add(errs, name, "must be an integer from 0 to 1000000, or null");
	if (json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_deep_copy(body);
	json_object_del(out, "enrolment");
	if (v != NULL) /* 412.0 is stored as 412 */
		json_object_set_new(out, "enrollment",
				    json_is_null(v) ? json_null() : json_integer((json_int_t)enrollment));
	return out;
}
