/* activity.h - PD activities: validation, the status machine, visibility, the completion rule (pure). */
#ifndef CATALOG_ACTIVITY_H
#define CATALOG_ACTIVITY_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

struct hg_record_call;

/* CEDS Professional Development Activity Type. */
extern const char *const activity_types[];
/* CEDS Professional Development Activity Credit Type. */
extern const char *const activity_credit_types[];
/* An activity's statuses (the ?status= filter of a list). */
extern const char *const activity_statuses[];

/*
 * Validate a create body. On success a new normalised object for the store
 * (trimmed strings, amounts as two-decimal text, the completion rule split
 * into completion_rule / completion_min_sessions); otherwise NULL with every
 * problem appended to errs. A created activity is always a draft.
 */
json_t *activity_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/* Validate a PATCH body the same way (any non-empty subset, plus `status`). */
json_t *activity_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/*
 * May an activity move from status `from` to `to` by PATCH? draft or approved
 * → published → archived, one step at a time; staying put is allowed (no
 * change). proposed, approved and declined come only from a proposal and its
 * decision (proposal.c). NULL, or the refusal naming the impossible move.
 */
const struct hg_reason *activity_transition(const char *from, const char *to);

/* May an activity in status `status` be changed at all? (archived ones and declined proposals are frozen) */
int activity_editable(const char *status);

/*
 * May who see an activity in this status, proposed by proposed_by (NULL: not a proposal, or not known)?
 * Published and archived ones all staff; the others (drafts, proposals) district admins and the proposer.
 */
int activity_visible(const struct hg_principal *who, const char *status, const char *proposed_by);

/*
 * The statuses a list may show who, as a PostgreSQL text[] literal (static),
 * narrowed by the ?status= filter (NULL: none). Anything but published and
 * archived only for district admins. Returns NULL when the filter is not a status.
 */
const char *activity_list_statuses(const struct hg_principal *who, const char *filter);

/* The event type of a change that moved from `from` to `to` ("activity.updated" when it stayed). */
const char *activity_event(const char *from, const char *to);

/*
 * Does an educator meet the completion rule? rule "all_sessions": attended
 * every one of the activity's sessions that are not cancelled (and there is
 * at least one); "at_least": attended at least min_sessions of them.
 */
int completion_met(const char *rule, long min_sessions, long attended, long total_sessions);

/* ---- the rules the CRUD kit calls (state: {"status"}) ---- */

/* Under the row lock: archived activities are frozen; status moves one step; a status-only no-op is unchanged. */
const struct hg_reason *activity_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);
/* The event of a change: activity.published, activity.archived or activity.updated. */
const char *activity_event_type(json_t *state, json_t *changes);
/* Drafts are hidden from all but district admins (a read of one activity). */
const struct hg_reason *activity_rule_read(const struct hg_principal *who, json_t *record, json_t *state);
/* The same for an activity read as the parent of a list (its state). */
const struct hg_reason *activity_rule_parent(const struct hg_principal *who, json_t *record, json_t *state);
/* A list's statement argument: the statuses who may see, narrowed by ?status=. */
const struct hg_reason *activity_list_args(const struct hg_principal *who, const char *const *values,
					   struct hg_record_call *call);

#endif
