/* activity_handlers.c - PD activities over HTTP: the CRUD kit serves them. */
#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/proposal.h"

static const struct hg_list_param list_params[] = {{"status", HG_PARAM_ENUM, activity_statuses, 0}};

const struct hg_crud activity_crud = {
	.entity = &activity_entity,
	.collection = "/v1/catalog/activities",
	.validate_create = activity_validate_create,
	.validate_update = activity_validate_patch,
	.params = list_params,
	.nparams = 1,
	.list_args = activity_list_args,
};

static const struct hg_list_param proposal_params[] = {{"status", HG_PARAM_ENUM, proposal_statuses, 0}};

/* POST /v1/catalog/proposals (an activity's body; Location under /v1/catalog/activities), GET: the list. */
const struct hg_crud proposal_crud = {
	.entity = &proposal_entity,
	.collection = "/v1/catalog/activities",
	.validate_create = activity_validate_create,
	.params = proposal_params,
	.nparams = 1,
	.list_args = proposal_list_args,
};

/* POST /v1/catalog/activities/{id}/decision: an update of the proposal's status. */
const struct hg_crud proposal_decision_crud = {
	.entity = &proposal_entity,
	.validate_update = proposal_validate_decision,
};
