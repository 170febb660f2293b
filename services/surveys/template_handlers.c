/* template_handlers.c - built-in templates over HTTP: listed, read, and copied into a draft (the CRUD kit). */
#include "services/surveys/survey.h"
#include "services/surveys/surveys_handlers.h"
#include "services/surveys/surveys_store.h"

const struct hg_crud template_crud = {
	.entity = &template_entity,
	.collection = "/v1/surveys/templates",
};

/* POST /v1/surveys/templates/{id}/copies: 201 with the new survey at /v1/surveys/{its id}. */
const struct hg_crud template_copy_crud = {
	.entity = &template_copy_entity,
	.collection = "/v1/surveys",
	.parent_param = "id",
	.validate_create = survey_validate_copy,
	.body_optional = 1,
};
