/* competency.c - validation of a district's competencies. */
#include "services/resources/credentials/competency.h"

static const char *const fields[] = {"name", "description", "group", "alignment", NULL};
static const char *const alignment_fields[] = {"framework", "code", "url", NULL};

int competency_check_alignment(json_t *obj, const char *field, json_t *errs, json_t **out)
{
	json_t *a = json_object_get(obj, field), *tmp;
	const char *framework = NULL, *code = NULL, *url = NULL;

	*out = NULL;
	if (a == NULL || json_is_null(a))
		return 1;
	if (!json_is_object(a)) {
		hg_err_add(errs, field, "must be an object {framework, code, url} or null");
		return 0;
	}
	tmp = json_array();
	hg_check_known_fields(a, alignment_fields, tmp);
	hg_check_string(a, "framework", 1, 0, 1, 200, tmp, &framework);
	hg_check_string(a, "code", 1, 0, 1, 64, tmp, &code);
	hg_check_url(a, "url", 0, 0, 2048, tmp, &url);
	if (json_array_size(tmp) > 0) {
		hg_err_add_nested(tmp, field, errs);
		json_decref(tmp);
		return 0;
	}
	json_decref(tmp);
	*out = json_pack("{s:o, s:o}", "framework", hg_trimmed(framework), "code", hg_trimmed(code));
	if (url != NULL)
		json_object_set_new(*out, "url", json_string(url));
	return 1;
}

/* The fields present in body, checked (required ones when create), into a new object; NULL with errs. */
static json_t *validate(json_t *body, int create, json_t *errs)
{
	const char *name = NULL, *description = NULL, *group = NULL;
	json_t *alignment = NULL, *out;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, fields, errs);
	hg_check_string(body, "name", create, 0, 1, 200, errs, &name);
	hg_check_string(body, "description", 0, 0, 0, 5000, errs, &description);
	hg_check_string(body, "group", 0, 1, 1, 100, errs, &group);
	competency_check_alignment(body, "alignment", errs, &alignment);
	if (!create && json_array_size(errs) == before && json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before) {
		json_decref(alignment);
		return NULL;
	}
	out = json_object();
	if (name != NULL)
		json_object_set_new(out, "name", hg_trimmed(name));
	if (description != NULL || create)
		json_object_set_new(out, "description", json_string(description ? description : ""));
	if (json_object_get(body, "group") != NULL || create)
		json_object_set_new(out, "group", group ? hg_trimmed(group) : json_null());
	if (json_object_get(body, "alignment") != NULL || create)
		json_object_set_new(out, "alignment", alignment ? alignment : json_null());
	else
		json_decref(alignment);
	return out;
}

json_t *competency_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, 1, errs);
}

json_t *competency_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, 0, errs);
}
