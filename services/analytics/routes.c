/* routes.c - the analytics service's route table; mirrors api-spec/analytics.yaml (tests/spec/test_routes.py
 * diffs the two). */
#include "services/analytics/routes.h"

#include "common/health.h"
#include "common/roles.h"
#include "services/analytics/analytics_handlers.h"
#include "services/analytics/feeds_handlers.h"
#include "services/analytics/public_report_handlers.h"
#include "services/analytics/recommend_handlers.h"

/* District figures: the PD office (the district) and school leaders (their schools). */
#define LEADERS (HG_ROLE(SCHOOL_LEADER) | HG_ROLE(DISTRICT_ADMIN))
/* The state feeds and the public reports: the state reporter (a machine client) and the district's PD office. */
#define REPORTERS (HG_ROLE(STATE_REPORTER) | HG_ROLE(DISTRICT_ADMIN))

/* Rebuilding the read models: the district's PD office (global: see docs/analytics.md "Rebuild"). */
#define ADMINS HG_ROLE(DISTRICT_ADMIN)

/* a table: one entry a line, aligned by hand */
/* clang-format off */
const struct hg_route analytics_routes[] = {
	HG_HEALTH_ROUTES,
	{"GET", "/v1/analytics/participation",          LEADERS,   participation_handle_get,    NULL},
	{"GET", "/v1/analytics/equity",                 LEADERS,   equity_handle_get,           NULL},
	{"GET", "/v1/analytics/coaching",               LEADERS,   coaching_model_handle_get,   NULL},
	{"GET", "/v1/analytics/surveys",                LEADERS,   survey_model_handle_get,     NULL},
	{"GET", "/v1/analytics/activities/{id}/impact", LEADERS,  impact_handle_get,         NULL},
	{"GET", "/v1/analytics/recommendations/{educator_id}", HG_ROLES_STAFF, recommend_handle_get, NULL},
	{"POST", "/v1/analytics/rebuild",               ADMINS,    rebuild_handle_post,         NULL},
	{"GET", "/v1/analytics/rebuilds/{id}",          ADMINS,    rebuild_handle_get,          NULL},
	{"GET", "/v1/reports/state/pd-activities.csv",  REPORTERS, feeds_handle_csv,            NULL},
	{"GET", "/v1/reports/state/ed-fi",              REPORTERS, feeds_handle_edfi,           NULL},
	{"GET", "/v1/reports/public/participation",     REPORTERS, public_report_handle_get,    NULL},
	{"GET", "/v1/reports/public/participation.csv", REPORTERS, public_report_handle_csv,    NULL},
	{"GET", "/v1/reports/public/offerings",         REPORTERS, offering_summary_handle_get, NULL},
	{"GET", "/v1/reports/public/offerings.csv",     REPORTERS, offering_summary_handle_csv, NULL},
};
/* clang-format on */
const size_t analytics_routes_count = sizeof(analytics_routes) / sizeof(analytics_routes[0]);
