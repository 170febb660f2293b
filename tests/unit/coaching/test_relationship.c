/* Unit tests: coaching relationships' validation and rules (services/coaching/relationship.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/roles.h"
#include "services/coaching/reasons.h"
#include "services/coaching/relationship.h"
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

static void test_validate_create(void **state)
{
	(void)state;
	struct hg_principal coach = principal(HG_ROLE(COACH));
	struct hg_input in = {&coach, 0, {2026, 12, 2}};
	json_t *errs = json_array();
	json_t *body = parse_json("{\"teacher_id\":\"" OTHER "\",\"kind\":\"peer_coaching\"}");
	json_t *out = relationship_validate_create(body, &in, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "coach_id")), ME);
	assert_string_equal(json_string_value(json_object_get(out, "starts_on")), "2026-12-02");
	json_decref(out);
	json_decref(body);

	body = parse_json("{\"teacher_id\":\"x\",\"kind\":\"friends\",\"starts_on\":\"2026-13-01\",\"coach_id\":1,"
			  "\"extra\":true}");
	assert_null(relationship_validate_create(body, &in, errs));
	assert_true(names(errs, "teacher_id") && names(errs, "kind") && names(errs, "starts_on") &&
		    names(errs, "coach_id") && names(errs, "extra"));
	json_decref(body);
	json_array_clear(errs);

	body = parse_json("{\"teacher_id\":\"" ME "\",\"kind\":\"peer_coaching\"}"); /* oneself */
	assert_null(relationship_validate_create(body, &in, errs));
	assert_true(names(errs, "teacher_id"));
	json_decref(body);
	json_decref(errs);
}

static void test_validate_patch(void **state)
{
	(void)state;
	struct hg_input in = {NULL, 0, {2026, 12, 2}};
	json_t *errs = json_array();
	json_t *body = parse_json("{}");
	assert_null(relationship_validate_patch(body, &in, errs));
	assert_true(names(errs, ""));
	json_decref(body);
	json_array_clear(errs);
	body = parse_json("{\"ends_on\":\"2027-06-15\"}");
	json_t *out = relationship_validate_patch(body, &in, errs);
	assert_string_equal(json_string_value(json_object_get(out, "ends_on")), "2027-06-15");
	assert_string_equal(relationship_event_type(NULL, out), "relationship.ended");
	json_decref(out);
	json_decref(body);
	body = parse_json("{\"kind\":\"peer_coaching\"}");
	out = relationship_validate_patch(body, &in, errs);
	assert_string_equal(relationship_event_type(NULL, out), "relationship.updated");
	json_decref(out);
	json_decref(body);
	json_decref(errs);
}

static void test_rules(void **state)
{
	(void)state;
	struct hg_principal coach = principal(HG_ROLE(COACH)), admin = principal(HG_ROLE(DISTRICT_ADMIN));
	struct hg_principal leader = principal(HG_ROLE(SCHOOL_LEADER) | HG_ROLE(COACH));
	json_t *fields = parse_json("{\"coach_id\":\"" OTHER "\"}");
	assert_ptr_equal(relationship_rule_create(&coach, NULL, fields), HG_REASON(coaching, R_NOT_OWN_RELATIONSHIP));
	assert_null(relationship_rule_create(&admin, NULL, fields));
	json_decref(fields);

	/* the caller (ME) is the coach */
	json_t *mine = parse_json("{\"coach_id\":\"" ME "\",\"teacher_id\":\"" OTHER "\",\"kind\":\"peer_coaching\","
				  "\"status\":\"active\",\"starts_on\":\"2026-09-01\"}");
	json_t *end = parse_json("{\"ends_on\":\"2027-01-01\"}");
	json_t *early = parse_json("{\"ends_on\":\"2026-08-31\"}");
	json_t *same = parse_json("{\"kind\":\"peer_coaching\"}");
	assert_null(relationship_rule_change(&coach, mine, end));
	assert_null(relationship_rule_change(&coach, mine, early)); /* the dates are the next rule's */
	assert_ptr_equal(relationship_rule_dates(mine, early), HG_REASON(coaching, R_ENDS_BEFORE_START));
	assert_null(relationship_rule_dates(mine, end));
	assert_null(relationship_rule_dates(mine, same));
	assert_ptr_equal(relationship_rule_change(&coach, mine, same), &hg_reason_unchanged);
	json_object_set_new(mine, "status", json_string("ended"));
	assert_ptr_equal(relationship_rule_change(&coach, mine, end), HG_REASON(coaching, R_RELATIONSHIP_ENDED));

	/* the caller is someone else: the teacher, a leader, an admin, a stranger */
	json_t *theirs = parse_json("{\"coach_id\":\"" OTHER "\",\"teacher_id\":\"" ME "\",\"kind\":\"peer_coaching\","
				    "\"status\":\"active\",\"starts_on\":\"2026-09-01\"}");
	assert_ptr_equal(relationship_rule_change(&coach, theirs, end), HG_REASON(coaching, R_NOT_OWN_RELATIONSHIP));
	assert_null(relationship_rule_change(&admin, theirs, end));
	json_object_set_new(theirs, "teacher_id", json_string("44444444-4444-4444-8444-444444444444"));
	assert_ptr_equal(relationship_rule_change(&coach, theirs, end), &hg_reason_hidden);
	assert_ptr_equal(relationship_rule_change(&leader, theirs, end), HG_REASON(coaching, R_NOT_OWN_RELATIONSHIP));

	/* reading: the parties, leaders and admins */
	assert_ptr_equal(relationship_rule_read(&coach, theirs, NULL), &hg_reason_hidden);
	assert_null(relationship_rule_read(&leader, theirs, NULL));
	assert_null(relationship_rule_read(&admin, theirs, NULL));
	assert_null(relationship_rule_read(&coach, mine, NULL));
	json_decref(mine);
	json_decref(theirs);
	json_decref(end);
	json_decref(early);
	json_decref(same);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_create),
		cmocka_unit_test(test_validate_patch),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
