/* plc_handlers.c - PLCs and their meetings over HTTP: the CRUD kit serves them. */
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
	.collection = NULL, /* a meeting has no address of its own: 201 with the body */
	.parent_param = "id",
	.validate_create = plc_meeting_validate_create,
	.list_args = plc_meeting_list_args,
};
