/* routes.c - the roster service's route table; mirrors api-spec/roster.yaml. */
#include "routes.h"

#include "handlers.h"
#include "service.h"

#define READERS (HG_ROLE(TEACHER) | HG_ROLE(COACH) | HG_ROLE(SCHOOL_LEADER) | HG_ROLE(DISTRICT_ADMIN))
#define ADMINS HG_ROLE(DISTRICT_ADMIN)
#define IMPORTERS (HG_ROLE(SIS_INTEGRATION) | HG_ROLE(DISTRICT_ADMIN))

const struct hg_route roster_routes[] = {
	{"GET", "/healthz", 0, hg_handle_healthz},
	{"GET", "/readyz", 0, hg_handle_readyz},
	{"GET", "/metrics", 0, hg_handle_metrics},
	{"POST", "/v1/roster/imports", IMPORTERS, h_roster_import_create},
	{"GET", "/v1/roster/imports/{id}", IMPORTERS, h_roster_import_get},
	{"GET", "/v1/roster/schools", READERS, h_roster_school_list},
	{"GET", "/v1/roster/schools/{id}", READERS, h_roster_school_get},
	{"PATCH", "/v1/roster/schools/{id}", ADMINS, h_roster_school_update},
	{"GET", "/v1/roster/educators", READERS, h_roster_educator_list},
	{"GET", "/v1/roster/educators/{id}", READERS, h_roster_educator_get},
	{"PATCH", "/v1/roster/educators/{id}", ADMINS, h_roster_educator_update},
	{"GET", "/v1/roster/academic-sessions", READERS, h_roster_session_list},
};
const size_t roster_routes_count = sizeof(roster_routes) / sizeof(roster_routes[0]);
