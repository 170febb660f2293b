/* routes.c - the resources service's route table; mirrors api-spec/resources.yaml. */
#include "routes.h"

#include "catalog_handlers.h"
#include "handlers.h"
#include "service.h"

#define READERS (HG_ROLE(TEACHER) | HG_ROLE(COACH) | HG_ROLE(SCHOOL_LEADER) | HG_ROLE(DISTRICT_ADMIN))
#define AUTHORS (HG_ROLE(TEACHER) | HG_ROLE(COACH) | HG_ROLE(DISTRICT_ADMIN))
#define REVIEWERS READERS
#define ADMINS HG_ROLE(DISTRICT_ADMIN)

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
	{"POST", "/v1/library/resources/{id}/content-checks", ADMINS, h_content_check_create},
	/* PD catalog: staff read and register (drafts only for admins); the PD office (admins) plans. */
	{"POST", "/v1/catalog/activities", ADMINS, h_catalog_activity_create},
	{"GET", "/v1/catalog/activities", READERS, h_catalog_activity_list},
	{"GET", "/v1/catalog/activities/{id}", READERS, h_catalog_activity_get},
	{"PATCH", "/v1/catalog/activities/{id}", ADMINS, h_catalog_activity_update},
	{"POST", "/v1/catalog/activities/{id}/sessions", ADMINS, h_catalog_session_create},
	{"GET", "/v1/catalog/activities/{id}/sessions", READERS, h_catalog_session_list},
	{"GET", "/v1/catalog/sessions/{id}", READERS, h_catalog_session_get},
	{"PATCH", "/v1/catalog/sessions/{id}", ADMINS, h_catalog_session_update},
	{"POST", "/v1/catalog/sessions/{id}/registrations", READERS, h_catalog_registration_create},
	{"GET", "/v1/catalog/sessions/{id}/registrations", READERS, h_catalog_registration_list},
	{"POST", "/v1/catalog/sessions/{id}/attendance", READERS, h_catalog_attendance_record},
	{"POST", "/v1/catalog/sessions/{id}/check-in", READERS, h_catalog_checkin},
	{"GET", "/v1/catalog/registrations/{id}", READERS, h_catalog_registration_get},
	{"DELETE", "/v1/catalog/registrations/{id}", READERS, h_catalog_registration_cancel},
	{"POST", "/v1/catalog/credit-requests", READERS, h_catalog_credit_create},
	{"GET", "/v1/catalog/credit-requests", READERS, h_catalog_credit_list},
	{"GET", "/v1/catalog/credit-requests/{id}", READERS, h_catalog_credit_get},
	{"POST", "/v1/catalog/credit-requests/{id}/decision", ADMINS, h_catalog_credit_decide},
	{"GET", "/v1/transcripts/{educator_id}", READERS, h_transcript_get},
};
const size_t resources_routes_count = sizeof(resources_routes) / sizeof(resources_routes[0]);
