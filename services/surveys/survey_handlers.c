/* survey_handlers.c - surveys over HTTP: the CRUD kit serves them. */
#include "services/surveys/survey.h"
#include "services/surveys/surveys_handlers.h"
#include "services/surveys/surveys_store.h"

static const struct hg_list_param list_params[] = {{"status", HG_PARAM_ENUM, survey_statuses, 0}};

const struct hg_crud survey_crud = {
	.entity = &survey_entity,
	.collection = "/v1/surveys",
	.validate_create = survey_validate_create,
	.validate_update = survey_validate_patch,
	.params = list_params,
	.nparams = 1,
	.list_args = survey_list_args,
};
