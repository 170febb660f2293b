/* credit_handlers.c - credit requests over HTTP: the CRUD kit serves them. */
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/credit.h"

static const struct hg_list_param list_params[] = {
	{"status", HG_PARAM_ENUM, credit_statuses, 0},
	{"educator_id", HG_PARAM_UUID, NULL, 0},
};

const struct hg_crud credit_crud = {
	.entity = &credit_entity,
	.collection = "/v1/catalog/credit-requests",
	.validate_create = credit_validate_create,
	.params = list_params,
	.nparams = 2,
	.list_args = credit_list_args,
};

/* POST /v1/catalog/credit-requests/{id}/decision: an update of the request's status. */
const struct hg_crud credit_decision_crud = {
	.entity = &credit_entity,
	.validate_update = credit_validate_decision,
};
