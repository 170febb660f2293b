/* Unit tests: the PD catalog's pure rules (services/resources/catalog*.c without the store and handlers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/record.h"
#include "common/roles.h"
#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/attendance.h"
#include "services/resources/catalog/catalog.h"
#include "services/resources/catalog/credit.h"
#include "services/resources/catalog/proposal.h"
#include "services/resources/catalog/registration.h"
#include "services/resources/catalog/session.h"
#include "services/resources/catalog/transcript.h"
#include "tests/unit/support.h"

#define ME "11111111-1111-4111-8111-111111111111"
#define OTHER "22222222-2222-4222-8222-222222222222"
#define DISTRICT "33333333-3333-4333-8333-333333333333"

static struct hg_principal principal(unsigned roles)
{
	struct hg_principal p;
	memset(&p, 0, sizeof(p));
	snprintf(p.sub, sizeof(p.sub), "%s", ME);
	snprintf(p.district_id, sizeof(p.district_id), "%s", DISTRICT);
	p.roles = roles;
	return p;
}

static void test_activity_validation(void **state)
{
	(void)state;
	struct hg_input in = {NULL, 0, {2026, 11, 22}};
	json_t *errs = json_array();
	json_t *body =
		parse_json("{\"title\":\"  Number talks \",\"type\":\"P2P\",\"credit_type\":\"CEUs\",\"credits\":0.5,"
			   "\"completion_rule\":{\"kind\":\"at_least\",\"sessions\":2},\"level\":null}");
	json_t *out = activity_validate_create(body, &in, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "title")), "Number talks");
	assert_string_equal(json_string_value(json_object_get(out, "credits")), "0.50");
	assert_string_equal(json_string_value(json_object_get(out, "completion_rule")), "at_least");
	assert_int_equal(json_integer_value(json_object_get(out, "completion_min_sessions")), 2);
	assert_true(json_is_null(json_object_get(out, "level")));
	json_decref(out);
	json_decref(body);

	body = parse_json(
		"{\"type\":\"Workshop\",\"credits\":-2,\"level\":\"Expert\",\"cost\":1e9,\"status\":\"draft\","
		"\"completion_rule\":{\"kind\":\"all_sessions\",\"sessions\":3},\"objectives\":[\"\"]}");
	assert_null(activity_validate_create(body, &in, errs));
	const char *expected[] = {"title",     "type", "credit_type", "credits",
				  "level",     "cost", "status",      "completion_rule.sessions",
				  "objectives"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!names(errs, expected[i]))
			fail_msg("no error for %s", expected[i]);
	assert_int_equal(json_array_size(errs), 9);
	json_decref(body);
	json_decref(errs);

	/* PATCH: status allowed, empty refused */
	errs = json_array();
	body = parse_json("{\"status\":\"published\"}");
	out = activity_validate_patch(body, &in, errs);
	assert_non_null(out);
	json_decref(out);
	json_decref(body);
	body = parse_json("{}");
	assert_null(activity_validate_patch(body, &in, errs));
	json_decref(body);
	json_decref(errs);
}

