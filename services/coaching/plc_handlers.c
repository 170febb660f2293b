/* plc_handlers.c - PLCs and their meetings over HTTP: the CRUD kit serves them; a meeting's change has its own
 * handler only to pass the reader on (the answer of an unchanged meeting is read as for a GET). */
#include "common/write.h"
#include "services/coaching/coaching_handlers.h"
#include "services/coaching/coaching_store.h"
#include "services/coaching/plc.h"

static const struct hg_list_param plc_params[] = {
	{"school_id", HG_PARAM_UUID, NULL, 0},
};

const struct hg_crud plc_crud = {
	.entity = &plc_entity,
	.collection = "/v1/plcs",
	.validate_create = plc_validate_create,
	.validate_update = plc_validate_patch,
	.params = plc_params,
	.nparams = 1,
	.list_args = plc_list_args,
};

const struct hg_crud plc_meeting_crud = {
	.entity = &plc_meeting_entity,
	.collection = "/v1/plcs/{id}/meetings",
	.parent_param = "id",
	.validate_create = plc_meeting_validate_create,
	.list_args = plc_meeting_list_args,
};

/* One meeting: GET and PATCH /v1/plcs/{id}/meetings/{meeting_id}; the reader decides whether the agenda and the
 * notes show (plc_meeting_list_args). */
const struct hg_crud plc_meeting_item_crud = {
	.entity = &plc_meeting_item_entity,
	.parent_param = "id",
	.id_param = "meeting_id",
	.validate_update = plc_meeting_validate_patch,
	.read_args = plc_meeting_list_args,
};

void plc_meeting_handle_update(struct hg_request *req)
{
	struct hg_record_call call;
	char id[37], parent[37];
	json_t *changes = NULL;

	if (!hg_crud_call_or_reply(req, &plc_meeting_item_crud, &call, id, parent))
		goto out;
	changes = hg_validated_or_reply(req, plc_meeting_validate_patch, 0);
	if (changes == NULL)
		goto out;
	call.fields = changes;
	plc_meeting_list_args(&req->who, NULL, &call);
	hg_write_begin(req, &call, hg_answer_record, NULL);
	hg_write_end(req, hg_record_update(req->pool, &plc_meeting_item_entity, &call), "meeting");
out:
	json_decref(changes);
	hg_record_call_cleanup(&call);
}
