/* submission_handlers.c - micro-credential submissions over HTTP: the CRUD kit serves them, each move of the
 * state machine as an update of its own (submission.h). */
#include "services/resources/credentials/credentials_handlers.h"
#include "services/resources/credentials/credentials_store.h"
#include "services/resources/credentials/submission.h"

static const struct hg_list_param list_params[] = {
	{"status", HG_PARAM_ENUM, submission_statuses, 0},
	{"definition_id", HG_PARAM_UUID, NULL, 0},
	{"educator_id", HG_PARAM_UUID, NULL, 0},
};

const struct hg_crud submission_crud = {
	.entity = &submission_entity,
	.collection = "/v1/credentials/submissions",
	.validate_create = submission_validate_create,
	.params = list_params,
	.nparams = 3,
	.list_args = submission_list_args,
};

const struct hg_crud submission_resubmit_crud = {
	.entity = &submission_resubmit_entity,
	.validate_update = submission_validate_resubmit,
};

const struct hg_crud submission_withdraw_crud = {
	.entity = &submission_withdraw_entity,
	.validate_update = submission_validate_withdraw,
};

const struct hg_crud submission_review_crud = {
	.entity = &submission_review_entity,
	.validate_update = submission_validate_review,
};