/* Teacher-led proposals: PATCH never sets a decision's status; the decision's rule; who sees a proposal. */
static void test_proposal_rules(void **state)
{
	(void)state;
	assert_null(activity_transition("approved", "published"));
	assert_string_equal(activity_transition("proposed", "published")->code, "activity_awaiting_decision");
	assert_string_equal(activity_transition("declined", "published")->code, "activity_declined");
	assert_string_equal(activity_transition("draft", "approved")->code, "activity_status_by_decision");
	assert_string_equal(activity_transition("published", "proposed")->code, "activity_status_by_decision");
	assert_false(activity_editable("declined"));
	assert_true(activity_editable("approved"));

	struct hg_principal admin = principal(HG_ROLE(DISTRICT_ADMIN)), leader = principal(HG_ROLE(TEACHER_LEADER));
	const char *other = "44444444-4444-4444-8444-444444444444";
	assert_true(activity_visible(&leader, "proposed", ME));
	assert_true(activity_visible(&leader, "declined", ME));
	assert_false(activity_visible(&leader, "proposed", other));
	assert_true(activity_visible(&admin, "proposed", other));

	json_t *proposed = json_pack("{s:s, s:s}", "status", "proposed", "proposed_by", other);
	json_t *mine = json_pack("{s:s, s:s}", "status", "proposed", "proposed_by", ME);
	json_t *approved = json_pack("{s:s, s:s}", "status", "approved", "proposed_by", other);
	json_t *draft = json_pack("{s:s, s:n}", "status", "draft", "proposed_by");
	assert_null(proposal_rule_decide(&admin, proposed, NULL));
	assert_string_equal(proposal_rule_decide(&admin, mine, NULL)->code, "proposal_decide_forbidden");
	assert_string_equal(proposal_rule_decide(&leader, proposed, NULL)->code, "proposal_decide_forbidden");
	assert_string_equal(proposal_rule_decide(&admin, approved, NULL)->code, "proposal_decided");
	assert_string_equal(proposal_rule_decide(&admin, draft, NULL)->code, "not_a_proposal");
	json_decref(proposed);
	json_decref(mine);
	json_decref(approved);
	json_decref(draft);

	struct hg_input in = {0};
	json_t *errs = json_array();
	json_t *body = parse_json("{\"decision\": \"declined\"}");
	assert_null(proposal_validate_decision(body, &in, errs));
	assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 0), "field")), "reason");
	json_decref(body);
	json_array_clear(errs);
	body = parse_json("{\"decision\": \"approved\"}");
	json_t *out = proposal_validate_decision(body, &in, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "approved");
	assert_true(json_is_null(json_object_get(out, "decision_reason")));
	assert_string_equal(proposal_event_type(NULL, out), "activity.approved");
	json_decref(out);
	json_decref(body);
	json_decref(errs);
}

/* Registration approval: who awaits it, who decides, the decision's body. */
static void test_registration_approval(void **state)
{
	(void)state;
	struct hg_principal admin = principal(HG_ROLE(DISTRICT_ADMIN)), leader = principal(HG_ROLE(SCHOOL_LEADER)),
			    teacher = principal(HG_ROLE(TEACHER));
	struct registration_session s;
	memset(&s, 0, sizeof(s));
	snprintf(s.status, sizeof(s.status), "registering");
	s.ends_us = 2000;
	assert_null(registration_approval(&teacher, &s));
	s.requires_approval = 1;
	assert_string_equal(registration_approval(&teacher, &s), "pending");
	assert_null(registration_approval(&admin, &s)); /* the PD office registering someone has approved it */

	const char *other = "44444444-4444-4444-8444-444444444444";
	assert_null(registration_rule_decide(&leader, other, 1, "registered", "pending", &s, 1000));
	assert_null(registration_rule_decide(&admin, other, 0, "waitlisted", "pending", &s, 1000));
	assert_string_equal(registration_rule_decide(&leader, other, 0, "registered", "pending", &s, 1000)->code,
			    "registration_decide_forbidden");
	assert_string_equal(registration_rule_decide(&leader, ME, 1, "registered", "pending", &s, 1000)->code,
			    "registration_decide_forbidden");
	assert_string_equal(registration_rule_decide(&leader, other, 1, "cancelled", "declined", &s, 1000)->code,
			    "registration_already_cancelled");
	assert_string_equal(registration_rule_decide(&leader, other, 1, "registered", NULL, &s, 1000)->code,
			    "registration_not_pending");
	assert_string_equal(registration_rule_decide(&leader, other, 1, "registered", "approved", &s, 1000)->code,
			    "registration_not_pending");
	assert_string_equal(registration_rule_decide(&leader, other, 1, "registered", "pending", &s, 2000)->code,
			    "registration_frozen");
	assert_string_equal(checkin_rule_registered("pending")->code, "checkin_awaiting_approval");

	struct hg_input in = {0};
	json_t *errs = json_array();
	json_t *body = parse_json("{\"decision\": \"declined\", \"reason\": \"  \"}");
	assert_null(registration_validate_decision(body, &in, errs));
	assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 0), "field")), "reason");
	json_decref(body);
	json_decref(errs);
}

