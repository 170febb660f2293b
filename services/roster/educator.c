/* educator.c - educators: who sees whom, and what the API sets (pure). */
#include "services/roster/educator.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/date.h"
#include "common/record.h"
#include "common/roles.h"

static const char *const fields[] = {"started_teaching_on", "assigned_roles", NULL};
static const char *const assignment_fields[] = {"role", "school_id", NULL};

struct educator_view educator_view_of(const struct hg_principal *who)
{
	struct educator_view v = {0, 0};
	v.all = (who->roles & HG_ROLE(DISTRICT_ADMIN)) != 0;
	v.leader = (who->roles & HG_ROLE(SCHOOL_LEADER)) != 0;
	return v;
}

const char *const educator_roles[] = {"teacher", "school_leader",  "district_admin", "coach",
				      "mentor",  "pd_facilitator", "teacher_leader", NULL};
const char *const educator_assignable_roles[] = {"coach",          "mentor",        "pd_facilitator",
						 "teacher_leader", "school_leader", NULL};

static int is_assignable(const char *role)
{
	for (const char *const *r = educator_assignable_roles; *r != NULL; r++)
		if (strcmp(*r, role) == 0)
			return 1;
	return 0;
}

/* assigned_roles: at most EDUCATOR_ASSIGNMENTS_MAX {"role"[, "school_id"]}, school_id for school_leader only
 * (and required there), no assignment twice. Problems named assigned_roles[i].field. */
static void check_assignments(json_t *a, json_t *errs)
{
	char name[64];
	size_t i;
	json_t *item;
	if (!json_is_array(a) || json_array_size(a) > EDUCATOR_ASSIGNMENTS_MAX) {
		hg_err_add(errs, "assigned_roles", "must be an array of at most 32 assignments");
		return;
	}
	json_array_foreach(a, i, item) {
		snprintf(name, sizeof(name), "assigned_roles[%zu]", i);
		if (!json_is_object(item)) {
			hg_err_add(errs, name, "must be an object with role (and school_id for school_leader)");
			continue;
		}
		const char *k;
		json_t *v;
		json_object_foreach(item, k, v) {
			int known = 0;
			for (const char *const *f = assignment_fields; *f != NULL && !known; f++)
				known = strcmp(*f, k) == 0;
			if (!known) {
				snprintf(name, sizeof(name), "assigned_roles[%zu].%.20s", i, k);
				hg_err_add(errs, name, "is not a known field");
			}
		}
		const char *role = json_string_value(json_object_get(item, "role"));
		json_t *school = json_object_get(item, "school_id");
		snprintf(name, sizeof(name), "assigned_roles[%zu].role", i);
		if (role == NULL || !is_assignable(role)) {
			hg_err_add(errs, name,
				   "must be one of coach, mentor, pd_facilitator, teacher_leader, school_leader");
			continue;
		}
		snprintf(name, sizeof(name), "assigned_roles[%zu].school_id", i);
		if (strcmp(role, "school_leader") == 0) {
			if (!json_is_string(school) || !hg_is_uuid(json_string_value(school)))
				hg_err_add(errs, name,
					   "is required for school_leader: the id of a school of the district");
		} else if (school != NULL && !json_is_null(school)) {
			hg_err_add(errs, name, "is only for school_leader");
		}
		for (size_t j = 0; j < i; j++) {
			json_t *prev = json_array_get(a, j);
			const char *pr = json_string_value(json_object_get(prev, "role"));
			const char *ps = json_string_value(json_object_get(prev, "school_id"));
			const char *sc = json_string_value(school);
			if (pr != NULL && strcmp(pr, role) == 0 &&
			    ((ps == NULL && sc == NULL) || (ps != NULL && sc != NULL && strcasecmp(ps, sc) == 0))) {
				snprintf(name, sizeof(name), "assigned_roles[%zu]", i);
				hg_err_add(errs, name, "is assigned twice");
				break;
			}
		}
	}
}

/* The assignments as stored: {"role"} or {"role", "school_id"} with the id lower-cased. */
static json_t *normal_assignments(json_t *a)
{
	json_t *out = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(a, i, item) {
		const char *school = json_string_value(json_object_get(item, "school_id"));
		json_t *n = json_pack("{s:O}", "role", json_object_get(item, "role"));
		if (school != NULL) {
			char lower[37];
			hg_uuid_lower(school, lower);
			json_object_set_new(n, "school_id", json_string(lower));
		}
		json_array_append_new(out, n);
	}
	return out;
}

json_t *educator_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	static const struct hg_date earliest = {1900, 1, 1};
	size_t before = json_array_size(errs);
	json_t *v = json_object_get(body, "started_teaching_on");
	/* A year ahead at most: a hire may start next term. */
	struct hg_date latest = hg_date_add_years(in->today, 1), d;

	json_t *assigned = json_object_get(body, "assigned_roles");

	hg_check_known_fields(body, fields, errs);
	if (v == NULL && assigned == NULL)
		hg_err_add(errs, "started_teaching_on", "is required unless assigned_roles is given");
	if (assigned != NULL)
		check_assignments(assigned, errs);
	if (v == NULL)
		;
	else if (!json_is_null(v) && (!json_is_string(v) || !hg_date_parse(json_string_value(v), &d) ||
				      hg_date_cmp(d, earliest) < 0 || hg_date_cmp(d, latest) > 0))
		hg_err_add(errs, "started_teaching_on",
			   "must be a date (YYYY-MM-DD) from 1900-01-01 to a year from today, or null");
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_deep_copy(body);
	if (assigned != NULL)
		json_object_set_new(out, "assigned_roles", normal_assignments(assigned));
	return out;
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
