/* Unit tests: the mixing bins, the response rules and what an anonymous event may say
 * (services/surveys/response.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/record.h"
#include "common/roles.h"
#include "services/surveys/reasons.h"
#include "services/surveys/response.h"
#include "tests/unit/support.h"

static void test_mixing_bins(void **state)
{
	(void)state;
	long first, last;
	response_bins_to_mix(0, &first, &last);
	assert_true(first == 0 && last == 0);
	response_bins_to_mix(4, &first, &last); /* the fifth fills bin 0: it alone */
	assert_true(first == 0 && last == 0);
	response_bins_to_mix(5, &first, &last); /* the sixth starts bin 1: bins 0 and 1 */
	assert_true(first == 0 && last == 1);
	response_bins_to_mix(9, &first, &last);
	assert_true(first == 1 && last == 1);
	response_bins_to_mix(12, &first, &last);
	assert_true(first == 1 && last == 2);
}

static void test_submit_rules(void **state)
{
	(void)state;
	struct hg_principal teacher = {.roles = HG_ROLE(TEACHER)}, admin = {.roles = HG_ROLE(DISTRICT_ADMIN)};
	struct response_survey s = {.status = "open", .opens_us = 100, .closes_us = 200, .in_audience = 1};
	assert_null(response_rule_submit(&teacher, &s, 100));
	assert_ptr_equal(response_rule_submit(&teacher, &s, 99), SURVEYS_REFUSE(R_WINDOW_NOT_STARTED));
	assert_ptr_equal(response_rule_submit(&teacher, &s, 200), SURVEYS_REFUSE(R_WINDOW_ENDED));
	s.in_audience = 0;
	assert_ptr_equal(response_rule_submit(&teacher, &s, 150), SURVEYS_REFUSE(R_NOT_IN_AUDIENCE));
	snprintf(s.status, sizeof(s.status), "closed");
	assert_ptr_equal(response_rule_submit(&teacher, &s, 150), SURVEYS_REFUSE(R_SURVEY_NOT_OPEN));
	snprintf(s.status, sizeof(s.status), "draft");
	assert_ptr_equal(response_rule_submit(&teacher, &s, 150), &hg_reason_hidden);
	assert_ptr_equal(response_rule_submit(&admin, &s, 150), SURVEYS_REFUSE(R_SURVEY_NOT_OPEN));
}

static void test_anonymous_event_data(void **state)
{
	(void)state;
	json_t *d = response_event_data("anonymous", "s", "me", "2026-12-02", "school", 4, 5);
	assert_null(json_object_get(d, "educator_id"));
	assert_null(json_object_get(d, "school_id"));
	json_decref(d);
	d = response_event_data("anonymous", "s", "me", "2026-12-02", "school", 5, 5);
	assert_string_equal(json_string_value(json_object_get(d, "school_id")), "school");
	assert_null(json_object_get(d, "educator_id"));
	json_decref(d);
	d = response_event_data("confidential", "s", "me", "2026-12-02", NULL, 0, 5);
	assert_string_equal(json_string_value(json_object_get(d, "educator_id")), "me");
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixing_bins),
		cmocka_unit_test(test_submit_rules),
		cmocka_unit_test(test_anonymous_event_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
