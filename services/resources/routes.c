/* routes.c - the resources service's route table; mirrors api-spec/resources.yaml. */
#include "routes.h"

#include "handlers.h"
#include "service.h"

#define READERS (HG_ROLE(TEACHER) | HG_ROLE(COACH) | HG_ROLE(SCHOOL_LEADER) | HG_ROLE(DISTRICT_ADMIN))
#define AUTHORS (HG_ROLE(TEACHER) | HG_ROLE(COACH) | HG_ROLE(DISTRICT_ADMIN))
#define REVIEWERS (HG_ROLE(TEACHER) | HG_ROLE(COACH) | HG_ROLE(SCHOOL_LEADER) | HG_ROLE(DISTRICT_ADMIN))
#define CURATORS HG_ROLE(DISTRICT_ADMIN)

const struct hg_route resources_routes[] = {
	{"GET", "/healthz", 0, hg_handle_healthz},
	{"GET", "/readyz", 0, hg_handle_readyz},
	{"GET", "/metrics", 0, hg_handle_metrics},
	{"POST", "/v1/library/resources", AUTHORS, h_library_create},
	{"GET", "/v1/library/resources", READERS, h_library_list},
	{"GET", "/v1/library/resources/{id}", READERS, h_library_get},
	{"PATCH", "/v1/library/resources/{id}", AUTHORS, h_library_update},
	{"DELETE", "/v1/library/resources/{id}", AUTHORS, h_library_delete},
	{"POST", "/v1/library/resources/{id}/reviews", REVIEWERS, h_review_create},
	{"GET", "/v1/library/resources/{id}/reviews", READERS, h_review_list},
	{"GET", "/v1/library/resources/{id}/reviews/{review_id}", READERS, h_review_get},
	{"PATCH", "/v1/library/resources/{id}/reviews/{review_id}", REVIEWERS, h_review_update},
	{"POST", "/v1/library/resources/{id}/content-checks", CURATORS, h_content_check_create},
};
const size_t resources_routes_count = sizeof(resources_routes) / sizeof(resources_routes[0]);
