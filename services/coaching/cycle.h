/* cycle.h - coaching cycles: validation, the state machine and who sees and changes what (pure; no HTTP, no
 * SQL). */
#ifndef COACHING_CYCLE_H
#define COACHING_CYCLE_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/record.h"
#include "common/validate.h"

#define CYCLE_FOCUS_MAX 200
#define CYCLE_TEXT_MAX 1000
#define CYCLE_STEPS_MAX 50
#define CYCLE_NUMBER_MAX 1e9 /* baselines and targets lie within ±this */

extern const char *const cycle_statuses[];       /* planning, observing, feedback, reflecting, completed, cancelled */
extern const char *const action_step_statuses[]; /* planned, in_progress, done */

/*
 * A new cycle: relationship_id, focus, goal {description, measure, baseline, target, due_on}, action_steps
 * (optional, at most 50 of {description, due_on, status}). Nested problems are named "goal.measure",
 * "action_steps[2].due_on". A new object or NULL with every bad field in errs.
 */
json_t *cycle_validate_create(json_t *body, const struct hg_input *in, json_t *errs);
/* A change: any of focus, goal, action_steps (replaced whole), status; goal_met (boolean) exactly when the
 * status becomes completed. */
json_t *cycle_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/* May the cycle move from one status to another? NULL: yes; else the refusal naming the allowed moves. */
const struct hg_reason *cycle_move(const char *from, const char *to);

/* Create, under the relationship's lock (state: coach_id, teacher_id, status): its coach, while it is active. */
const struct hg_reason *cycle_rule_create(const struct hg_principal *who, json_t *state, json_t *fields);
/* Change (state: coach_id, teacher_id, status): the coach or the teacher; never once closed; moves by the
 * state machine. */
const struct hg_reason *cycle_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);
/* Read: the parties, leaders and admins (without content: cycle_shape); hidden from everyone else. */
const struct hg_reason *cycle_rule_read(const struct hg_principal *who, json_t *record, json_t *state);
/* Remove the content (focus, goal, action_steps) unless who is the coach or the teacher of the cycle. */
void cycle_shape(const struct hg_principal *who, json_t *record);
/* The event of a cycle: the record without its content (new reference). */
json_t *cycle_event_data(json_t *record);
/* cycle.state_changed when the status changes, else cycle.updated. */
const char *cycle_event_type(json_t *state, json_t *changes);
/* ?relationship_id=, ?status=, ?coach_id=, ?teacher_id=, then the party every row must include (NULL for
 * overseers). */
const struct hg_reason *cycle_list_args(const struct hg_principal *who, const char *const *values,
					struct hg_record_call *call);

#endif
