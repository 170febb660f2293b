/* response.h - responding to a survey: who may, when, and what an anonymous response may say (pure).
 *
 * One response per educator per survey. Confidential responses are stored with the educator; anonymous ones
 * are stored as an answer set with no link to the educator (response_store.c writes them in mixing bins of
 * RESPONSE_MIX: see docs/surveys.md, "Anonymous by construction").
 */
#ifndef SURVEYS_RESPONSE_H
#define SURVEYS_RESPONSE_H

#include <jansson.h>
#include <stdint.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

/* Anonymous answer sets are rewritten together in bins of this many (the smallest group a reader of the
 * tables can narrow a respondent's answers to). */
#define RESPONSE_MIX 5
/* The smallest group whose figures are shown (docs/surveys.md, "Suppression"), and for free text. */
#define RESPONSE_MIN_CELL_DEFAULT 5
#define RESPONSE_MIN_TEXT_DEFAULT 10

/* What the submission's transaction read under the survey's lock. */
struct response_survey {
	char status[16];
	char mode[16];
	int64_t opens_us, closes_us; /* 0: no bound */
	int in_audience;             /* the educator is an active member of the audience in the read model */
	long responses;              /* responses so far */
};

/*
 * May who respond now? NULL, or the refusal: a draft is hidden from all but district admins (404), the survey
 * is not open (409), its window has not opened or has ended (409), who is not in its audience (403).
 */
const struct hg_reason *response_rule_submit(const struct hg_principal *who, const struct response_survey *s,
					     int64_t now_us);

/*
 * May who read their response back (record: {survey_id, educator_id|null, ...}; state: {mode, status})? An
 * anonymous survey has nothing to read back (404 response_anonymous, whether or not who responded); no response,
 * or a draft for a non-admin, is the plain 404.
 */
const struct hg_reason *response_rule_read(const struct hg_principal *who, json_t *record, json_t *state);

/* The body of a submission: {"answers": {...}}; every bad member named. The answers object (borrowed) or NULL. */
json_t *response_answers_of(json_t *body, json_t *errs);

/* The mixing bin of the n-th anonymous response (0-based). */
long response_bin(long n);

/* The bins a submission rewrites after adding response n (0-based) to its bin: [*first, bin of n]. The
 * previous full bin is rewritten too while n's bin holds fewer than RESPONSE_MIX, so the rows last written
 * together are never fewer than RESPONSE_MIX (or all of them, when fewer have answered). */
void response_bins_to_mix(long n, long *first, long *last);

/*
 * The data of a response.submitted event. Confidential: {survey_id, educator_id, responded_on}. Anonymous:
 * {survey_id, responded_on} and school_id only when school_respondents (so far, this one included) meets
 * min_cell; never the educator. New reference.
 */
json_t *response_event_data(const char *mode, const char *survey_id, const char *educator_id, const char *responded_on,
			    const char *school_id, long school_respondents, long min_cell);

#endif
