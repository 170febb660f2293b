/* timelog_handlers.c - time logs and the caseload over HTTP: the CRUD kit serves them. */
#include "services/coaching/coaching_handlers.h"
#include "services/coaching/coaching_store.h"
#include "services/coaching/timelog.h"

const struct hg_crud time_log_crud = {
	.entity = &time_log_entity,
	.collection = NULL, /* a time log has no address of its own: 201 with the body */
	.parent_param = "id",
	.validate_create = time_log_validate_create,
};

static const struct hg_list_param caseload_params[] = {
	{"coach_id", HG_PARAM_UUID, NULL, 0},
};

const struct hg_crud caseload_crud = {
	.entity = &caseload_entity,
	.params = caseload_params,
	.nparams = 1,
	.list_args = caseload_args,
};

const struct hg_crud coach_caseload_crud = {
	.entity = &coach_caseload_entity,
	.params = caseload_params,
	.nparams = 1,
	.list_args = caseload_args,
};