static void test_activity_rules(void **state)
{
	(void)state;
	const struct hg_reason *why;
	assert_null(activity_transition("draft", "published"));
	assert_null(activity_transition("published", "archived"));
	assert_null(activity_transition("published", "published"));
	why = activity_transition("draft", "archived");
	assert_int_equal(why->status, HG_CONFLICT);
	assert_non_null(strstr(why->detail, "published before"));
	assert_int_equal(activity_transition("published", "draft")->status, HG_CONFLICT);
	why = activity_transition("archived", "published");
	assert_int_equal(why->status, HG_CONFLICT);
	assert_non_null(strstr(why->detail, "archived"));
	assert_false(activity_editable("archived"));
	assert_true(activity_editable("published"));
	assert_string_equal(activity_event("draft", "published"), "activity.published");
	assert_string_equal(activity_event("published", "archived"), "activity.archived");
	assert_string_equal(activity_event("published", "published"), "activity.updated");

	struct hg_principal admin = principal(HG_ROLE(DISTRICT_ADMIN)), teacher = principal(HG_ROLE(TEACHER));
	assert_true(activity_visible(&admin, "draft", NULL));
	assert_false(activity_visible(&teacher, "draft", NULL));
	assert_true(activity_visible(&teacher, "archived", NULL));
	assert_string_equal(activity_list_statuses(&teacher, NULL), "{published,archived}");
	assert_string_equal(activity_list_statuses(&teacher, "draft"), "{}");
	assert_string_equal(activity_list_statuses(&teacher, "proposed"), "{}");
	assert_string_equal(activity_list_statuses(&admin, NULL),
			    "{draft,proposed,approved,declined,published,archived}");
	assert_string_equal(activity_list_statuses(&admin, "approved"), "{approved}");
	assert_null(activity_list_statuses(&admin, "deleted"));

	assert_true(completion_met("all_sessions", 0, 3, 3));
	assert_false(completion_met("all_sessions", 0, 2, 3));
	assert_false(completion_met("all_sessions", 0, 0, 0)); /* nothing held: nothing completed */
	assert_true(completion_met("at_least", 2, 2, 5));
	assert_false(completion_met("at_least", 2, 1, 1));
}

static void test_sessions(void **state)
{
	(void)state;
	struct hg_input in = {NULL, 0, {2026, 11, 22}};
	json_t *errs = json_array();
	json_t *body = parse_json("{\"starts_at\":\"2026-12-01T15:00:00Z\",\"ends_at\":\"2026-12-01T14:00:00Z\","
				  "\"capacity\":0,\"facilitators\":[\"" ME "\",\"" ME "\"]}");
	assert_null(session_validate_create(body, &in, errs));
	assert_true(names(errs, "ends_at") && names(errs, "capacity") && names(errs, "facilitators") &&
		    names(errs, "location"));
	assert_int_equal(json_array_size(errs), 4);
	json_decref(body);
	json_decref(errs);

	errs = json_array();
	body = parse_json("{\"starts_at\":\"2026-12-01T15:00:00Z\",\"ends_at\":\"2027-01-02T15:00:00Z\",\"capacity\":5,"
			  "\"online_url\":\"https://meet.example.org/x\"}");
	assert_null(session_validate_create(body, &in, errs)); /* longer than 31 days */
	json_decref(body);
	json_decref(errs);

	errs = json_array();
	body = parse_json("{\"starts_at\":\"2026-12-01T15:00:00Z\",\"ends_at\":\"2026-12-01T16:00:00Z\",\"capacity\":5,"
			  "\"location\":\" Room 4 \",\"facilitators\":[\"AAAAAAAA-1111-4111-8111-111111111111\"]}");
	json_t *out = session_validate_create(body, &in, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "location")), "Room 4");
	assert_string_equal(json_string_value(json_array_get(json_object_get(out, "facilitators"), 0)),
			    "aaaaaaaa-1111-4111-8111-111111111111");
	json_decref(out);
	json_decref(body);
	json_decref(errs);

	assert_null(session_transition("registering", "cancelled"));
	assert_null(session_transition("cancelled", "cancelled"));
	assert_int_equal(session_transition("cancelled", "completed")->status, HG_CONFLICT);
	assert_int_equal(session_transition("completed", "cancelled")->status, HG_CONFLICT);
}

