/* academic_session_handlers.c - academic sessions over HTTP: the CRUD kit lists them. */
#include "services/roster/roster_handlers.h"
#include "services/roster/roster_store.h"
#include "services/roster/school.h"

static const struct hg_list_param list_params[] = {{"status", HG_PARAM_ENUM, roster_statuses, 0}};

const struct hg_crud academic_session_crud = {
	.entity = &academic_session_entity,
	.params = list_params,
	.nparams = 1,
};
