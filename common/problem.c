/* problem.c - RFC 9457 problem details. */
#include "common/problem.h"

#include <stdio.h>

json_t *hg_problem_new(enum hg_status st, const char *detail, const char *instance, const char *request_id,
		       json_t *errors)
{
	char type[128];
	snprintf(type, sizeof(type), "%s%s", HG_PROBLEM_TYPE_BASE, hg_status_slug(st));
	json_t *p =
		json_pack("{s:s, s:s, s:i}", "type", type, "title", hg_status_title(st), "status", hg_status_http(st));
	if (p == NULL) {
		json_decref(errors);
		return NULL;
	}
	json_object_set_new(p, "detail", json_string(detail != NULL ? detail : hg_status_title(st)));
	if (instance != NULL)
		json_object_set_new(p, "instance", json_string(instance));
	if (request_id != NULL && request_id[0] != '\0')
		json_object_set_new(p, "request_id", json_string(request_id));
	if (errors != NULL)
		json_object_set_new(p, "errors", errors);
	return p;
}
