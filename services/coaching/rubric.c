/* rubric.c - district rubrics: validation and versioning rules (rubric.h). */
#include "services/coaching/rubric.h"

#include <stdio.h>
#include <string.h>

static const char *const create_fields[] = {"name", "domains", NULL};
static const char *const domain_fields[] = {"name", "indicators", NULL};
static const char *const indicator_fields[] = {"key", "name", "levels", NULL};
static const char *const level_fields[] = {"level", "descriptor", NULL};

/* [a-z0-9][a-z0-9_.-]{0,39} */
static int key_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > RUBRIC_KEY_MAX || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* levels of one indicator into a new array, or NULL with errs (fields under prefix). */
static json_t *check_levels(json_t *ind, const char *prefix, json_t *errs)
{
	json_t *a = json_object_get(ind, "levels"), *out = json_array(), *tmp = json_array(), *lv;
	char field[128];
	size_t i, before = json_array_size(errs);
	int seen[RUBRIC_LEVEL_MAX + 1] = {0};

	snprintf(field, sizeof(field), "%s.levels", prefix);
	if (!json_is_array(a) || json_array_size(a) < RUBRIC_LEVELS_MIN || json_array_size(a) > RUBRIC_LEVELS_MAX) {
		hg_err_add(errs, field, "must be an array of 2 to 10 levels");
		goto bad;
	}
	json_array_foreach(a, i, lv) {
		char at[160];
		long level = 0;
		const char *descriptor = NULL;
		snprintf(at, sizeof(at), "%s[%zu]", field, i);
		if (!json_is_object(lv)) {
			hg_err_add(errs, at, "must be an object");
			continue;
		}
		hg_check_known_fields(lv, level_fields, tmp);
		int level_ok = hg_check_int(lv, "level", 1, 0, RUBRIC_LEVEL_MAX, tmp, &level);
		hg_check_string(lv, "descriptor", 1, 0, 1, RUBRIC_DESCRIPTOR_MAX, tmp, &descriptor);
		if (level_ok && seen[level])
			hg_err_add(tmp, "level", "must be unique in its indicator");
		if (level_ok)
			seen[level] = 1;
		if (json_array_size(tmp) > 0) {
			hg_err_add_nested(tmp, at, errs);
			continue;
		}
		json_array_append_new(
			out, json_pack("{s:I, s:o}", "level", (json_int_t)level, "descriptor", hg_trimmed(descriptor)));
	}
	if (json_array_size(errs) == before) {
		json_decref(tmp);
		return out;
	}
bad:
	json_decref(tmp);
	json_decref(out);
	return NULL;
}

/* domains into a new array, or NULL with errs. */
static json_t *check_domains(json_t *body, int required, json_t *errs)
{
	json_t *a = json_object_get(body, "domains"), *out = json_array(), *tmp = json_array(), *keys = json_object();
	json_t *d, *ind;
	size_t i, j, count = 0, before = json_array_size(errs);

	if (a == NULL && !required)
		goto bad_quiet;
	if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > RUBRIC_DOMAINS_MAX) {
		hg_err_add(errs, "domains", "must be an array of 1 to 20 domains");
		goto bad;
	}
	json_array_foreach(a, i, d) {
		char at[48];
		const char *name = NULL;
		snprintf(at, sizeof(at), "domains[%zu]", i);
		if (!json_is_object(d)) {
			hg_err_add(errs, at, "must be an object");
			continue;
		}
		hg_check_known_fields(d, domain_fields, tmp);
		hg_check_string(d, "name", 1, 0, 1, RUBRIC_NAME_MAX, tmp, &name);
		hg_err_add_nested(tmp, at, errs);
		json_t *inds = json_object_get(d, "indicators");
		if (!json_is_array(inds) || json_array_size(inds) < 1) {
			char f[64];
			snprintf(f, sizeof(f), "%s.indicators", at);
			hg_err_add(errs, f, "must be an array of 1 to 100 indicators");
			continue;
		}
		json_t *outd = json_array();
		json_array_foreach(inds, j, ind) {
			char iat[96];
			const char *key = NULL, *iname = NULL;
			snprintf(iat, sizeof(iat), "%s.indicators[%zu]", at, j);
			if (++count > RUBRIC_INDICATORS_MAX)
				break;
			if (!json_is_object(ind)) {
				hg_err_add(errs, iat, "must be an object");
				continue;
			}
			hg_check_known_fields(ind, indicator_fields, tmp);
			if (hg_check_string(ind, "key", 1, 0, 1, RUBRIC_KEY_MAX, tmp, &key) && key != NULL) {
				if (!key_ok(key))
					hg_err_add(tmp, "key",
						   "must be 1 to 40 of a-z, 0-9, '_', '.', '-' starting with a "
						   "letter or a digit");
				else if (json_object_get(keys, key) != NULL)
					hg_err_add(tmp, "key", "must be unique in the rubric");
				else
					json_object_set_new(keys, key, json_true());
			}
			hg_check_string(ind, "name", 1, 0, 1, RUBRIC_NAME_MAX, tmp, &iname);
			hg_err_add_nested(tmp, iat, errs);
			json_t *levels = check_levels(ind, iat, errs);
			if (levels != NULL && key != NULL && iname != NULL)
				json_array_append_new(outd, json_pack("{s:s, s:o, s:o}", "key", key, "name",
								      hg_trimmed(iname), "levels", levels));
			else
				json_decref(levels);
		}
		if (name != NULL)
			json_array_append_new(out,
					      json_pack("{s:o, s:o}", "name", hg_trimmed(name), "indicators", outd));
		else
			json_decref(outd);
	}
	if (count > RUBRIC_INDICATORS_MAX)
		hg_err_add(errs, "domains", "must hold at most 100 indicators in all");
	if (json_array_size(errs) == before) {
		json_decref(tmp);
		json_decref(keys);
		return out;
	}
bad:
bad_quiet:
	json_decref(tmp);
	json_decref(keys);
	json_decref(out);
	return NULL;
}

static json_t *validate(json_t *body, int create, json_t *errs)
{
	const char *name = NULL;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, create_fields, errs);
	hg_check_string(body, "name", create, 0, 1, RUBRIC_NAME_MAX, errs, &name);
	json_t *domains = check_domains(body, create, errs);
	if (!create && json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before) {
		json_decref(domains);
		return NULL;
	}
	json_t *out = json_object();
	if (name != NULL)
		json_object_set_new(out, "name", hg_trimmed(name));
	if (domains != NULL)
		json_object_set_new(out, "domains", domains);
	return out;
}

json_t *rubric_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, 1, errs);
}

json_t *rubric_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, 0, errs);
}

const struct hg_reason *rubric_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)who;
	json_t *name = json_object_get(changes, "name"), *domains = json_object_get(changes, "domains");
	if ((name == NULL || json_equal(name, json_object_get(state, "name"))) &&
	    (domains == NULL || json_equal(domains, json_object_get(state, "domains"))))
		return &hg_reason_unchanged;
	return NULL;
}

json_t *rubric_event_data(json_t *record)
{
	json_t *data = json_deep_copy(record);
	json_object_del(data, "domains");
	return data;
}

json_t *rubric_indicator_levels(json_t *domains, const char *key)
{
	size_t i, j;
	json_t *d, *ind;
	json_array_foreach(domains, i, d) {
		json_array_foreach(json_object_get(d, "indicators"), j, ind) {
			const char *k = json_string_value(json_object_get(ind, "key"));
			if (k != NULL && strcmp(k, key) == 0)
				return json_object_get(ind, "levels");
		}
	}
	return NULL;
}
