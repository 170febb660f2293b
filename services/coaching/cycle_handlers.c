/* cycle_handlers.c - coaching cycles over HTTP: the CRUD kit reads and changes them; a cycle's relationship
 * comes in the body, so starting one has its own handler. */
#include <stdlib.h>

#include "common/reply.h"
#include "common/write.h"
#include "services/coaching/coaching_handlers.h"
#include "services/coaching/coaching_store.h"
#include "services/coaching/cycle.h"

static const struct hg_list_param list_params[] = {
	{"relationship_id", HG_PARAM_UUID, NULL, 0},
	{"status", HG_PARAM_ENUM, cycle_statuses, 0},
	{"coach_id", HG_PARAM_UUID, NULL, 0},
	{"teacher_id", HG_PARAM_UUID, NULL, 0},
};

const struct hg_crud cycle_crud = {
	.entity = &cycle_entity,
	.collection = "/v1/coaching/cycles",
	.validate_update = cycle_validate_patch,
	.params = list_params,
	.nparams = 4,
	.list_args = cycle_list_args,
};

/* POST /v1/coaching/cycles: the relationship named by the body is the parent the kit locks. */
void cycle_handle_create(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *fields = hg_validated_or_reply(req, cycle_validate_create, 0);

	hg_record_call_init(&call, &req->who);
	if (fields == NULL)
		goto out;
	call.fields = fields;
	call.parent = json_string_value(json_object_get(fields, "relationship_id"));
	hg_record_arg(&call, call.parent);
	hg_write_begin(req, &call, hg_answer_created, "/v1/coaching/cycles");
	hg_write_end(req, hg_record_create(req->pool, &cycle_entity, &call), "relationship");
out:
	hg_record_call_cleanup(&call);
	json_decref(fields);
}
