/* definition_handlers.c - competencies and micro-credential definitions over HTTP: the CRUD kit serves them. */
#include "services/resources/credentials/competency.h"
#include "services/resources/credentials/credentials_handlers.h"
#include "services/resources/credentials/credentials_store.h"
#include "services/resources/credentials/definition.h"

static const struct hg_list_param competency_params[] = {{"group", HG_PARAM_TEXT, NULL, 100}};

const struct hg_crud competency_crud = {
	.entity = &competency_entity,
	.collection = "/v1/credentials/competencies",
	.validate_create = competency_validate_create,
	.validate_update = competency_validate_patch,
	.params = competency_params,
	.nparams = 1,
};

static const struct hg_list_param definition_params[] = {
	{"competency_id", HG_PARAM_UUID, NULL, 0},
	{"status", HG_PARAM_ENUM, definition_statuses, 0},
	{"reviewer_id", HG_PARAM_UUID, NULL, 0},
};

const struct hg_crud definition_crud = {
	.entity = &definition_entity,
	.collection = "/v1/credentials/definitions",
	.validate_create = definition_validate_create,
	.validate_update = definition_validate_patch,
	.params = definition_params,
	.nparams = 3,
};