/* Changing a scheduled session: the patch, the rules under its lock, the session it would become. */
static void test_session_changes(void **state)
{
	(void)state;
	struct hg_input in = {NULL, 0, {2026, 11, 22}};
	struct hg_principal admin = principal(HG_ROLE(DISTRICT_ADMIN));
	json_t *errs = json_array();
	json_t *body = parse_json("{}");
	assert_null(session_validate_patch(body, &in, errs));
	assert_int_equal(json_array_size(errs), 1);
	json_decref(body);
	json_decref(errs);

	errs = json_array();
	body = parse_json("{\"capacity\":0,\"starts_at\":\"soon\",\"location\":null,\"online_url\":null,\"x\":1}");
	assert_null(session_validate_patch(body, &in, errs));
	assert_true(names(errs, "capacity") && names(errs, "starts_at") && names(errs, "location") && names(errs, "x"));
	json_decref(body);
	json_decref(errs);

	/* a registering session of 10 seats, 6 registered, 15:00-16:00, in room 4 */
	json_t *st = parse_json("{\"status\":\"registering\",\"capacity\":10,\"registered_count\":6,"
				"\"starts_us\":1764601200000000,\"ends_us\":1764604800000000,"
				"\"location\":\"Room 4\",\"online_url\":null}");
	errs = json_array();
	body = parse_json("{\"capacity\":5}");
	json_t *change = session_validate_patch(body, &in, errs);
	assert_non_null(change);
	assert_int_equal(session_rule_change(&admin, st, change)->status, HG_CONFLICT); /* below the registered */
	json_decref(change);
	json_decref(body);
	body = parse_json("{\"capacity\":6}");
	change = session_validate_patch(body, &in, errs);
	assert_null(session_rule_change(&admin, st, change));
	assert_string_equal(session_event_type(st, change), "session.changed");
	json_decref(change);
	json_decref(body);
	body = parse_json("{\"capacity\":10,\"location\":\"Room 4\"}"); /* the same values: nothing changes */
	change = session_validate_patch(body, &in, errs);
	assert_ptr_equal(session_rule_change(&admin, st, change), &hg_reason_unchanged);
	json_decref(change);
	json_decref(body);
	/* only the end, before the stored start: 422 on ends_at; only the start, after the stored end: on starts_at */
	const char *field = NULL;
	body = parse_json("{\"ends_at\":\"2025-12-01T14:30:00Z\"}");
	change = session_validate_patch(body, &in, errs);
	assert_int_equal(session_check_change(st, change, &field)->status, HG_INVALID);
	assert_string_equal(field, "ends_at");
	json_decref(change);
	json_decref(body);
	body = parse_json("{\"starts_at\":\"2025-12-01T17:00:00Z\"}");
	change = session_validate_patch(body, &in, errs);
	assert_int_equal(session_check_change(st, change, &field)->status, HG_INVALID);
	assert_string_equal(field, "starts_at");
	json_decref(change);
	json_decref(body);
	body = parse_json("{\"location\":null}"); /* no place left */
	change = session_validate_patch(body, &in, errs);
	assert_int_equal(session_check_change(st, change, &field)->status, HG_INVALID);
	assert_string_equal(field, "location");
	json_decref(change);
	json_decref(body);
	body = parse_json("{\"location\":null,\"online_url\":\"https://meet.example.org/x\"}");
	change = session_validate_patch(body, &in, errs);
	assert_null(session_check_change(st, change, &field));
	json_decref(change);
	json_decref(body);
	body = parse_json("{\"status\":\"cancelled\"}");
	change = session_validate_patch(body, &in, errs);
	assert_null(session_rule_change(&admin, st, change));
	assert_string_equal(session_event_type(st, change), "session.cancelled");
	json_decref(change);
	json_decref(body);
	assert_int_equal(json_array_size(errs), 0);
	json_decref(st);

	/* a cancelled session: its status stays, nothing else moves */
	st = parse_json("{\"status\":\"cancelled\",\"capacity\":10,\"registered_count\":0}");
	body = parse_json("{\"capacity\":12}");
	change = session_validate_patch(body, &in, errs);
	assert_int_equal(session_rule_change(&admin, st, change)->status, HG_CONFLICT);
	json_decref(change);
	json_decref(body);
	json_decref(st);
	json_decref(errs);
}

