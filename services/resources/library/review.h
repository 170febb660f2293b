/* review.h - reviews of library resources and content checks: the rules (pure; no HTTP, no SQL). */
#ifndef LIBRARY_REVIEW_H
#define LIBRARY_REVIEW_H

#include <jansson.h>

#include "common/auth.h"
#include "common/date.h"
#include "common/reason.h"
#include "common/validate.h"

#define REVIEW_COMMENT_MAX 2000
#define CONTENT_NOTE_MAX 2000
#define CONTENT_CHECK_MIN_YEARS 3 /* a checked resource is next due 3 to 5 years later */
#define CONTENT_CHECK_MAX_YEARS 5

/*
 * Validate a review body: rating (integer 1-5, required) and comment (string of at most 2000 characters
 * or null, optional). Returns a new normalised object ({"rating": n, "comment": s|null}) or NULL with every
 * problem appended to errs.
 */
json_t *review_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/* The same for a change: any non-empty subset of rating and comment (null clears the comment). */
json_t *review_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/* May who change a review written by reviewer_id? Only its author may. */
int review_may_change(const struct hg_principal *who, const char *reviewer_id);

/* The change rule under the review's lock (state: {"reviewer_id", "rating"}): its author only. */
const struct hg_reason *review_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);

/*
 * Validate a content check body made on in->today: note (string of at most 2000 characters or null,
 * optional) and review_due_on ("YYYY-MM-DD", optional, 3 to 5 years after today inclusive; default
 * exactly 3 years after today). Returns a new object {"note": s|null, "review_due_on": "YYYY-MM-DD"} or
 * NULL with every problem appended to errs.
 */
json_t *content_check_validate(json_t *body, const struct hg_input *in, json_t *errs);

#endif
