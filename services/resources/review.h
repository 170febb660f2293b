/* review.h - reviews of library resources and content checks: the rules (pure; no HTTP, no SQL). */
#ifndef RESOURCES_REVIEW_H
#define RESOURCES_REVIEW_H

#include <jansson.h>

#include "auth.h"

#define REVIEW_COMMENT_MAX 2000
#define CONTENT_NOTE_MAX 2000
#define CONTENT_CHECK_MIN_YEARS 3 /* a checked resource is next due 3 to 5 years later */
#define CONTENT_CHECK_MAX_YEARS 5

/*
 * Validate a review body: rating (integer 1-5, required) and comment (string of at most 2000 characters
 * or null, optional). Returns a new normalised object ({"rating": n, "comment": s|null}) or NULL with every
 * problem appended to errs.
 */
json_t *review_validate_create(json_t *body, json_t *errs);

/* The same for a change: any non-empty subset of rating and comment (null clears the comment). */
json_t *review_validate_patch(json_t *body, json_t *errs);

/* May who change a review written by reviewer_id? Only its author may. */
int review_may_change(const struct hg_principal *who, const char *reviewer_id);

/* A calendar date. */
struct hg_date {
	int year, month, day;
};

/* Parse "YYYY-MM-DD" (a real calendar date, years 1-9999); 0 on success. */
int hg_date_parse(const char *s, struct hg_date *out);
/* Format as "YYYY-MM-DD" into buf (at least 11 bytes). */
void hg_date_format(struct hg_date d, char *buf, size_t len);
/* d plus years; 29 February becomes 28 February in a common year (as PostgreSQL's date + interval). */
struct hg_date hg_date_add_years(struct hg_date d, int years);
/* <0, 0, >0 as a is before, equal to or after b. */
int hg_date_cmp(struct hg_date a, struct hg_date b);
/* Today's date in UTC at Unix time now. */
struct hg_date hg_date_utc(long long now);

/*
 * Validate a content check body made on today: note (string of at most 2000 characters or null,
 * optional) and review_due_on ("YYYY-MM-DD", optional, 3 to 5 years after today inclusive; default
 * exactly 3 years after today). Returns a new object {"note": s|null, "review_due_on": "YYYY-MM-DD"} or
 * NULL with every problem appended to errs.
 */
json_t *content_check_validate(json_t *body, struct hg_date today, json_t *errs);

#endif
