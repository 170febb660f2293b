/* school_handlers.c - schools over HTTP: the CRUD kit serves them. */
#include "services/roster/roster_handlers.h"
#include "services/roster/roster_store.h"
#include "services/roster/school.h"

static const struct hg_list_param list_params[] = {{"status", HG_PARAM_ENUM, roster_statuses, 0}};

const struct hg_crud school_crud = {
	.entity = &school_entity,
	.validate_update = school_validate_patch,
	.params = list_params,
	.nparams = 1,
};
