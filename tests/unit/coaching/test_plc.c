/* Unit tests: time logs, the caseload's arguments, PLCs and their meetings (services/coaching/timelog.c, plc.c):
 * validation naming every field, who logs, reads and changes what, attendance of members only, no agenda or notes
 * in a meeting's event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/roles.h"
#include "services/coaching/plc.h"
#include "services/coaching/reasons.h"
#include "services/coaching/timelog.h"
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

static void test_time_log(void **state)
{
	(void)state;
	struct hg_principal coach = principal(HG_ROLE(COACH));
	struct hg_input in = {&coach, 0, {2026, 12, 2}};
	json_t *errs = json_array();
	json_t *body = parse_json("{\"minutes\":45,\"activity\":\"co_teaching\"}");
	json_t *out = time_log_validate_create(body, &in, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "logged_on")), "2026-12-02");
	json_decref(body);

	body = parse_json("{\"minutes\":601,\"activity\":\"gossip\",\"logged_on\":\"2026-12-03\",\"x\":1}");
	assert_null(time_log_validate_create(body, &in, errs));
	assert_true(names(errs, "minutes"));
	assert_true(names(errs, "activity"));
	assert_true(names(errs, "logged_on"));
	assert_true(names(errs, "x"));
	json_decref(body);

	/* the date within the relationship */
	json_t *rel = parse_json("{\"coach_id\":\"" ME "\",\"teacher_id\":\"" OTHER "\",\"status\":\"ended\","
				 "\"starts_on\":\"2026-09-01\",\"ends_on\":\"2026-11-30\"}");
	assert_false(time_log_within(rel, out)); /* today: after its end */
	json_object_set_new(out, "logged_on", json_string("2026-09-01"));
	assert_true(time_log_within(rel, out));
	json_object_set_new(out, "logged_on", json_string("2026-11-30"));
	assert_true(time_log_within(rel, out));
	json_object_set_new(out, "logged_on", json_string("2026-12-01"));
	assert_false(time_log_within(rel, out));
	json_object_set_new(out, "logged_on", json_string("2026-08-31"));
	assert_false(time_log_within(rel, out));

	/* who logs and reads */
	assert_null(time_log_rule_create(&coach, rel, out));
	struct hg_principal teacher = principal(HG_ROLE(TEACHER)), leader = principal(HG_ROLE(SCHOOL_LEADER));
	snprintf(teacher.sub, sizeof(teacher.sub), "%s", OTHER);
	assert_ptr_equal(time_log_rule_create(&teacher, rel, out), COACHING_REFUSE(R_TIME_LOG_COACH_ONLY));
	json_t *empty = json_object();
	assert_ptr_equal(time_log_rule_create(&leader, empty, out), COACHING_REFUSE(R_TIME_LOG_COACH_ONLY));
	json_decref(empty);
	assert_null(time_log_rule_parent(&teacher, NULL, rel));
	struct hg_principal stranger = principal(HG_ROLE(COACH));
	snprintf(stranger.sub, sizeof(stranger.sub), "%s", DISTRICT);
	assert_ptr_equal(time_log_rule_create(&stranger, rel, out), &hg_reason_hidden);
	assert_ptr_equal(time_log_rule_parent(&stranger, NULL, rel), &hg_reason_hidden);

	/* the caseload: a coach's own only */
	struct hg_record_call call;
	const char *mine[1] = {NULL}, *theirs[1] = {OTHER};
	hg_record_call_init(&call, &coach);
	assert_null(caseload_args(&coach, mine, &call));
	assert_string_equal(call.args[0], ME);
	assert_ptr_equal(caseload_args(&coach, theirs, &call), COACHING_REFUSE(R_CASELOAD_OWN_ONLY));
	hg_record_call_init(&call, &leader);
	assert_null(caseload_args(&leader, mine, &call));
	assert_null(call.args[0]);
	json_decref(rel);
	json_decref(out);
	json_decref(errs);
}

