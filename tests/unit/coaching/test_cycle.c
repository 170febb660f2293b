/* Unit tests: coaching cycles' validation, state machine and confidentiality (services/coaching/cycle.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/roles.h"
#include "services/coaching/cycle.h"
#include "services/coaching/reasons.h"
#include "tests/unit/support.h"

#define ME "11111111-1111-4111-8111-111111111111"
#define OTHER "22222222-2222-4222-8222-222222222222"
#define THIRD "44444444-4444-4444-8444-444444444444"
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

static void test_every_move(void **state)
{
	(void)state;
	/* allowed[i][j]: may a cycle move from cycle_statuses[i] to cycle_statuses[j]? */
	static const int allowed[6][6] = {
		{0, 1, 0, 0, 0, 1}, /* planning → observing, cancelled */
		{0, 0, 1, 0, 0, 1}, /* observing → feedback, cancelled */
		{0, 0, 0, 1, 0, 1}, /* feedback → reflecting, cancelled */
		{0, 0, 0, 0, 1, 1}, /* reflecting → completed, cancelled */
		{0, 0, 0, 0, 0, 0}, /* completed */
		{0, 0, 0, 0, 0, 0}, /* cancelled */
	};
	for (int i = 0; i < 6; i++) {
		for (int j = 0; j < 6; j++) {
			if (i == j)
				continue;
			const struct hg_reason *why = cycle_move(cycle_statuses[i], cycle_statuses[j]);
			if (allowed[i][j]) {
				assert_null(why);
				continue;
			}
			assert_non_null(why);
			assert_int_equal(why->status, HG_CONFLICT);
			/* the refusal names the allowed moves */
			for (int k = 0; k < 6; k++)
				if (allowed[i][k])
					assert_non_null(strstr(why->detail, cycle_statuses[k]));
		}
	}
	assert_ptr_equal(cycle_move("completed", "planning"), HG_REASON(coaching, R_CYCLE_CLOSED));
}

static void test_validation_names_nested_fields(void **state)
{
	(void)state;
	struct hg_input in = {NULL, 0, {2026, 12, 2}};
	json_t *errs = json_array();
	json_t *body = parse_json("{\"relationship_id\":\"" OTHER
				  "\",\"focus\":\" Number talks \",\"goal\":{\"description\":\"d\","
				  "\"measure\":\"%\",\"baseline\":40,\"target\":75.5,\"due_on\":\"2027-03-01\"},"
				  "\"action_steps\":[{\"description\":\"plan\",\"due_on\":\"2027-01-10\"}]}");
	json_t *out = cycle_validate_create(body, &in, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "focus")), "Number talks");
	json_t *step = json_array_get(json_object_get(out, "action_steps"), 0);
	assert_string_equal(json_string_value(json_object_get(step, "status")), "planned");
	json_decref(out);
	json_decref(body);

	body = parse_json(
		"{\"relationship_id\":1,\"focus\":\"\",\"goal\":{\"measure\":\"%\",\"baseline\":\"40\","
		"\"target\":1e12,\"due_on\":\"2027-02-30\",\"x\":1},"
		"\"action_steps\":[{\"description\":\"ok\",\"due_on\":\"2027-01-10\"},{\"status\":\"maybe\"},3]}");
	assert_null(cycle_validate_create(body, &in, errs));
	const char *expected[] = {"relationship_id",
				  "focus",
				  "goal.description",
				  "goal.baseline",
				  "goal.target",
				  "goal.due_on",
				  "goal.x",
				  "action_steps[1].description",
				  "action_steps[1].due_on",
				  "action_steps[1].status",
				  "action_steps[2]"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!names(errs, expected[i]))
			fail_msg("%s not named", expected[i]);
	assert_false(names(errs, "action_steps[0].due_on"));
	json_decref(body);
	json_array_clear(errs);

	body = parse_json("{\"status\":\"completed\"}");
	assert_null(cycle_validate_patch(body, &in, errs));
	assert_true(names(errs, "goal_met"));
	json_decref(body);
	json_array_clear(errs);
	body = parse_json("{\"status\":\"observing\",\"goal_met\":true}");
	assert_null(cycle_validate_patch(body, &in, errs));
	assert_true(names(errs, "goal_met"));
	json_decref(body);
	json_array_clear(errs);
	body = parse_json("{\"status\":\"completed\",\"goal_met\":false}");
	out = cycle_validate_patch(body, &in, errs);
	assert_non_null(out);
	assert_true(json_is_false(json_object_get(out, "goal_met")));
	json_decref(out);
	json_decref(body);
	json_decref(errs);
}

