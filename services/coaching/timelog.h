/* timelog.h - coaching time logs and the caseload: validation and who logs and sees what (pure; no HTTP, no
 * SQL). */
#ifndef COACHING_TIMELOG_H
#define COACHING_TIMELOG_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/record.h"
#include "common/validate.h"

#define TIME_LOG_MINUTES_MAX 600 /* one entry: at most ten hours */

extern const char
	*const time_log_activities[]; /* planning, modelling, co_teaching, observation, debrief, plc_support */

/* A new time log: minutes (1-600), activity, logged_on (YYYY-MM-DD, default today, not in the future). */
json_t *time_log_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/* Create, under the relationship's lock (state: coach_id, teacher_id, status, starts_on, ends_on): its coach. */
const struct hg_reason *time_log_rule_create(const struct hg_principal *who, json_t *state, json_t *fields);
/* Is fields' logged_on within the relationship of state (starts_on to ends_on, or open)? 1: yes. */
int time_log_within(json_t *state, json_t *fields);
/* A relationship's time logs are read by whoever reads the relationship (its parties, leaders and admins). */
const struct hg_reason *time_log_rule_parent(const struct hg_principal *who, json_t *record, json_t *state);

/* ?coach_id= of the caseload: a coach's own (the default for a coach; another coach's is refused); leaders and
 * admins any coach, or every coach of the district when absent. */
const struct hg_reason *caseload_args(const struct hg_principal *who, const char *const *values,
				      struct hg_record_call *call);

#endif