static void test_plc_validation(void **state)
{
	(void)state;
	struct hg_principal teacher = principal(HG_ROLE(TEACHER));
	struct hg_input in = {&teacher, 0, {2026, 12, 2}};
	json_t *errs = json_array();
	json_t *body = parse_json("{\"name\":\" Grade 4 \",\"scope\":\"school\",\"school_ids\":[\"" DISTRICT "\"],"
				  "\"members\":[{\"educator_id\":\"" ME "\",\"role\":\"facilitator\"}]}");
	json_t *out = plc_validate_create(body, &in, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "name")), "Grade 4");
	assert_true(json_is_false(json_object_get(out, "share_notes")));
	assert_int_equal(json_array_size(json_object_get(out, "norms")), 0);
	json_decref(out);
	json_decref(body);

	/* a teacher names themselves as a facilitator */
	body = parse_json("{\"name\":\"n\",\"scope\":\"school\",\"school_ids\":[\"" DISTRICT "\"],"
			  "\"members\":[{\"educator_id\":\"" OTHER "\",\"role\":\"facilitator\"}]}");
	assert_null(plc_validate_create(body, &in, errs));
	assert_true(names(errs, "members"));
	json_array_clear(errs);
	struct hg_principal admin = principal(HG_ROLE(DISTRICT_ADMIN));
	in.who = &admin;
	out = plc_validate_create(body, &in, errs);
	assert_non_null(out);
	json_decref(out);
	json_decref(body);

	body = parse_json("{\"name\":\"\",\"scope\":\"cross_school\",\"school_ids\":[\"" DISTRICT "\"],"
			  "\"members\":[{\"educator_id\":\"" ME "\",\"role\":\"member\"},"
			  "{\"educator_id\":\"" ME "\",\"role\":\"boss\"}],\"norms\":[\"\"],\"share_notes\":1}");
	assert_null(plc_validate_create(body, &in, errs));
	const char *expected[] = {"name", "school_ids", "members[1].role", "norms", "share_notes"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!names(errs, expected[i]))
			fail_msg("%s not named", expected[i]);
	json_decref(body);
	json_array_clear(errs);

	body = parse_json("{\"scope\":\"school\"}");
	assert_null(plc_validate_patch(body, &in, errs));
	assert_true(names(errs, "school_ids"));
	json_decref(body);
	json_array_clear(errs);
	body = parse_json("{\"share_notes\":true}");
	out = plc_validate_patch(body, &in, errs);
	assert_non_null(out);
	assert_int_equal(json_object_size(out), 1);
	json_decref(out);
	json_decref(body);
	json_decref(errs);
}

static void test_plc_rules_and_meetings(void **state)
{
	(void)state;
	struct hg_principal me = principal(HG_ROLE(TEACHER)), leader = principal(HG_ROLE(SCHOOL_LEADER));
	struct hg_principal admin = principal(HG_ROLE(DISTRICT_ADMIN));
	struct hg_input in = {&me, 0, {2026, 12, 2}};
	json_t *facilitated =
		parse_json("{\"member_ids\":[\"" ME "\",\"" OTHER "\"],\"facilitator_ids\":[\"" ME "\"]}");
	json_t *member = parse_json("{\"member_ids\":[\"" ME "\",\"" OTHER "\"],\"facilitator_ids\":[\"" OTHER "\"]}");
	json_t *none = parse_json("{\"member_ids\":[\"" OTHER "\"],\"facilitator_ids\":[\"" OTHER "\"]}");

	assert_null(plc_rule_change(&me, facilitated, NULL));
	assert_ptr_equal(plc_rule_change(&me, member, NULL), COACHING_REFUSE(R_PLC_FACILITATOR_ONLY));
	assert_ptr_equal(plc_rule_change(&me, none, NULL), &hg_reason_hidden);
	assert_ptr_equal(plc_rule_change(&leader, none, NULL), COACHING_REFUSE(R_PLC_FACILITATOR_ONLY));
	assert_null(plc_rule_change(&admin, none, NULL));

	assert_null(plc_meeting_rule_create(&me, facilitated, NULL));
	assert_ptr_equal(plc_meeting_rule_create(&me, member, NULL), COACHING_REFUSE(R_PLC_FACILITATOR_ONLY));
	assert_ptr_equal(plc_meeting_rule_create(&admin, none, NULL), COACHING_REFUSE(R_PLC_FACILITATOR_ONLY));
	assert_ptr_equal(plc_meeting_rule_create(&me, none, NULL), &hg_reason_hidden);
	assert_null(plc_meeting_rule_parent(&me, NULL, member));
	assert_null(plc_meeting_rule_parent(&leader, NULL, none));
	assert_ptr_equal(plc_meeting_rule_parent(&me, NULL, none), &hg_reason_hidden);

	json_t *record = parse_json("{\"members\":[{\"educator_id\":\"" OTHER "\",\"role\":\"facilitator\"}]}");
	assert_ptr_equal(plc_rule_read(&me, record, NULL), &hg_reason_hidden);
	assert_null(plc_rule_read(&leader, record, NULL));
	json_decref(record);

	json_t *errs = json_array();
	json_t *body = parse_json("{\"held_on\":\"2026-12-02\",\"minutes\":50,\"agenda\":\"a\",\"notes\":\"secret\","
				  "\"attendance\":[\"" OTHER "\",\"" ME "\"]}");
	json_t *meeting = plc_meeting_validate_create(body, &in, errs);
	assert_non_null(meeting);
	assert_int_equal(plc_meeting_first_stranger(facilitated, meeting), -1);
	assert_int_equal(plc_meeting_first_stranger(none, meeting), 1);
	json_t *event = plc_meeting_event_data(meeting);
	assert_null(json_object_get(event, "notes"));
	assert_null(json_object_get(event, "agenda"));
	assert_int_equal(json_array_size(json_object_get(event, "attendance")), 2);
	json_decref(event);
	json_decref(meeting);
	json_decref(body);

	body = parse_json("{\"held_on\":\"2026-12-03\",\"minutes\":0,\"attendance\":[\"x\"],\"activity_id\":\"y\"}");
	assert_null(plc_meeting_validate_create(body, &in, errs));
	assert_true(names(errs, "held_on") && names(errs, "minutes") && names(errs, "attendance") &&
		    names(errs, "activity_id"));
	json_decref(body);
	json_decref(errs);
	json_decref(facilitated);
	json_decref(member);
	json_decref(none);
}

