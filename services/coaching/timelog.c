/* timelog.c - coaching time logs and the caseload: validation and rules (timelog.h). */
#include "services/coaching/timelog.h"

#include <string.h>
#include <strings.h>

#include "common/date.h"
#include "common/roles.h"
#include "services/coaching/confidentiality.h"
#include "services/coaching/reasons.h"

const char *const time_log_activities[] = {"planning", "modelling",   "co_teaching", "observation",
					   "debrief",  "plc_support", NULL};

static const char *const create_fields[] = {"minutes", "activity", "logged_on", NULL};

json_t *time_log_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *activity = NULL, *logged_on = NULL;
	long minutes = 0;
	int64_t days = 0;
	char today[11];
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, create_fields, errs);
	hg_check_int(body, "minutes", 1, 1, TIME_LOG_MINUTES_MAX, errs, &minutes);
	hg_check_enum(body, "activity", 1, time_log_activities, errs, &activity);
	if (hg_check_date(body, "logged_on", 0, errs, &logged_on, &days) && logged_on != NULL &&
	    days > hg_date_days(in->today))
		hg_err_add(errs, "logged_on", "must not be in the future");
	if (json_array_size(errs) > before)
		return NULL;
	hg_date_format(in->today, today, sizeof(today));
	return json_pack("{s:I, s:s, s:s}", "minutes", (json_int_t)minutes, "activity", activity, "logged_on",
			 logged_on != NULL ? logged_on : today);
}

const struct hg_reason *time_log_rule_create(const struct hg_principal *who, json_t *state, json_t *fields)
{
	(void)fields;
	if (coaching_member_is(state, "coach_id", who->sub))
		return NULL;
	return coaching_is_party(who, state) || coaching_oversees(who) ? COACHING_REFUSE(R_TIME_LOG_COACH_ONLY)
								       : &hg_reason_hidden;
}

int time_log_within(json_t *state, json_t *fields)
{
	/* All three are YYYY-MM-DD: the text order is the date order. */
	const char *on = json_string_value(json_object_get(fields, "logged_on"));
	const char *starts = json_string_value(json_object_get(state, "starts_on"));
	const char *ends = json_string_value(json_object_get(state, "ends_on"));
	if (on == NULL || starts == NULL || strcmp(on, starts) < 0)
		return 0;
	return ends == NULL || strcmp(on, ends) <= 0;
}

const struct hg_reason *time_log_rule_parent(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)record;
	if (state == NULL)
		return &hg_reason_hidden;
	return coaching_is_party(who, state) || coaching_oversees(who) ? NULL : &hg_reason_hidden;
}

const struct hg_reason *caseload_args(const struct hg_principal *who, const char *const *values,
				      struct hg_record_call *call)
{
	/* values: ?coach_id= */
	const char *coach = values[0];
	if (!coaching_oversees(who)) {
		if (coach != NULL && strcasecmp(coach, who->sub) != 0)
			return COACHING_REFUSE(R_CASELOAD_OWN_ONLY);
		coach = who->sub;
	}
	hg_record_arg(call, coach);
	return NULL;
}
