/* validate.c - field checks that report every bad field. */
#include "common/validate.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/date.h"

void hg_err_add(json_t *errs, const char *field, const char *reason)
{
	json_array_append_new(errs, json_pack("{s:s, s:s}", "field", field, "reason", reason));
}

void hg_err_add_nested(json_t *tmp, const char *prefix, json_t *errs)
{
	size_t i;
	json_t *e;
	char field[256];
	json_array_foreach(tmp, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));
		if (f != NULL && f[0] != '\0')
			snprintf(field, sizeof(field), "%s.%s", prefix, f);
		else
			snprintf(field, sizeof(field), "%s", prefix);
		hg_err_add(errs, field, json_string_value(json_object_get(e, "reason")));
	}
	json_array_clear(tmp);
}

void hg_check_known_fields(json_t *obj, const char *const *allowed, json_t *errs)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const char *const *a = allowed;
		while (*a != NULL && strcmp(*a, key) != 0)
			a++;
		if (*a == NULL)
			hg_err_add(errs, key, "is not a known field");
	}
}

size_t hg_utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static size_t trimmed_len(const char *s)
{
	const char *e = s + strlen(s);
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	size_t n = 0;
	for (; s < e; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Shared presence logic: returns the value, or NULL when absent/null (already judged). */
static json_t *present(json_t *obj, const char *field, int required, int nullable, json_t *errs, int *ok)
{
	json_t *v = json_object_get(obj, field);
	*ok = 1;
	if (v == NULL) {
		if (required) {
			hg_err_add(errs, field, "is required");
			*ok = 0;
		}
		return NULL;
	}
	if (json_is_null(v)) {
		if (!nullable) {
			hg_err_add(errs, field, required ? "is required" : "must not be null");
			*ok = 0;
		}
		return NULL;
	}
	return v;
}

int hg_check_string(json_t *obj, const char *field, int required, int nullable, size_t min, size_t max, json_t *errs,
		    const char **out)
{
	int ok;
	char reason[96];
	json_t *v = present(obj, field, required, nullable, errs, &ok);
	if (out != NULL)
		*out = NULL;
	if (v == NULL)
		return ok;
	if (!json_is_string(v)) {
		hg_err_add(errs, field, "must be a string");
		return 0;
	}
	/* At least min characters besides surrounding white space, at most max in all (JSON Schema's maxLength). */
	size_t n = trimmed_len(json_string_value(v));
	size_t all = hg_utf8_len(json_string_value(v));
	if (n < min || all > max || strlen(json_string_value(v)) != json_string_length(v)) {
		if (strlen(json_string_value(v)) != json_string_length(v))
			snprintf(reason, sizeof(reason), "must not contain NUL characters");
		else if (min > 0 && n < min)
			snprintf(reason, sizeof(reason), "must be %zu to %zu characters", min, max);
		else
			snprintf(reason, sizeof(reason), "must be at most %zu characters", max);
		hg_err_add(errs, field, reason);
		return 0;
	}
	if (out != NULL)
		*out = json_string_value(v);
	return 1;
}

static int in_choices(const char *s, const char *const *choices)
{
	for (; *choices != NULL; choices++)
		if (strcmp(s, *choices) == 0)
			return 1;
	return 0;
}

static void choices_reason(char *buf, size_t len, const char *const *choices)
{
	snprintf(buf, len, "must be one of ");
	for (const char *const *c = choices; *c != NULL; c++) {
		strncat(buf, *c, len - strlen(buf) - 1);
		if (c[1] != NULL)
			strncat(buf, ", ", len - strlen(buf) - 1);
	}
}

int hg_check_enum(json_t *obj, const char *field, int required, const char *const *choices, json_t *errs,
		  const char **out)
{
	int ok;
	char reason[256];
	json_t *v = present(obj, field, required, 0, errs, &ok);
	if (out != NULL)
		*out = NULL;
	if (v == NULL)
		return ok;
	if (!json_is_string(v) || !in_choices(json_string_value(v), choices)) {
		choices_reason(reason, sizeof(reason), choices);
		hg_err_add(errs, field, reason);
		return 0;
	}
	if (out != NULL)
		*out = json_string_value(v);
	return 1;
}

/* Only the characters RFC 3986 lets a URI hold (unreserved, reserved, and % with two hex digits). */
static int uri_chars(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '%') {
			if (!isxdigit((unsigned char)s[1]) || !isxdigit((unsigned char)s[2]))
				return 0;
			s += 2;
		} else if (!isalnum(c) && strchr("-._~:/?#[]@!$&'()*+,;=", c) == NULL) {
			return 0;
		}
	}
	return 1;
}