/* The same values again are no change (after who may change is decided); a meeting's patch likewise. */
static void test_unchanged_plc_and_meeting(void **state)
{
	(void)state;
	struct hg_principal me = principal(HG_ROLE(TEACHER)), admin = principal(HG_ROLE(DISTRICT_ADMIN));
	struct hg_input in = {&me, 0, {2026, 12, 2}};
	json_t *stored = parse_json("{\"member_ids\":[\"" ME "\"],\"facilitator_ids\":[\"" ME "\"],\"name\":\"PLC\","
				    "\"norms\":[\"n\"],\"share_notes\":false,\"held_on\":\"2026-12-01\",\"minutes\":50,"
				    "\"notes\":\"x\",\"attendance\":[\"" ME "\"],\"activity_id\":null}");
	json_t *same = parse_json("{\"name\":\"PLC\",\"norms\":[\"n\"],\"share_notes\":false}");
	json_t *changed = parse_json("{\"name\":\"PLC\",\"norms\":[\"n\",\"m\"]}");
	assert_ptr_equal(plc_rule_change(&me, stored, same), &hg_reason_unchanged);
	assert_ptr_equal(plc_rule_change(&admin, stored, same), &hg_reason_unchanged);
	assert_null(plc_rule_change(&me, stored, changed));
	json_t *other = parse_json("{\"member_ids\":[\"" ME "\"],\"facilitator_ids\":[\"" OTHER "\"]}");
	assert_ptr_equal(plc_rule_change(&me, other, same), COACHING_REFUSE(R_PLC_FACILITATOR_ONLY));

	json_t *errs = json_array();
	json_t *body = parse_json("{\"held_on\":\"2026-12-01\",\"minutes\":50,\"notes\":\" x \",\"activity_id\":null,"
				  "\"attendance\":[\"" ME "\"]}");
	json_t *patch = plc_meeting_validate_patch(body, &in, errs);
	assert_non_null(patch);
	assert_true(json_is_null(json_object_get(patch, "activity_id")));
	assert_null(json_object_get(patch, "agenda"));
	assert_ptr_equal(plc_meeting_rule_change(&me, stored, patch), &hg_reason_unchanged);
	assert_ptr_equal(plc_meeting_rule_change(&admin, other, patch), COACHING_REFUSE(R_PLC_FACILITATOR_ONLY));
	json_object_set_new(patch, "minutes", json_integer(51));
	assert_null(plc_meeting_rule_change(&me, stored, patch));
	json_decref(patch);
	json_decref(body);
	body = parse_json("{}");
	assert_null(plc_meeting_validate_patch(body, &in, errs));
	assert_true(names(errs, ""));
	json_decref(body);
	json_decref(errs);
	json_decref(stored);
	json_decref(same);
	json_decref(changed);
	json_decref(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_log),
		cmocka_unit_test(test_plc_validation),
		cmocka_unit_test(test_plc_rules_and_meetings),
		cmocka_unit_test(test_unchanged_plc_and_meeting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
