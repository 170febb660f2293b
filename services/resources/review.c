/* review.c - reviews of library resources and content checks: validation and the change rule. */
#include "review.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "validate.h"

static const char *const review_fields[] = {"rating", "comment", NULL};
static const char *const check_fields[] = {"note", "review_due_on", NULL};

static json_t *trimmed(const char *s)
{
	const char *e = s + strlen(s);
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	return json_stringn(s, (size_t)(e - s));
}

/* rating: an integer from 1 to 5 (not a real, not a boolean). */
static int check_rating(json_t *body, int required, json_t *errs, json_int_t *out)
{
	json_t *v = json_object_get(body, "rating");
	if (v == NULL) {
		if (required)
			hg_err_add(errs, "rating", "is required");
		return !required;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5) {
		hg_err_add(errs, "rating", "must be an integer from 1 to 5");
		return 0;
	}
	*out = json_integer_value(v);
	return 1;
}

static json_t *validate_review(json_t *body, json_t *errs, int creating)
{
	json_int_t rating = 0;
	const char *comment = NULL;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, review_fields, errs);
	check_rating(body, creating, errs, &rating);
	hg_check_string(body, "comment", 0, 1, 0, REVIEW_COMMENT_MAX, errs, &comment);
	if (!creating && json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before)
		return NULL;

	json_t *out = json_object();
	if (rating != 0)
		json_object_set_new(out, "rating", json_integer(rating));
	if (json_object_get(body, "comment") != NULL || creating)
		json_object_set_new(out, "comment", comment ? trimmed(comment) : json_null());
	return out;
}

json_t *review_validate_create(json_t *body, json_t *errs) { return validate_review(body, errs, 1); }

json_t *review_validate_patch(json_t *body, json_t *errs) { return validate_review(body, errs, 0); }

int review_may_change(const struct hg_principal *who, const char *reviewer_id)
{
	return strcmp(who->sub, reviewer_id) == 0;
}

/* ---- dates ---- */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

int hg_date_parse(const char *s, struct hg_date *out)
{
	int v[3] = {0, 0, 0};
	const int widths[3] = {4, 2, 2};
	const char *p = s;
	for (int f = 0; f < 3; f++) {
		for (int i = 0; i < widths[f]; i++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v[f] = v[f] * 10 + (*p - '0');
		}
		if (f < 2 && *p++ != '-')
			return -1;
	}
	if (*p != '\0' || v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
		return -1;
	out->year = v[0];
	out->month = v[1];
	out->day = v[2];
	return 0;
}

void hg_date_format(struct hg_date d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d.year, d.month, d.day);
}

struct hg_date hg_date_add_years(struct hg_date d, int years)
{
	d.year += years;
	if (d.day > days_in_month(d.year, d.month))
		d.day = days_in_month(d.year, d.month);
	return d;
}

int hg_date_cmp(struct hg_date a, struct hg_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	return a.day < b.day ? -1 : a.day > b.day;
}

struct hg_date hg_date_utc(long long now)
{
	struct tm tm;
	time_t t = (time_t)now;
	gmtime_r(&t, &tm);
	return (struct hg_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

json_t *content_check_validate(json_t *body, struct hg_date today, json_t *errs)
{
	const char *note = NULL, *due_text = NULL;
	struct hg_date min = hg_date_add_years(today, CONTENT_CHECK_MIN_YEARS);
	struct hg_date max = hg_date_add_years(today, CONTENT_CHECK_MAX_YEARS);
	struct hg_date due = min;
	size_t before = json_array_size(errs);
	char buf[11], lo[11], hi[11], reason[96];

	hg_check_known_fields(body, check_fields, errs);
	hg_check_string(body, "note", 0, 1, 0, CONTENT_NOTE_MAX, errs, &note);
	if (hg_check_string(body, "review_due_on", 0, 0, 1, 32, errs, &due_text) && due_text != NULL) {
		hg_date_format(min, lo, sizeof(lo));
		hg_date_format(max, hi, sizeof(hi));
		if (hg_date_parse(due_text, &due) != 0) {
			hg_err_add(errs, "review_due_on", "must be a date written YYYY-MM-DD");
		} else if (hg_date_cmp(due, min) < 0 || hg_date_cmp(due, max) > 0) {
			snprintf(reason, sizeof(reason), "must be 3 to 5 years from today: %s to %s", lo, hi);
			hg_err_add(errs, "review_due_on", reason);
		}
	}
	if (json_array_size(errs) > before)
		return NULL;
	hg_date_format(due, buf, sizeof(buf));
	return json_pack("{s:o, s:s}", "note", note ? trimmed(note) : json_null(), "review_due_on", buf);
}
