/* catalog_routes.h - the PD catalog's lines of the resources route table (mirrors api-spec/resources.yaml). */
#ifndef CATALOG_ROUTES_H
/* a table: one entry a line, aligned by hand */
/* clang-format off */
#define CATALOG_ROUTES_H

#include "common/crud.h"
#include "common/roles.h"
#include "services/resources/catalog/catalog_handlers.h"

/* Staff read and register (drafts only for admins); the PD office (admins) plans and decides; teacher leaders
 * and school leaders propose. */
#define CATALOG_ROUTES                                                                                              \
	{"POST", "/v1/catalog/activities", HG_ROLES_ADMINS, hg_crud_create, &activity_crud},                         \
	{"GET", "/v1/catalog/activities", HG_ROLES_STAFF, hg_crud_list, &activity_crud},                             \
	{"GET", "/v1/catalog/activities/{id}", HG_ROLES_STAFF, hg_crud_get, &activity_crud},                         \
	{"PATCH", "/v1/catalog/activities/{id}", HG_ROLES_ADMINS, hg_crud_update, &activity_crud},                   \
	{"POST", "/v1/catalog/activities/{id}/decision", HG_ROLES_ADMINS, hg_crud_update, &proposal_decision_crud},  \
	{"POST", "/v1/catalog/proposals", HG_ROLES_PROPOSERS, hg_crud_create, &proposal_crud},                       \
	{"GET", "/v1/catalog/proposals", HG_ROLES_STAFF | HG_ROLE(TEACHER_LEADER), hg_crud_list, &proposal_crud},    \
	{"POST", "/v1/catalog/activities/{id}/sessions", HG_ROLES_ADMINS, hg_crud_create, &activity_sessions_crud},  \
	{"GET", "/v1/catalog/activities/{id}/sessions", HG_ROLES_STAFF, hg_crud_list, &activity_sessions_crud},      \
	{"GET", "/v1/catalog/sessions/{id}", HG_ROLES_STAFF, hg_crud_get, &session_crud},                            \
	{"PATCH", "/v1/catalog/sessions/{id}", HG_ROLES_ADMINS, hg_crud_update, &session_crud},                      \
	{"POST", "/v1/catalog/sessions/{id}/registrations", HG_ROLES_STAFF, registration_handle_create, NULL},       \
	{"GET", "/v1/catalog/sessions/{id}/registrations", HG_ROLES_STAFF, hg_crud_list,                             \
	 &session_registrations_crud},                                                                              \
	{"POST", "/v1/catalog/sessions/{id}/attendance", HG_ROLES_STAFF, attendance_handle_record, NULL},            \
	{"POST", "/v1/catalog/sessions/{id}/check-in", HG_ROLES_STAFF, attendance_handle_checkin, NULL},             \
	{"GET", "/v1/catalog/registrations", HG_ROLES_STAFF, hg_crud_list, &my_registrations_crud},                  \
	{"GET", "/v1/catalog/registrations/{id}", HG_ROLES_STAFF, hg_crud_get, &registration_crud},                  \
	{"DELETE", "/v1/catalog/registrations/{id}", HG_ROLES_STAFF, registration_handle_cancel, NULL},              \
	{"POST", "/v1/catalog/registrations/{id}/decision", HG_ROLE(SCHOOL_LEADER) | HG_ROLES_ADMINS,                \
	 registration_handle_decide, NULL},                                                                         \
	{"POST", "/v1/catalog/credit-requests", HG_ROLES_STAFF, hg_crud_create, &credit_crud},                       \
	{"GET", "/v1/catalog/credit-requests", HG_ROLES_STAFF, hg_crud_list, &credit_crud},                          \
	{"GET", "/v1/catalog/credit-requests/{id}", HG_ROLES_STAFF, hg_crud_get, &credit_crud},                      \
	{"POST", "/v1/catalog/credit-requests/{id}/decision", HG_ROLES_ADMINS, hg_crud_update,                       \
	 &credit_decision_crud},                                                                                    \
	{"GET", "/v1/transcripts/{educator_id}", HG_ROLES_STAFF, transcript_handle_get, NULL},                      \
	BUDGET_ROUTES

/* PD budgets: the PD office (admins) plans and charges; school leaders read their own schools' releases and
 * costs; teachers nothing. */
#define HG_ROLES_BUDGET_READERS (HG_ROLE(SCHOOL_LEADER) | HG_ROLES_ADMINS)
#define BUDGET_ROUTES                                                                                               \
	{"POST", "/v1/catalog/funding-sources", HG_ROLES_ADMINS, hg_crud_create, &funding_source_crud},              \
	{"GET", "/v1/catalog/funding-sources", HG_ROLES_ADMINS, hg_crud_list, &funding_source_crud},                 \
	{"GET", "/v1/catalog/funding-sources/{id}", HG_ROLES_ADMINS, hg_crud_get, &funding_source_crud},             \
	{"PATCH", "/v1/catalog/funding-sources/{id}", HG_ROLES_ADMINS, hg_crud_update, &funding_source_crud},        \
	{"POST", "/v1/catalog/funding-sources/{id}/costs", HG_ROLES_ADMINS, budget_handle_charge, NULL},             \
	{"GET", "/v1/catalog/funding-sources/{id}/costs", HG_ROLES_ADMINS, hg_crud_list, &cost_crud},                \
	{"GET", "/v1/catalog/costs/{id}", HG_ROLES_ADMINS, hg_crud_get, &cost_item_crud},                            \
	{"GET", "/v1/catalog/budget-settings", HG_ROLES_ADMINS, budget_handle_settings_get, NULL},                   \
	{"PUT", "/v1/catalog/budget-settings", HG_ROLES_ADMINS, budget_handle_settings_put, NULL},                   \
	{"POST", "/v1/catalog/registrations/{id}/release", HG_ROLES_ADMINS, budget_handle_release, NULL},            \
	{"GET", "/v1/catalog/releases", HG_ROLES_BUDGET_READERS, budget_handle_releases, NULL},                      \
	{"GET", "/v1/catalog/budget-report", HG_ROLES_ADMINS, budget_handle_report, NULL},                           \
	{"GET", "/v1/catalog/budget-report.csv", HG_ROLES_ADMINS, budget_handle_report_csv, NULL},                   \
	{"GET", "/v1/catalog/budget-report/schools", HG_ROLES_BUDGET_READERS, budget_handle_report_schools, NULL}
/* clang-format on */

#endif