/* Whose registrations a list shows: the scope argument, and the filters only leaders and admins use. */
static void test_my_registrations(void **state)
{
	(void)state;
	struct hg_principal teacher = principal(HG_ROLE(TEACHER)), leader = principal(HG_ROLE(SCHOOL_LEADER)),
			    admin = principal(HG_ROLE(DISTRICT_ADMIN) | HG_ROLE(TEACHER));
	struct hg_record_call call;
	const char *none[5] = {NULL, NULL, NULL, NULL, NULL};
	const char *other[5] = {OTHER, NULL, NULL, "true", "pending"};
	const char *school[5] = {NULL, OTHER, "registered", "false", NULL};
	const char *self[5] = {ME, NULL, NULL, NULL, NULL};

	hg_record_call_init(&call, &teacher);
	assert_null(registration_mine_args(&teacher, none, &call));
	assert_int_equal(call.nargs, 7);
	assert_string_equal(call.args[4], "self");
	assert_string_equal(call.args[5], ME);
	assert_null(call.args[6]);
	hg_record_call_init(&call, &teacher);
	assert_null(registration_mine_args(&teacher, self, &call));
	assert_int_equal(registration_mine_args(&teacher, other, &call)->status, HG_FORBIDDEN);
	assert_int_equal(registration_mine_args(&teacher, school, &call)->status, HG_FORBIDDEN);
	hg_record_call_init(&call, &leader);
	assert_null(registration_mine_args(&leader, other, &call));
	assert_string_equal(call.args[0], OTHER);
	assert_string_equal(call.args[3], "true");
	assert_string_equal(call.args[4], "school");
	assert_string_equal(call.args[6], "pending");
	hg_record_call_init(&call, &admin);
	assert_null(registration_mine_args(&admin, school, &call));
	assert_string_equal(call.args[1], OTHER);
	assert_string_equal(call.args[2], "registered");
	assert_null(call.args[3]);
	assert_string_equal(call.args[4], "all");
}

