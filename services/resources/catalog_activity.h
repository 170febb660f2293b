/* catalog_activity.h - PD activities: validation, the status machine, the completion rule (pure). */
#ifndef RESOURCES_CATALOG_ACTIVITY_H
#define RESOURCES_CATALOG_ACTIVITY_H

#include <jansson.h>

#include "auth.h"
#include "status.h"

/* CEDS Professional Development Activity Type. */
extern const char *const catalog_activity_types[];
/* CEDS Professional Development Activity Credit Type. */
extern const char *const catalog_credit_types[];

/*
 * Validate a create body. On success a new normalised object for the store
 * (trimmed strings, amounts as two-decimal text, the completion rule split
 * into completion_rule / completion_min_sessions); otherwise NULL with every
 * problem appended to errs. A created activity is always a draft.
 */
json_t *catalog_activity_validate_create(json_t *body, json_t *errs);

/* Validate a PATCH body the same way (any non-empty subset, plus `status`). */
json_t *catalog_activity_validate_patch(json_t *body, json_t *errs);

/*
 * May an activity move from status `from` to `to`? draft → published →
 * archived, one step at a time; staying put is allowed (no change). Anything
 * else is HG_CONFLICT with *why set to a static explanation.
 */
enum hg_status catalog_activity_transition(const char *from, const char *to, const char **why);

/* May an activity in status `status` be changed at all? (archived ones are frozen) */
int catalog_activity_editable(const char *status);

/* May who see an activity in this status? (drafts only for district admins) */
int catalog_activity_visible(const struct hg_principal *who, const char *status);

/*
 * The statuses a list may show who, as a PostgreSQL text[] literal (static),
 * narrowed by the ?status= filter (NULL: none). Drafts only for district
 * admins. Returns NULL when the filter is not a status.
 */
const char *catalog_activity_list_statuses(const struct hg_principal *who, const char *filter);

/* The event type of a change that moved from `from` to `to` ("activity.updated" when it stayed). */
const char *catalog_activity_event(const char *from, const char *to);

/*
 * Does an educator meet the completion rule? rule "all_sessions": attended
 * every one of the activity's sessions that are not cancelled (and there is
 * at least one); "at_least": attended at least min_sessions of them.
 */
int catalog_completion_met(const char *rule, long min_sessions, long attended, long total_sessions);

#endif