int hg_check_url(json_t *obj, const char *field, int required, int nullable, size_t max, json_t *errs, const char **out)
{
	const char *s = NULL;
	if (!hg_check_string(obj, field, required, nullable, 1, max, errs, &s))
		return 0;
	if (out != NULL)
		*out = s;
	if (s == NULL)
		return 1;
	size_t scheme = strncasecmp(s, "https://", 8) == 0 ? 8 : strncasecmp(s, "http://", 7) == 0 ? 7 : 0;
	if (scheme == 0 || s[scheme] == '\0' || s[scheme] == '/' || !uri_chars(s)) {
		hg_err_add(errs, field, "must be an http:// or https:// URL");
		if (out != NULL)
			*out = NULL;
		return 0;
	}
	return 1;
}

int hg_check_string_array(json_t *obj, const char *field, size_t max_items, size_t max_len, const char *const *choices,
			  json_t *errs, json_t **out)
{
	int ok;
	char reason[256];
	json_t *v = present(obj, field, 0, 0, errs, &ok);
	if (out != NULL)
		*out = NULL;
	if (v == NULL)
		return ok;
	if (!json_is_array(v)) {
		hg_err_add(errs, field, "must be an array of strings");
		return 0;
	}
	if (json_array_size(v) > max_items) {
		snprintf(reason, sizeof(reason), "must have at most %zu items", max_items);
		hg_err_add(errs, field, reason);
		return 0;
	}
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item) {
		if (!json_is_string(item)) {
			hg_err_add(errs, field, "must be an array of strings");
			return 0;
		}
		const char *s = json_string_value(item);
		size_t n = trimmed_len(s);
		if (n == 0 || hg_utf8_len(s) > max_len || strlen(s) != json_string_length(item)) {
			snprintf(reason, sizeof(reason), "items must be 1 to %zu characters", max_len);
			hg_err_add(errs, field, reason);
			return 0;
		}
		if (choices != NULL && !in_choices(s, choices)) {
			snprintf(reason, sizeof(reason), "items ");
			choices_reason(reason + 6, sizeof(reason) - 6, choices);
			hg_err_add(errs, field, reason);
			return 0;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(json_string_value(json_array_get(v, j)), s) == 0) {
				hg_err_add(errs, field, "items must be distinct");
				return 0;
			}
		}
	}
	if (out != NULL)
		*out = v;
	return 1;
}

json_t *hg_trimmed(const char *s)
{
	const char *e = s + strlen(s);
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	return json_stringn(s, (size_t)(e - s));
}

int hg_json_integer(const json_t *v, long long min, long long max, long long *out)
{
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i < min || i > max)
			return 0;
		*out = i;
		return 1;
	}
	if (!json_is_real(v))
		return 0;
	double d = json_real_value(v);
	/* Compared as doubles before any conversion, so no out-of-range value is ever converted. */
	if (!isfinite(d) || d != floor(d) || d < (double)min || d > (double)max)
		return 0;
	*out = (long long)d;
	return 1;
}

int hg_check_int(json_t *obj, const char *field, int required, long min, long max, json_t *errs, long *out)
{
	json_t *v = json_object_get(obj, field);
	char reason[96];
	long long n = 0;

	if (v == NULL) {
		if (required)
			hg_err_add(errs, field, "is required");
		return !required;
	}
	if (!hg_json_integer(v, min, max, &n)) {
		snprintf(reason, sizeof(reason), "must be an integer from %ld to %ld", min, max);
		hg_err_add(errs, field, reason);
		return 0;
	}
	*out = (long)n;
	return 1;
}

int hg_check_amount(json_t *obj, const char *field, int required, int nullable, int positive, double max, json_t *errs,
		    char *out, size_t outlen)
{
	json_t *v = json_object_get(obj, field);
	char reason[96];

	out[0] = '\0';
	if (v == NULL || json_is_null(v)) {
		if ((v == NULL && required) || (v != NULL && !nullable)) {
			hg_err_add(errs, field, required ? "is required" : "must not be null");
			return 0;
		}
		return 1;
	}
	double d = json_number_value(v);
	int ok = json_is_number(v) && isfinite(d) && d >= 0 && d <= max;
	long long cents = ok ? (long long)(d * 100.0 + 0.5) : 0; /* only converted once known in range */
	double off = ok ? d * 100.0 - (double)cents : 1;
	/* Positive means at least 0.01: 1e-300 is over 0 but not an amount of two decimals. */
	if (!ok || off > 1e-6 || off < -1e-6 || (positive && cents == 0)) {
		snprintf(reason, sizeof(reason), "must be a number %s 0 to %.0f with at most two decimals",
			 positive ? "over" : "from", max);
		hg_err_add(errs, field, reason);
		return 0;
	}
	snprintf(out, outlen, "%lld.%02lld", cents / 100, cents % 100);
	return 1;
}

