/* routes.c - the coaching service's route table; mirrors api-spec/coaching.yaml (tests/spec/test_routes.py diffs
 * the two). */
#include "services/coaching/routes.h"

#include "common/crud.h"
#include "common/health.h"
#include "common/roles.h"
#include "services/coaching/coaching_handlers.h"

/* Coaches (and the PD office) start relationships; the parties, school leaders and admins read them and their
 * cycles (content for the parties only); the coach starts a cycle, the coach and the teacher move it. */
#define COACHES (HG_ROLE(COACH) | HG_ROLE(DISTRICT_ADMIN))
/* A coach reads their own caseload; leaders and admins every coach's. */
#define CASELOADS (HG_ROLE(COACH) | HG_ROLE(SCHOOL_LEADER) | HG_ROLE(DISTRICT_ADMIN))

/* a table: one entry a line, aligned by hand */
/* clang-format off */
const struct hg_route coaching_routes[] = {
	HG_HEALTH_ROUTES,
	{"POST", "/v1/coaching/relationships", COACHES, hg_crud_create, &relationship_crud},
	{"GET", "/v1/coaching/relationships", HG_ROLES_STAFF, hg_crud_list, &relationship_crud},
	{"GET", "/v1/coaching/relationships/{id}", HG_ROLES_STAFF, hg_crud_get, &relationship_crud},
	{"PATCH", "/v1/coaching/relationships/{id}", COACHES, hg_crud_update, &relationship_crud},
	{"GET", "/v1/coaching/unmatched-new-teachers", HG_ROLES_ADMINS, hg_crud_list, &unmatched_teacher_crud},
	{"POST", "/v1/coaching/cycles", HG_ROLE(COACH), cycle_handle_create, NULL},
	{"GET", "/v1/coaching/cycles", HG_ROLES_STAFF, hg_crud_list, &cycle_crud},
	{"GET", "/v1/coaching/cycles/{id}", HG_ROLES_STAFF, hg_crud_get, &cycle_crud},
	{"PATCH", "/v1/coaching/cycles/{id}", HG_ROLE(TEACHER) | HG_ROLE(COACH), hg_crud_update, &cycle_crud},
	/* time logs (the coach logs, whoever sees the relationship reads), caseloads, PLCs (rules in plc.h) */
	{"POST", "/v1/coaching/relationships/{id}/time-logs", HG_ROLE(COACH), hg_crud_create, &time_log_crud},
	{"GET", "/v1/coaching/relationships/{id}/time-logs", HG_ROLES_STAFF, hg_crud_list, &time_log_crud},
	{"GET", "/v1/coaching/caseload", CASELOADS, hg_crud_list, &caseload_crud},
	{"GET", "/v1/coaching/caseload-summary", CASELOADS, hg_crud_list, &coach_caseload_crud},
	{"POST", "/v1/plcs", HG_ROLES_STAFF, hg_crud_create, &plc_crud},
	{"GET", "/v1/plcs", HG_ROLES_STAFF, hg_crud_list, &plc_crud},
	{"GET", "/v1/plcs/{id}", HG_ROLES_STAFF, hg_crud_get, &plc_crud},
	{"PATCH", "/v1/plcs/{id}", HG_ROLES_STAFF, hg_crud_update, &plc_crud},
	{"POST", "/v1/plcs/{id}/meetings", HG_ROLES_STAFF, hg_crud_create, &plc_meeting_crud},
	{"GET", "/v1/plcs/{id}/meetings", HG_ROLES_STAFF, hg_crud_list, &plc_meeting_crud},
	{"GET", "/v1/plcs/{id}/meetings/{meeting_id}", HG_ROLES_STAFF, hg_crud_get, &plc_meeting_item_crud},
	{"PATCH", "/v1/plcs/{id}/meetings/{meeting_id}", HG_ROLES_STAFF, plc_meeting_handle_update, NULL},
	/* rubrics, observations, feedback, reflections, the access log (coach1) */
	{"POST", "/v1/coaching/rubrics", HG_ROLES_ADMINS, hg_crud_create, &rubric_crud},
	{"GET", "/v1/coaching/rubrics", HG_ROLES_STAFF, hg_crud_list, &rubric_crud},
	{"GET", "/v1/coaching/rubrics/{id}", HG_ROLES_STAFF, hg_crud_get, &rubric_crud},
	{"PATCH", "/v1/coaching/rubrics/{id}", HG_ROLES_ADMINS, hg_crud_update, &rubric_crud},
	{"GET", "/v1/coaching/rubrics/{id}/versions/{version}", HG_ROLES_STAFF, rubric_handle_version, NULL},
	{"POST", "/v1/coaching/cycles/{id}/observations", HG_ROLE(COACH), hg_crud_create, &observation_crud},
	{"GET", "/v1/coaching/cycles/{id}/observations", HG_ROLES_STAFF, hg_crud_list, &observation_crud},
	{"GET", "/v1/coaching/observations/{id}", HG_ROLES_STAFF, hg_crud_get, &observation_item_crud},
	{"POST", "/v1/coaching/observations/{id}/feedback", HG_ROLE(COACH), hg_crud_create, &feedback_crud},
	{"GET", "/v1/coaching/feedback/{id}", HG_ROLES_STAFF, hg_crud_get, &feedback_item_crud},
	{"POST", "/v1/coaching/feedback/{id}/reflection", HG_ROLE(TEACHER), hg_crud_create, &reflection_crud},
	{"GET", "/v1/coaching/access-log", HG_ROLE(TEACHER) | HG_ROLES_ADMINS, hg_crud_list, &access_log_crud},
};
/* clang-format on */
const size_t coaching_routes_count = sizeof(coaching_routes) / sizeof(coaching_routes[0]);
