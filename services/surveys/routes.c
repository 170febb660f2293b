/* routes.c - the surveys service's route table; mirrors api-spec/surveys.yaml (tests/spec/test_routes.py
 * diffs the two). District admins write surveys; staff read the ones that are not drafts. */
#include "services/surveys/routes.h"

#include "common/crud.h"
#include "common/health.h"
#include "common/roles.h"
#include "services/surveys/surveys_handlers.h"

/* a table: one entry a line, aligned by hand */
/* clang-format off */
const struct hg_route surveys_routes[] = {
	HG_HEALTH_ROUTES,
	{"POST", "/v1/surveys", HG_ROLES_ADMINS, hg_crud_create, &survey_crud},
	{"GET", "/v1/surveys", HG_ROLES_STAFF, hg_crud_list, &survey_crud},
	{"GET", "/v1/surveys/settings", HG_ROLES_ADMINS, settings_handle_get, NULL},
	{"PUT", "/v1/surveys/settings", HG_ROLES_ADMINS, settings_handle_put, NULL},
	{"GET", "/v1/surveys/needs", HG_ROLE(DISTRICT_ADMIN) | HG_ROLE(SCHOOL_LEADER), needs_handle_get, NULL},
	{"GET", "/v1/surveys/templates", HG_ROLES_ADMINS, hg_crud_list, &template_crud},
	{"GET", "/v1/surveys/templates/{id}", HG_ROLES_ADMINS, hg_crud_get, &template_crud},
	{"POST", "/v1/surveys/templates/{id}/copies", HG_ROLES_ADMINS, hg_crud_create, &template_copy_crud},
	{"GET", "/v1/surveys/{id}", HG_ROLES_STAFF, hg_crud_get, &survey_crud},
	{"PATCH", "/v1/surveys/{id}", HG_ROLES_ADMINS, hg_crud_update, &survey_crud},
	{"POST", "/v1/surveys/{id}/responses", HG_ROLES_STAFF, response_handle_submit, NULL},
	{"GET", "/v1/surveys/{id}/responses/mine", HG_ROLES_STAFF, hg_crud_get, &response_crud},
	{"GET", "/v1/surveys/{id}/results", HG_ROLE(DISTRICT_ADMIN) | HG_ROLE(SCHOOL_LEADER), result_handle_get, NULL},
	{"GET", "/v1/surveys/{id}/results.csv", HG_ROLE(DISTRICT_ADMIN) | HG_ROLE(SCHOOL_LEADER), result_handle_csv, NULL},
};
/* clang-format on */
const size_t surveys_routes_count = sizeof(surveys_routes) / sizeof(surveys_routes[0]);
