/* library.c - library resources: validation and the change rule. */
#include "library.h"

#include <string.h>

#include "roles.h"
#include "validate.h"
#include "xmalloc.h"

static const char *const fields[] = {"title",  "description", "type",    "url",
				     "subjects", "grade_bands", "topics", "license", NULL};
static const char *const types[] = {"lesson_plan", "video", "rubric", "article", "template",
				    "oer",         "course", "other", NULL};
static const char *const grade_bands[] = {"PK", "K-2", "3-5", "6-8", "9-12", "adult", NULL};

#define TITLE_MAX 200
#define DESCRIPTION_MAX 5000
#define URL_MAX 2048
#define LICENSE_MAX 64
#define TAGS_MAX 20
#define TAG_LEN_MAX 64

static json_t *trimmed(const char *s)
{
	const char *e = s + strlen(s);
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	return json_stringn(s, (size_t)(e - s));
}

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
		json_object_set_new(out, "title", trimmed(title));
	if (description != NULL)
		json_object_set_new(out, "description", json_string(description));
	if (type != NULL)
		json_object_set_new(out, "type", json_string(type));
	if (json_object_get(body, "url") != NULL)
		json_object_set_new(out, "url", url ? json_string(url) : json_null());
	if (json_object_get(body, "license") != NULL)
		json_object_set_new(out, "license", license ? trimmed(license) : json_null());
	if (subjects != NULL)
		json_object_set(out, "subjects", subjects);
	if (bands != NULL)
		json_object_set(out, "grade_bands", bands);
	if (topics != NULL)
		json_object_set(out, "topics", topics);
	return out;
}

json_t *library_validate_create(json_t *body, json_t *errs) { return validate(body, errs, 1); }

json_t *library_validate_patch(json_t *body, json_t *errs) { return validate(body, errs, 0); }

int library_may_change(const struct hg_principal *who, const char *created_by)
{
	if (who->roles & HG_ROLE(DISTRICT_ADMIN))
		return 1;
	return strcmp(who->sub, created_by) == 0;
}
