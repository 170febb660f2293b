/* activity_handlers.c - PD activities over HTTP: the CRUD kit serves them. */
#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/catalog/catalog_store.h"

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
