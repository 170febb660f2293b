/* routes.c - the roster service's route table; mirrors api-spec/roster.yaml. */
#include "services/roster/routes.h"

#include "common/health.h"
#include "common/roles.h"
#include "services/roster/roster_handlers.h"

const struct hg_route roster_routes[] = {
	HG_HEALTH_ROUTES,
	{"POST", "/v1/roster/imports", HG_ROLES_IMPORTERS, import_handle_create, NULL},
	{"GET", "/v1/roster/imports", HG_ROLES_IMPORTERS, hg_crud_list, &import_crud},
	{"GET", "/v1/roster/imports/{id}", HG_ROLES_IMPORTERS, hg_crud_get, &import_crud},
	{"POST", "/v1/roster/syncs", HG_ROLES_IMPORTERS, sync_handle_create, NULL},
	{"GET", "/v1/roster/syncs", HG_ROLES_IMPORTERS, hg_crud_list, &sync_crud},
	{"GET", "/v1/roster/syncs/{id}", HG_ROLES_IMPORTERS, hg_crud_get, &sync_crud},
	{"PUT", "/v1/roster/sis-connection", HG_ROLES_IMPORTERS, sis_handle_put, NULL},
	{"GET", "/v1/roster/sis-connection", HG_ROLES_IMPORTERS, sis_handle_get, NULL},
	{"DELETE", "/v1/roster/sis-connection", HG_ROLES_IMPORTERS, sis_handle_delete, NULL},
	{"GET", "/v1/roster/schools", HG_ROLES_STAFF, hg_crud_list, &school_crud},
	{"GET", "/v1/roster/schools/{id}", HG_ROLES_STAFF, hg_crud_get, &school_crud},
	{"PATCH", "/v1/roster/schools/{id}", HG_ROLES_ADMINS, hg_crud_update, &school_crud},
	{"GET", "/v1/roster/me", HG_ROLES_STAFF, hg_crud_get_mine, &educator_crud},
	{"GET", "/v1/roster/educators", HG_ROLES_STAFF, hg_crud_list, &educator_crud},
	{"GET", "/v1/roster/educators/{id}", HG_ROLES_STAFF, hg_crud_get, &educator_crud},
	{"PATCH", "/v1/roster/educators/{id}", HG_ROLES_ADMINS, hg_crud_update, &educator_crud},
	{"GET", "/v1/roster/academic-sessions", HG_ROLES_STAFF, hg_crud_list, &academic_session_crud},
};
const size_t roster_routes_count = sizeof(roster_routes) / sizeof(roster_routes[0]);
