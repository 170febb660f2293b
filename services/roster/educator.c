/* educator.c - educators: who sees whom, and what the API sets (pure). */
#include "services/roster/educator.h"

#include <stdio.h>
#include <string.h>

#include "common/date.h"
#include "common/record.h"
#include "common/roles.h"

static const char *const fields[] = {"started_teaching_on", NULL};

struct educator_view educator_view_of(const struct hg_principal *who)
{
	struct educator_view v = {0, 0};
	v.all = (who->roles & HG_ROLE(DISTRICT_ADMIN)) != 0;
	v.leader = (who->roles & HG_ROLE(SCHOOL_LEADER)) != 0;
	return v;
}

const char *const educator_roles[] = {"teacher", "school_leader", "district_admin", NULL};

json_t *educator_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	static const struct hg_date earliest = {1900, 1, 1};
	size_t before = json_array_size(errs);
	json_t *v = json_object_get(body, "started_teaching_on");
	/* A year ahead at most: a hire may start next term. */
	struct hg_date latest = hg_date_add_years(in->today, 1), d;

	hg_check_known_fields(body, fields, errs);
	if (v == NULL)
		hg_err_add(errs, "started_teaching_on", "is required");
	else if (!json_is_null(v) && (!json_is_string(v) || !hg_date_parse(json_string_value(v), &d) ||
				      hg_date_cmp(d, earliest) < 0 || hg_date_cmp(d, latest) > 0))
		hg_err_add(errs, "started_teaching_on",
			   "must be a date (YYYY-MM-DD) from 1900-01-01 to a year from today, or null");
	if (json_array_size(errs) > before)
		return NULL;
	return json_deep_copy(body);
}

/* Append what who may see: everyone, themself, the educators of their own schools. */
static void view_args(const struct hg_principal *who, struct hg_record_call *call)
{
	struct educator_view v = educator_view_of(who);
	hg_record_arg(call, v.all ? "true" : "false");
	hg_record_arg(call, who->sub);
	hg_record_arg(call, v.leader ? "true" : "false");
}

const struct hg_reason *educator_view_args(const struct hg_principal *who, const char *const *values,
					   struct hg_record_call *call)
{
	(void)values;
	view_args(who, call);
	return NULL;
}

const struct hg_reason *educator_list_args(const struct hg_principal *who, const char *const *values,
					   struct hg_record_call *call)
{
	/* values: ?status=, ?school_id=, ?role=, ?q= ; the statement takes school, role, q, status */
	view_args(who, call);
	hg_record_arg(call, values[1]);
	hg_record_arg(call, values[2]);
	hg_record_arg(call, values[3]);
	hg_record_arg(call, values[0]);
	return NULL;
}
