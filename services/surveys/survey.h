/* survey.h - surveys: validation, the status machine, who sees what, what freezes (pure; no HTTP, no SQL). */
#ifndef SURVEYS_SURVEY_H
#define SURVEYS_SURVEY_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

struct hg_record_call;

extern const char *const survey_purposes[];
extern const char *const survey_modes[];
extern const char *const survey_statuses[];
extern const char *const survey_career_stages[];

#define SURVEY_TITLE_MAX 200
#define SURVEY_DESCRIPTION_MAX 5000
#define SURVEY_AUDIENCE_SCHOOLS_MAX 500

/*
 * Validate a create body: title, purpose (required), description, mode (default confidential), audience
 * (default {}: the whole district), opens_at, closes_at, questions (question.h). A new normalised object
 * for the store, or NULL with every problem in errs. A created survey is a draft.
 */
json_t *survey_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/* Validate a PATCH body the same way (any non-empty subset, plus `status`). */
json_t *survey_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/* Validate the body of a template's copy: any of title, description, mode, audience, opens_at, closes_at (each
 * replacing the template's; {} copies it as it is). */
json_t *survey_validate_copy(json_t *body, const struct hg_input *in, json_t *errs);

/* May a survey move from `from` to `to`? draft → open → closed; staying is no move. NULL or the refusal. */
const struct hg_reason *survey_transition(const char *from, const char *to);

/*
 * The kit's update rule. state: {"status", "responses", "questions": n}. Closed surveys do not change;
 * purpose, mode and audience only in a draft; questions only while nothing is answered; opening needs a
 * question (the stored ones or the change's).
 */
const struct hg_reason *survey_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);

/* survey.updated, survey.opened or survey.closed. */
const char *survey_event_type(json_t *state, json_t *changes);

/* Drafts are seen by district admins only (others: 404). */
const struct hg_reason *survey_rule_read(const struct hg_principal *who, json_t *record, json_t *state);

/* A list's statuses for who (a text[] literal), narrowed by ?status=. */
const struct hg_reason *survey_list_args(const struct hg_principal *who, const char *const *values,
					 struct hg_record_call *call);

#endif