static void test_check_in(void **state)
{
	(void)state;
	const int64_t start = 1000LL * 60 * 1000000, end = start + 3600LL * 1000000;
	assert_int_equal(session_checkin_window(start, end, start - CATALOG_CHECKIN_EARLY_US - 1), -1);
	assert_int_equal(session_checkin_window(start, end, start - CATALOG_CHECKIN_EARLY_US), 0);
	assert_int_equal(session_checkin_window(start, end, end), 0);
	assert_int_equal(session_checkin_window(start, end, end + 1), 1);

	char a[CATALOG_CODE_LEN + 1], b[CATALOG_CODE_LEN + 1];
	session_checkin_code_new(a);
	session_checkin_code_new(b);
	assert_int_equal(strlen(a), CATALOG_CODE_LEN);
	assert_int_equal(strspn(a, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"), CATALOG_CODE_LEN);
	assert_string_not_equal(a, b);
	char typed[16];
	snprintf(typed, sizeof(typed), " %s  ", a);
	for (char *p = typed; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	assert_true(session_checkin_code_matches(typed, a));
	assert_true(session_checkin_code_matches(a, a));
	assert_false(session_checkin_code_matches(b, a));
	char shorter[CATALOG_CODE_LEN + 1];
	memcpy(shorter, a, CATALOG_CODE_LEN - 1);
	shorter[CATALOG_CODE_LEN - 1] = '\0';
	assert_false(session_checkin_code_matches(shorter, a));
	assert_false(session_checkin_code_matches("", a));

	struct hg_principal teacher = principal(HG_ROLE(TEACHER));
	json_t *session = parse_json("{\"facilitators\":[\"" OTHER "\"],\"check_in_code\":\"ABCDEFGH\"}");
	session_redact(&teacher, session);
	assert_true(json_is_null(json_object_get(session, "check_in_code")));
	json_decref(session);
	session = parse_json("{\"facilitators\":[\"" ME "\"],\"check_in_code\":\"ABCDEFGH\"}");
	session_redact(&teacher, session);
	assert_string_equal(json_string_value(json_object_get(session, "check_in_code")), "ABCDEFGH");
	assert_true(attendance_may_record(&teacher, json_object_get(session, "facilitators")));
	json_decref(session);
}

static void test_registration(void **state)
{
	(void)state;
	const char *status;
	assert_int_equal(registration_place(2, 1, 0, &status), HG_OK);
	assert_string_equal(status, "registered");
	assert_int_equal(registration_place(2, 2, 0, &status), HG_OK);
	assert_string_equal(status, "waitlisted");
	assert_int_equal(registration_place(2, 2, CATALOG_WAITLIST_MAX - 1, &status), HG_OK);
	assert_int_equal(registration_place(2, 2, CATALOG_WAITLIST_MAX, &status), HG_CONFLICT);

	struct hg_principal teacher = principal(HG_ROLE(TEACHER)), admin = principal(HG_ROLE(DISTRICT_ADMIN));
	char who[37];
	json_t *errs = json_array();
	assert_int_equal(registration_target(&teacher, NULL, errs, who), HG_OK);
	assert_string_equal(who, ME);
	json_t *other = parse_json("{\"educator_id\":\"" OTHER "\"}");
	assert_int_equal(registration_target(&teacher, other, errs, who), HG_FORBIDDEN);
	assert_int_equal(registration_target(&admin, other, errs, who), HG_OK);
	assert_string_equal(who, OTHER);
	json_t *bad = parse_json("{\"educator_id\":\"me\",\"x\":1}");
	assert_int_equal(registration_target(&admin, bad, errs, who), HG_INVALID);
	assert_int_equal(json_array_size(errs), 2);
	assert_true(registration_may_cancel(&teacher, ME));
	assert_false(registration_may_cancel(&teacher, OTHER));
	assert_true(registration_may_cancel(&admin, OTHER));
	assert_string_equal(registration_list_statuses("waitlisted"), "{waitlisted}");
	assert_null(registration_list_statuses("gone"));
	json_decref(other);
	json_decref(bad);
	json_decref(errs);
}

static void test_credit_requests(void **state)
{
	(void)state;
	struct hg_input in = {NULL, 0, {2026, 11, 22}};
	json_t *errs = json_array();
	json_t *body = parse_json(
		"{\"title\":\"t\",\"provider\":\"p\",\"start_date\":\"2026-11-20\",\"end_date\":\"2026-11-23\","
		"\"hours\":2.5,\"evidence_url\":\"https://e.org/x\"}");
	json_t *out = credit_validate_create(body, &in, errs); /* tomorrow: time zones allow it */
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "hours")), "2.50");
	/* Hours by default, the credits the clock hours */
	assert_string_equal(json_string_value(json_object_get(out, "credit_type")), "Hours");
	assert_string_equal(json_string_value(json_object_get(out, "credits")), "2.50");
	json_decref(out);
	json_decref(body);
	/* semester credits need their number; with it, the clock hours stay beside them */
	body = parse_json(
		"{\"title\":\"t\",\"provider\":\"p\",\"start_date\":\"2026-06-01\",\"end_date\":\"2026-07-31\","
		"\"hours\":45,\"evidence_url\":\"https://e.org/x\",\"credit_type\":\"SemesterCredits\"}");
	assert_null(credit_validate_create(body, &in, errs));
	assert_true(names(errs, "credits"));
	json_array_clear(errs);
	json_object_set_new(body, "credits", json_integer(3));
	out = credit_validate_create(body, &in, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "credits")), "3.00");
	assert_string_equal(json_string_value(json_object_get(out, "hours")), "45.00");
	json_decref(out);
	json_decref(body);
	body = parse_json(
		"{\"title\":\"t\",\"provider\":\"p\",\"start_date\":\"2026-11-20\",\"end_date\":\"2026-11-24\","
		"\"hours\":0,\"evidence_url\":\"mailto:x\"}");
	assert_null(credit_validate_create(body, &in, errs));
	assert_true(names(errs, "end_date") && names(errs, "hours") && names(errs, "evidence_url"));
	assert_int_equal(json_array_size(errs), 3);
	json_decref(body);
	json_decref(errs);

	struct hg_principal teacher = principal(HG_ROLE(TEACHER)), admin = principal(HG_ROLE(DISTRICT_ADMIN));
	assert_int_equal(credit_may_decide(&admin, OTHER), HG_OK);
	assert_int_equal(credit_may_decide(&admin, ME), HG_FORBIDDEN);
	assert_int_equal(credit_may_decide(&teacher, OTHER), HG_FORBIDDEN);
	assert_int_equal(credit_decidable("pending"), HG_OK);
	assert_int_equal(credit_decidable("denied"), HG_CONFLICT);
	assert_true(credit_may_read(&teacher, ME));
	assert_false(credit_may_read(&teacher, OTHER));
}