int hg_check_date(json_t *obj, const char *field, int required, json_t *errs, const char **out, int64_t *days)
{
	const char *s = NULL;
	*out = NULL;
	if (!hg_check_string(obj, field, required, 0, 1, 10, errs, &s))
		return 0;
	if (s == NULL)
		return 1;
	if (!hg_api_date_parse(s, days)) {
		hg_err_add(errs, field, "must be a date YYYY-MM-DD between 2000 and 2100");
		return 0;
	}
	*out = s;
	return 1;
}

int hg_check_time(json_t *obj, const char *field, int required, json_t *errs, const char **out, int64_t *us)
{
	const char *s = NULL;
	*out = NULL;
	if (!hg_check_string(obj, field, required, 0, 1, 40, errs, &s))
		return 0;
	if (s == NULL)
		return 1;
	if (!hg_api_time_parse(s, us)) {
		hg_err_add(errs, field, "must be an RFC 3339 time with an offset, between 2000 and 2100");
		return 0;
	}
	*out = s;
	return 1;
}

int hg_is_uuid(const char *s)
{
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return s[36] == '\0';
}

void hg_uuid_lower(const char *s, char *out)
{
	for (int i = 0; i < 36; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[36] = '\0';
}

int hg_check_uuid(json_t *obj, const char *field, int required, json_t *errs, char *out)
{
	json_t *v = json_object_get(obj, field);
	out[0] = '\0';
	if (v == NULL) {
		if (required)
			hg_err_add(errs, field, "is required");
		return !required;
	}
	if (!json_is_string(v) || !hg_is_uuid(json_string_value(v))) {
		hg_err_add(errs, field, "must be a UUID");
		return 0;
	}
	hg_uuid_lower(json_string_value(v), out);
	return 1;
}

int hg_check_uuid_array(json_t *obj, const char *field, size_t min_items, size_t max_items, json_t *errs, json_t **out)
{
	json_t *v = json_object_get(obj, field);
	char reason[96], id[37];
	size_t i;
	json_t *item;

	*out = NULL;
	if (v == NULL) {
		if (min_items > 0)
			hg_err_add(errs, field, "is required");
		return min_items == 0;
	}
	if (!json_is_array(v) || json_array_size(v) < min_items || json_array_size(v) > max_items) {
		snprintf(reason, sizeof(reason), "must be an array of %zu to %zu UUIDs", min_items, max_items);
		hg_err_add(errs, field, reason);
		return 0;
	}
	json_t *ids = json_array();
	json_array_foreach(v, i, item) {
		if (!json_is_string(item) || !hg_is_uuid(json_string_value(item))) {
			hg_err_add(errs, field, "items must be UUIDs");
			json_decref(ids);
			return 0;
		}
		hg_uuid_lower(json_string_value(item), id);
		for (size_t j = 0; j < json_array_size(ids); j++) {
			if (strcmp(json_string_value(json_array_get(ids, j)), id) == 0) {
				hg_err_add(errs, field, "items must be distinct");
				json_decref(ids);
				return 0;
			}
		}
		json_array_append_new(ids, json_string(id));
	}
	*out = ids;
	return 1;
}

json_t *hg_check_object_array(json_t *obj, const char *field, int required, size_t max_items, const char *shape,
			      json_t *(*check_one)(json_t *item, json_t *errs), json_t *errs)
{
	json_t *a = json_object_get(obj, field), *item, *tmp, *out;
	char prefix[128];
	size_t i;

	if (a == NULL) {
		if (required)
			hg_err_add(errs, field, "is required");
		return NULL;
	}
	if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > max_items) {
		hg_err_add(errs, field, shape);
		return NULL;
	}
	tmp = json_array();
	out = json_array();
	json_array_foreach(a, i, item) {
		json_t *one;
		snprintf(prefix, sizeof(prefix), "%s[%zu]", field, i);
		if (!json_is_object(item)) {
			hg_err_add(errs, prefix, "must be an object");
			continue;
		}
		one = check_one(item, tmp);
		if (one == NULL) {
			hg_err_add_nested(tmp, prefix, errs);
			continue;
		}
		json_array_append_new(out, one);
	}
	json_decref(tmp);
	if (json_array_size(out) != json_array_size(a)) {
		json_decref(out);
		return NULL;
	}
	return out;
}