static void test_who_and_what(void **state)
{
	(void)state;
	struct hg_principal coach = principal(HG_ROLE(COACH)), leader = principal(HG_ROLE(SCHOOL_LEADER));
	struct hg_principal admin = principal(HG_ROLE(DISTRICT_ADMIN)), teacher = principal(HG_ROLE(TEACHER));
	json_t *relationship =
		parse_json("{\"coach_id\":\"" ME "\",\"teacher_id\":\"" OTHER "\",\"status\":\"active\"}");
	assert_null(cycle_rule_create(&coach, relationship, NULL));
	json_object_set_new(relationship, "status", json_string("ended"));
	assert_ptr_equal(cycle_rule_create(&coach, relationship, NULL), HG_REASON(coaching, R_RELATIONSHIP_ENDED));
	json_object_set_new(relationship, "coach_id", json_string(THIRD));
	assert_ptr_equal(cycle_rule_create(&coach, relationship, NULL), &hg_reason_hidden);
	assert_ptr_equal(cycle_rule_create(&admin, relationship, NULL), HG_REASON(coaching, R_CYCLE_COACH_ONLY));
	json_decref(relationship);

	/* ME is the teacher of this cycle */
	json_t *row = parse_json("{\"coach_id\":\"" OTHER "\",\"teacher_id\":\"" ME "\",\"status\":\"feedback\","
				 "\"focus\":\"f\",\"goal\":{},\"action_steps\":[],\"goal_met\":null}");
	json_t *move = parse_json("{\"status\":\"reflecting\"}");
	json_t *same = parse_json("{\"status\":\"feedback\"}");
	assert_null(cycle_rule_change(&teacher, row, move));
	assert_ptr_equal(cycle_rule_change(&teacher, row, same), &hg_reason_unchanged);
	/* the stored content again (with or without the status) is no change; other content is */
	json_t *content = parse_json("{\"status\":\"feedback\",\"focus\":\"f\",\"action_steps\":[]}");
	assert_ptr_equal(cycle_rule_change(&teacher, row, content), &hg_reason_unchanged);
	json_object_del(content, "status");
	assert_ptr_equal(cycle_rule_change(&teacher, row, content), &hg_reason_unchanged);
	json_object_set_new(content, "focus", json_string("g"));
	assert_null(cycle_rule_change(&teacher, row, content));
	json_decref(content);
	assert_string_equal(cycle_event_type(row, move), "cycle.state_changed");
	assert_string_equal(cycle_event_type(row, same), "cycle.updated");
	assert_null(cycle_rule_read(&teacher, row, NULL));
	json_t *seen = json_deep_copy(row);
	cycle_shape(&teacher, seen);
	assert_non_null(json_object_get(seen, "focus"));
	json_decref(seen);

	json_object_set_new(row, "teacher_id", json_string(THIRD)); /* now ME is nobody in it */
	assert_ptr_equal(cycle_rule_change(&teacher, row, move), &hg_reason_hidden);
	assert_ptr_equal(cycle_rule_change(&leader, row, move), HG_REASON(coaching, R_CYCLE_PARTY_ONLY));
	assert_ptr_equal(cycle_rule_read(&coach, row, NULL), &hg_reason_hidden);
	assert_null(cycle_rule_read(&leader, row, NULL));
	seen = json_deep_copy(row);
	cycle_shape(&admin, seen);
	assert_null(json_object_get(seen, "focus"));
	assert_null(json_object_get(seen, "goal"));
	assert_null(json_object_get(seen, "action_steps"));
	assert_non_null(json_object_get(seen, "status"));
	json_decref(seen);
	json_t *data = cycle_event_data(row);
	assert_null(json_object_get(data, "focus"));
	assert_non_null(json_object_get(row, "focus")); /* the record itself is left alone */
	json_decref(data);
	json_decref(row);
	json_decref(move);
	json_decref(same);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_move),
		cmocka_unit_test(test_validation_names_nested_fields),
		cmocka_unit_test(test_who_and_what),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
