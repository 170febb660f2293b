/* catalog.c - checks and rules every catalog noun shares. */
#include "catalog.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "roles.h"
#include "validate.h"
#include "xmalloc.h"

int catalog_is_admin(const struct hg_principal *who) { return (who->roles & HG_ROLE(DISTRICT_ADMIN)) != 0; }

int catalog_same_id(const char *a, const char *b) { return a != NULL && b != NULL && strcasecmp(a, b) == 0; }

json_t *catalog_trimmed(const char *s)
{
	const char *e = s + strlen(s);
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	return json_stringn(s, (size_t)(e - s));
}

/* ---- dates and times ---- */

/* n decimal digits at s into *v; 0 if any is not a digit. */
static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* "YYYY-MM-DD" at the start of s (nothing about what follows). */
static int parse_ymd(const char *s, int64_t *days)
{
	int y, m, d;
	if (strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
	    !digits(s + 8, 2, &d))
		return 0;
	if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return 0;
	*days = days_from_civil(y, m, d);
	return 1;
}

int catalog_parse_date(const char *s, int64_t *days) { return parse_ymd(s, days) && s[10] == '\0'; }

int catalog_parse_time(const char *s, int64_t *us)
{
	int64_t days;
	int hh, mm, ss, oh = 0, om = 0, frac = 0, scale = 1000000;
	const char *p;

	if (!parse_ymd(s, &days) || s[10] != 'T' || !digits(s + 11, 2, &hh) || s[13] != ':' ||
	    !digits(s + 14, 2, &mm) || s[16] != ':' || !digits(s + 17, 2, &ss))
		return 0;
	if (hh > 23 || mm > 59 || ss > 59)
		return 0;
	p = s + 19;
	if (*p == '.') {
		int n = 0;
		for (p++; isdigit((unsigned char)*p); p++, n++) {
			if (n >= 6)
				return 0; /* microseconds at most: what PostgreSQL keeps */
			scale /= 10;
			frac += (*p - '0') * scale;
		}
		if (n == 0)
			return 0;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return 0;
		oh *= sign;
		om *= sign;
		p += 6;
	} else {
		return 0;
	}
	if (*p != '\0')
		return 0;
	int64_t secs = days * 86400 + hh * 3600 + mm * 60 + ss - (oh * 3600 + om * 60);
	*us = secs * CATALOG_US_PER_S + frac;
	return 1;
}

/* ---- field checks ---- */

int catalog_check_amount(json_t *obj, const char *field, int required, int nullable, int positive, double max,
			 json_t *errs, char *out, size_t outlen)
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
	int ok = json_is_number(v) && isfinite(d) && d >= 0 && (!positive || d > 0) && d <= max;
	long long cents = ok ? (long long)(d * 100.0 + 0.5) : 0; /* only converted once known in range */
	double off = ok ? d * 100.0 - (double)cents : 1;
	if (!ok || off > 1e-6 || off < -1e-6) {
		snprintf(reason, sizeof(reason), "must be a number %s 0 to %.0f with at most two decimals",
			 positive ? "over" : "from", max);
		hg_err_add(errs, field, reason);
		return 0;
	}
	snprintf(out, outlen, "%lld.%02lld", cents / 100, cents % 100);
	return 1;
}

int catalog_check_int(json_t *obj, const char *field, int required, long min, long max, json_t *errs, long *out)
{
	json_t *v = json_object_get(obj, field);
	char reason[96];

	if (v == NULL) {
		if (required)
			hg_err_add(errs, field, "is required");
		return !required;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		snprintf(reason, sizeof(reason), "must be an integer from %ld to %ld", min, max);
		hg_err_add(errs, field, reason);
		return 0;
	}
	*out = (long)json_integer_value(v);
	return 1;
}

int catalog_check_date(json_t *obj, const char *field, int required, json_t *errs, const char **out, int64_t *days)
{
	const char *s = NULL;
	*out = NULL;
	if (!hg_check_string(obj, field, required, 0, 1, 10, errs, &s))
		return 0;
	if (s == NULL)
		return 1;
	if (!catalog_parse_date(s, days)) {
		hg_err_add(errs, field, "must be a date YYYY-MM-DD between 2000 and 2100");
		return 0;
	}
	*out = s;
	return 1;
}

int catalog_check_time(json_t *obj, const char *field, int required, json_t *errs, const char **out, int64_t *us)
{
	const char *s = NULL;
	*out = NULL;
	if (!hg_check_string(obj, field, required, 0, 1, 40, errs, &s))
		return 0;
	if (s == NULL)
		return 1;
	if (!catalog_parse_time(s, us)) {
		hg_err_add(errs, field, "must be an RFC 3339 time with an offset, between 2000 and 2100");
		return 0;
	}
	*out = s;
	return 1;
}

static void lower_uuid(const char *s, char *out)
{
	for (int i = 0; i < 36; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[36] = '\0';
}

int catalog_check_uuid(json_t *obj, const char *field, int required, json_t *errs, char *out)
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
	lower_uuid(json_string_value(v), out);
	return 1;
}

int catalog_check_uuid_array(json_t *obj, const char *field, size_t min_items, size_t max_items, json_t *errs,
			     json_t **out)
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
	json_array_foreach(v, i, item)
	{
		if (!json_is_string(item) || !hg_is_uuid(json_string_value(item))) {
			hg_err_add(errs, field, "items must be UUIDs");
			json_decref(ids);
			return 0;
		}
		lower_uuid(json_string_value(item), id);
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

char *catalog_uuid_array_literal(json_t *ids)
{
	size_t n = json_array_size(ids);
	char *buf = xmalloc(n * 37 + 3);
	char *p = buf;
	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		/* ids were checked to be UUIDs (36 characters): nothing to quote */
		memcpy(p, json_string_value(json_array_get(ids, i)), 36);
		p += 36;
	}
	*p++ = '}';
	*p = '\0';
	return buf;
}
