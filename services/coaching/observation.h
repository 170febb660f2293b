/* observation.h - observations of a coaching cycle, the coach's feedback on them and the teacher's reflection on
 * each feedback: validation and who writes and reads what (pure; no HTTP, no SQL).
 *
 * All of it is content: only the coach and the teacher of the cycle read it (a leader, an admin or anyone else
 * gets the 404 of an unknown id); events carry ids, times and counts, never text.
 */
#ifndef COACHING_OBSERVATION_H
#define COACHING_OBSERVATION_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/record.h"
#include "common/validate.h"

#define OBSERVATION_RATINGS_MAX 100
#define OBSERVATION_NOTES_MAX 4000
#define OBSERVATION_EVIDENCE_MAX 10
#define OBSERVATION_COMMENTS_MAX 50
#define OBSERVATION_COMMENT_MAX 1000
#define OBSERVATION_URL_MAX 2000
#define OBSERVATION_SECONDS_MAX 86400 /* a time stamp in a video: at most a day */
#define FEEDBACK_TEXT_MAX 4000
#define FEEDBACK_PER_OBSERVATION_MAX 20
#define REFLECTION_TEXT_MAX 4000

/*
 * A new observation: observed_at (RFC 3339, not in the future), rubric_id, rubric_version (>= 1), ratings (1 to
 * 100 of {indicator, level, notes}), evidence (optional, at most 10 of {url, comments: at most 50 of {at_seconds,
 * text}}). Nested problems are named "ratings[1].notes", "evidence[0].comments[2].at_seconds". A new object or
 * NULL with every bad field in errs.
 */
json_t *observation_validate_create(json_t *body, const struct hg_input *in, json_t *errs);
/* Each rating against the rubric version's domains: a known indicator, once, at one of its levels. NULL, or the
 * refusal with the field it names ("ratings[2].level") in field. */
const struct hg_reason *observation_check_ratings(json_t *domains, json_t *ratings, char *field, size_t len);

/* Record (state: the cycle's coach_id, teacher_id, status): its coach, while the cycle is open. */
const struct hg_reason *observation_rule_create(const struct hg_principal *who, json_t *state, json_t *fields);
/* Feedback (state: the observation's coach_id, teacher_id, feedback_count): its coach, at most 20. */
const struct hg_reason *feedback_rule_create(const struct hg_principal *who, json_t *state, json_t *fields);
/* Reflection (state: the feedback's coach_id, teacher_id): its teacher. */
const struct hg_reason *reflection_rule_create(const struct hg_principal *who, json_t *state, json_t *fields);
/* Read any of them (record or state with coach_id, teacher_id): the two parties; hidden from everyone else. */
const struct hg_reason *content_rule_read(const struct hg_principal *who, json_t *record, json_t *state);
/* A list's parent (state: coach_id, teacher_id): the parties; hidden from everyone else. */
const struct hg_reason *content_rule_parent(const struct hg_principal *who, json_t *record, json_t *state);

/* A new feedback: strengths, next_steps (1 to 4000 characters each). */
json_t *feedback_validate_create(json_t *body, const struct hg_input *in, json_t *errs);
/* A new reflection: text (1 to 4000 characters). */
json_t *reflection_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/* Events: the record without its content (new references). */
json_t *observation_event_data(json_t *record);
json_t *feedback_event_data(json_t *record);
json_t *reflection_event_data(json_t *record);

/* The party argument of a content read or list: who->sub (the statement returns and logs only their rows). */
const struct hg_reason *content_read_args(const struct hg_principal *who, const char *const *values,
					  struct hg_record_call *call);

#endif
