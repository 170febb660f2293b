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

#include "auth.h"

#define EDUCATOR_QUERY_MAX 100 /* characters of ?q= */

struct educator_view {
	int all;    /* every educator of the district */
	int leader; /* the educators of the viewer's own schools */
};

/* What who may see. */
struct educator_view educator_view_of(const struct hg_principal *who);

/* Is role a Homegrown role an educator can hold from an import (?role=)? */
int educator_role_valid(const char *role);

/*
 * Validate a PATCH body: {"started_teaching_on": "YYYY-MM-DD" | null}, the
 * date no later than a year after today ("YYYY-MM-DD"). Returns the changes
 * (new reference) or NULL with the problems in errs.
 */
json_t *educator_validate_patch(json_t *body, const char *today, json_t *errs);

#endif
