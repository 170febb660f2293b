/* resource.c - library resources: validation and the change rule. */
#include "services/resources/library/resource.h"

#include <string.h>

#include "common/roles.h"
#include "services/resources/reasons.h"

static const char *const fields[] = {"title",       "description", "type",    "url", "subjects",
				     "grade_bands", "topics",      "license", NULL};
static const char *const types[] = {"lesson_plan", "video",  "rubric", "article", "template",
				    "oer",         "course", "other",  NULL};
static const char *const grade_bands[] = {"PK", "K-2", "3-5", "6-8", "9-12", "adult", NULL};

#define TITLE_MAX 200
#define DESCRIPTION_MAX 5000
#define URL_MAX 2048
#define LICENSE_MAX 64
#define TAGS_MAX 20
#define TAG_LEN_MAX 64

/* Check every field (required ones only when creating) and copy the good ones into out. */
static json_t *validate(json_t *body, json_t *errs, int creating)
{
	const char *title, *description, *type, *url, *license;
	json_t *subjects, *bands, *topics;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, fields, errs);
	hg_check_string(body, "title", creating, 0, 1, TITLE_MAX, errs, &title);
	hg_check_string(body, "description", 0, 0, 0, DESCRIPTION_MAX, errs, &description);
	hg_check_enum(body, "type", creating, types, errs, &type);
	hg_check_url(body, "url", 0, 1, URL_MAX, errs, &url);
	hg_check_string_array(body, "subjects", TAGS_MAX, TAG_LEN_MAX, NULL, errs, &subjects);
	hg_check_string_array(body, "grade_bands", 6, 8, grade_bands, errs, &bands);
	hg_check_string_array(body, "topics", TAGS_MAX, TAG_LEN_MAX, NULL, errs, &topics);
	hg_check_string(body, "license", 0, 1, 1, LICENSE_MAX, errs, &license);
	if (!creating && json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before)
		return NULL;

	json_t *out = json_object();
	if (title != NULL)
		json_object_set_new(out, "title", hg_trimmed(title));
	if (description != NULL)
		json_object_set_new(out, "description", json_string(description));
	if (type != NULL)
		json_object_set_new(out, "type", json_string(type));
	if (json_object_get(body, "url") != NULL)
		json_object_set_new(out, "url", url ? json_string(url) : json_null());
	if (json_object_get(body, "license") != NULL)
		json_object_set_new(out, "license", license ? hg_trimmed(license) : json_null());
	if (subjects != NULL)
		json_object_set(out, "subjects", subjects);
	if (bands != NULL)
		json_object_set(out, "grade_bands", bands);
	if (topics != NULL)
		json_object_set(out, "topics", topics);
	return out;
}

json_t *resource_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, errs, 1);
}

json_t *resource_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, errs, 0);
}

int resource_may_change(const struct hg_principal *who, const char *created_by)
{
	if (who->roles & HG_ROLE(DISTRICT_ADMIN))
		return 1;
	return created_by != NULL && strcmp(who->sub, created_by) == 0;
}

const struct hg_reason *resource_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)changes;
	const char *author = json_string_value(json_object_get(state, "created_by"));
	return resource_may_change(who, author) ? NULL : RESOURCES_REFUSE(R_NOT_RESOURCE_AUTHOR);
}
