/* educator.h - educators: who sees whom, and what the API sets (pure).
 *
 * A token's `sub` is an educator's Homegrown id. District admins see every
 * educator of their district; a school leader sees the educators of the
 * schools their own record is assigned to (and themself); anyone else
 * (teacher, coach) sees only their own record. An educator another caller
 * may not see answers 404, like an unknown one.
 */
#ifndef ROSTER_EDUCATOR_H
#define ROSTER_EDUCATOR_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

struct hg_record_call;

#define EDUCATOR_QUERY_MAX 100 /* characters of ?q= */

struct educator_view {
	int all;    /* every educator of the district */
	int leader; /* the educators of the viewer's own schools */
};

/* What who may see. */
struct educator_view educator_view_of(const struct hg_principal *who);

/* The Homegrown roles an educator can hold, from an import or assigned (the ?role= filter). */
extern const char *const educator_roles[];
/* The roles a district admin assigns (no OneRoster role maps to them). */
extern const char *const educator_assignable_roles[];

#define EDUCATOR_ASSIGNMENTS_MAX 32

/*
 * Validate a PATCH body: {"started_teaching_on": "YYYY-MM-DD" | null, "assigned_roles": [{"role", "school_id"}]},
 * either or both; the date from 1900-01-01 to a year after in->today; assigned_roles replaces the educator's
 * assignments (at most 32; coach, mentor, pd_facilitator, teacher_leader, or school_leader with the school_id of
 * the school they lead; none twice). Returns the changes (new reference, school ids lower-cased) or NULL with
 * the problems in errs.
 */
json_t *educator_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/* A read's first arguments: what who may see (everyone, themself, the educators of their schools). */
const struct hg_reason *educator_view_args(const struct hg_principal *who, const char *const *values,
					   struct hg_record_call *call);

/* A list's arguments: what who may see, then ?status=, ?school_id=, ?role=, ?q= (in the statement's order). */
const struct hg_reason *educator_list_args(const struct hg_principal *who, const char *const *values,
					   struct hg_record_call *call);

#endif
