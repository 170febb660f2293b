/* problem.h - RFC 9457 problem details. */
#ifndef HG_PROBLEM_H
#define HG_PROBLEM_H

#include <jansson.h>

#include "common/status.h"

#define HG_PROBLEM_TYPE_BASE "https://homegrown.example/problems/"

/*
 * A new problem object (new reference) for st: type, title, status, detail,
 * and instance/request_id when given. errors (stolen, may be NULL) is the list
 * of {"field", "reason"} objects of a validation failure.
 */
json_t *hg_problem_new(enum hg_status st, const char *detail, const char *instance, const char *request_id,
		       json_t *errors);

#endif
