/* educator_handlers.c - educators over HTTP: the CRUD kit serves them. */
#include "services/roster/educator.h"
#include "services/roster/roster_handlers.h"
#include "services/roster/roster_store.h"
#include "services/roster/school.h"

static const struct hg_list_param list_params[] = {
	{"status", HG_PARAM_ENUM, roster_statuses, 0},
	{"school_id", HG_PARAM_UUID, NULL, 0},
	{"role", HG_PARAM_ENUM, educator_roles, 0},
	{"q", HG_PARAM_TEXT, NULL, EDUCATOR_QUERY_MAX},
};

const struct hg_crud educator_crud = {
	.entity = &educator_entity,
	.validate_update = educator_validate_patch,
	.params = list_params,
	.nparams = 4,
	.list_args = educator_list_args,
	.read_args = educator_view_args,
};
