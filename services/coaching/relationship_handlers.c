/* relationship_handlers.c - relationships and the new teachers without a mentor over HTTP: the CRUD kit serves
 * them. */
#include "services/coaching/coaching_handlers.h"
#include "services/coaching/coaching_store.h"
#include "services/coaching/relationship.h"

static const struct hg_list_param list_params[] = {
	{"coach_id", HG_PARAM_UUID, NULL, 0},
	{"teacher_id", HG_PARAM_UUID, NULL, 0},
	{"status", HG_PARAM_ENUM, relationship_statuses, 0},
};

const struct hg_crud relationship_crud = {
	.entity = &relationship_entity,
	.collection = "/v1/coaching/relationships",
	.validate_create = relationship_validate_create,
	.validate_update = relationship_validate_patch,
	.params = list_params,
	.nparams = 3,
	.list_args = relationship_list_args,
};

const struct hg_crud unmatched_teacher_crud = {
	.entity = &unmatched_teacher_entity,
};
