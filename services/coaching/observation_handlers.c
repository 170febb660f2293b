/* observation_handlers.c - rubrics, observations, feedback, reflections and the access log over HTTP: the CRUD
 * kit serves them; a rubric's old version has its own small handler (its number is not a UUID). */
#include <stdio.h>
#include <stdlib.h>

#include "common/reply.h"
#include "services/coaching/access_log.h"
#include "services/coaching/coaching_handlers.h"
#include "services/coaching/coaching_store.h"
#include "services/coaching/observation.h"
#include "services/coaching/rubric.h"

const struct hg_crud rubric_crud = {
	.entity = &rubric_entity,
	.collection = "/v1/coaching/rubrics",
	.validate_create = rubric_validate_create,
	.validate_update = rubric_validate_patch,
};

const struct hg_crud observation_crud = {
	.entity = &observation_entity,
	.collection = "/v1/coaching/observations",
	.parent_param = "id",
	.validate_create = observation_validate_create,
	.list_args = content_read_args,
};

const struct hg_crud observation_item_crud = {
	.entity = &observation_entity,
	.read_args = content_read_args,
};

const struct hg_crud feedback_crud = {
	.entity = &feedback_entity,
	.collection = "/v1/coaching/feedback",
	.parent_param = "id",
	.validate_create = feedback_validate_create,
};

const struct hg_crud feedback_item_crud = {
	.entity = &feedback_entity,
	.read_args = content_read_args,
};

const struct hg_crud reflection_crud = {
	.entity = &reflection_entity,
	.parent_param = "id",
	.validate_create = reflection_validate_create,
};

static const struct hg_list_param access_params[] = {
	{"teacher_id", HG_PARAM_UUID, NULL, 0},
	{"reader_id", HG_PARAM_UUID, NULL, 0},
	{"record_id", HG_PARAM_UUID, NULL, 0},
};

const struct hg_crud access_log_crud = {
	.entity = &access_log_entity,
	.params = access_params,
	.nparams = 3,
	.list_args = access_log_list_args,
};

/* GET /v1/coaching/rubrics/{id}/versions/{version}: a version number 1..1000000, else 404 like an unknown one. */
void rubric_handle_version(struct hg_request *req)
{
	struct hg_record_call call;
	char id[37], number[16];
	const char *v = hg_param(req, "version");
	char *end = NULL;

	hg_record_call_init(&call, &req->who);
	if (!hg_uuid_param_or_reply(req, "id", "rubric version", id))
		goto out;
	long n = v[0] >= '1' && v[0] <= '9' ? strtol(v, &end, 10) : 0;
	if (n < 1 || n > 1000000 || end == NULL || *end != '\0') {
		hg_reply_status(req, HG_NOT_FOUND, "rubric version");
		goto out;
	}
	snprintf(number, sizeof(number), "%ld", n);
	call.id = id;
	hg_record_arg(&call, number);
	enum hg_status st = hg_record_get(req->pool, &rubric_version_entity, &call);
	if (st != HG_OK)
		hg_reply_failure(req, st, call.why, "rubric version");
	else
		hg_reply_json(req, 200, call.record);
out:
	hg_record_call_cleanup(&call);
}