static void test_transcripts(void **state)
{
	(void)state;
	struct hg_principal teacher = principal(HG_ROLE(TEACHER)), leader = principal(HG_ROLE(SCHOOL_LEADER)),
			    admin = principal(HG_ROLE(DISTRICT_ADMIN)), coach = principal(HG_ROLE(COACH));
	assert_int_equal(transcript_access(&teacher, ME), CATALOG_TRANSCRIPT_ALLOWED);
	assert_int_equal(transcript_access(&teacher, OTHER), CATALOG_TRANSCRIPT_DENIED);
	assert_int_equal(transcript_access(&coach, OTHER), CATALOG_TRANSCRIPT_DENIED);
	assert_int_equal(transcript_access(&leader, OTHER), CATALOG_TRANSCRIPT_IF_SCHOOL);
	assert_int_equal(transcript_access(&admin, OTHER), CATALOG_TRANSCRIPT_ALLOWED);
	int64_t from, to;
	json_t *why = json_array();
	assert_true(transcript_period(NULL, NULL, &from, &to, why));
	assert_true(from < to);
	assert_true(transcript_period("2026-01-01", "2026-01-01", &from, &to, why));
	assert_int_equal(from, to);
	assert_int_equal(json_array_size(why), 0);
	assert_false(transcript_period("2026-02-01", "2026-01-01", &from, &to, why));
	assert_true(names(why, "from"));
	json_array_clear(why);
	assert_false(transcript_period("2026-1-1", "2026-13-01", &from, &to, why)); /* both named */
	assert_true(names(why, "from") && names(why, "to"));
	json_decref(why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_activity_validation),
		cmocka_unit_test(test_activity_rules),
		cmocka_unit_test(test_proposal_rules),
		cmocka_unit_test(test_registration_approval),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_session_changes),
		cmocka_unit_test(test_my_registrations),
		cmocka_unit_test(test_check_in),
		cmocka_unit_test(test_registration),
		cmocka_unit_test(test_credit_requests),
		cmocka_unit_test(test_transcripts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
