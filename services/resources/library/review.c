/* review.c - reviews of library resources and content checks: validation and the change rule. */
#include "services/resources/library/review.h"

#include <stdio.h>
#include <string.h>

#include "services/resources/reasons.h"

static const char *const review_fields[] = {"rating", "comment", NULL};
static const char *const check_fields[] = {"note", "review_due_on", NULL};

/* rating: an integer from 1 to 5 (5.0 is 5; 4.5, a boolean or a string is not). */
static int check_rating(json_t *body, int required, json_t *errs, json_int_t *out)
{
	json_t *v = json_object_get(body, "rating");
	if (v == NULL) {
		if (required)
			hg_err_add(errs, "rating", "is required");
		return !required;
	}
	long long rating = 0;
	if (!hg_json_integer(v, 1, 5, &rating)) {
		hg_err_add(errs, "rating", "must be an integer from 1 to 5");
		return 0;
	}
	*out = (json_int_t)rating;
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
		json_object_set_new(out, "comment", comment ? hg_trimmed(comment) : json_null());
	return out;
}

json_t *review_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate_review(body, errs, 1);
}

json_t *review_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate_review(body, errs, 0);
}

int review_may_change(const struct hg_principal *who, const char *reviewer_id)
{
	return reviewer_id != NULL && strcmp(who->sub, reviewer_id) == 0;
}

const struct hg_reason *review_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)changes;
	const char *author = json_string_value(json_object_get(state, "reviewer_id"));
	return review_may_change(who, author) ? NULL : RESOURCES_REFUSE(R_NOT_REVIEW_AUTHOR);
}

json_t *content_check_validate(json_t *body, const struct hg_input *in, json_t *errs)
{
	struct hg_date today = in->today;
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
		if (!hg_date_parse(due_text, &due)) {
			hg_err_add(errs, "review_due_on", "must be a date written YYYY-MM-DD");
		} else if (hg_date_cmp(due, min) < 0 || hg_date_cmp(due, max) > 0) {
			snprintf(reason, sizeof(reason), "must be 3 to 5 years from today: %s to %s", lo, hi);
			hg_err_add(errs, "review_due_on", reason);
		}
	}
	if (json_array_size(errs) > before)
		return NULL;
	hg_date_format(due, buf, sizeof(buf));
	return json_pack("{s:o, s:s}", "note", note ? hg_trimmed(note) : json_null(), "review_due_on", buf);
}
