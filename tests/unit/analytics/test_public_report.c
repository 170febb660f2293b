/* Unit tests: the public aggregate report (services/analytics/public_report.c) - suppression of each dimension
 * worked out by hand, everything withheld for a small district, the CSV rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "services/analytics/offering_summary.h"
#include "services/analytics/public_report.h"
#include "tests/unit/support.h"

/* One participation answer of n groups: key i is keys[i] (NULL: the group without the attribute). */
static json_t *answer(const char *const *keys, const long *educators, size_t n)
{
	json_t *groups = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(groups, json_pack("{s:s?, s:I, s:I, s:f, s:f, s:f}", "key", keys[i], "educators",
							(json_int_t)educators[i], "participants", (json_int_t)1,
							"participation_rate", 1.0 / (double)educators[i], "hours", 2.5,
							"mean_hours", 2.5 / (double)educators[i]));
	return json_pack("{s:o, s:b}", "groups", groups, "truncated", 0);
}

static const char *withheld_of(json_t *report, size_t dim, size_t group)
{
	json_t *g = json_array_get(
		json_object_get(json_array_get(json_object_get(report, "dimensions"), dim), "groups"), group);
	return json_string_value(json_object_get(g, "withheld"));
}

static void build(long overall_educators, json_t **report)
{
	/* school: A 6, B 8, C 2 -> C small, A its complement; locale: city 14, rural 2 -> both; poverty 8/8 shown;
	 * title_i 8/8 shown; career stage: one group of 16 shown. */
	const char *schools[] = {"a", "b", "c"}, *locales[] = {"city", "rural"}, *poverty[] = {"high", "low"},
		   *title[] = {"false", "true"}, *stage[] = {NULL};
	const long s_n[] = {6, 8, 2}, l_n[] = {14, 2}, p_n[] = {8, 8}, t_n[] = {8, 8}, c_n[] = {16};
	json_t *by[5] = {answer(schools, s_n, 3), answer(locales, l_n, 2), answer(poverty, p_n, 2),
			 answer(title, t_n, 2), answer(stage, c_n, 1)};
	json_t *overall =
		json_pack("{s:I, s:I, s:f, s:f, s:f}", "educators", (json_int_t)overall_educators, "participants",
			  (json_int_t)6, "participation_rate", 0.375, "hours", 18.0, "mean_hours", 1.13);
	*report = public_report_build(overall, by, PUBLIC_MIN_CELL);
	json_decref(overall);
	for (size_t i = 0; i < 5; i++)
		json_decref(by[i]);
}

static void test_suppression(void **state)
{
	(void)state;
	json_t *r = NULL;
	build(16, &r);
	assert_int_equal(json_integer_value(json_object_get(r, "min_cell")), 5);
	assert_null(withheld_of(r, 0, 1));
	assert_string_equal(withheld_of(r, 0, 0), "complementary");
	assert_string_equal(withheld_of(r, 0, 2), "fewer_than_minimum");
	assert_string_equal(withheld_of(r, 1, 0), "complementary");
	assert_string_equal(withheld_of(r, 1, 1), "fewer_than_minimum");
	for (size_t d = 2; d < 4; d++)
		for (size_t g = 0; g < 2; g++)
			assert_null(withheld_of(r, d, g));
	assert_null(withheld_of(r, 4, 0));
	/* a withheld group keeps its key, shows no figure */
	json_t *c = json_array_get(json_object_get(json_array_get(json_object_get(r, "dimensions"), 0), "groups"), 2);
	assert_string_equal(json_string_value(json_object_get(c, "key")), "c");
	assert_true(json_is_null(json_object_get(c, "educators")) && json_is_null(json_object_get(c, "hours")));
	assert_true(json_is_null(json_object_get(json_object_get(r, "overall"), "withheld")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "overall"), "educators")), 16);
	json_decref(r);
}

static void test_small_district(void **state)
{
	(void)state;
	json_t *r = NULL;
	build(4, &r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "overall"), "withheld")),
			    "fewer_than_minimum");
	assert_true(json_is_null(json_object_get(json_object_get(r, "overall"), "participants")));
	for (size_t d = 0; d < 5; d++)
		assert_string_equal(withheld_of(r, d, 0), "fewer_than_minimum");
	json_decref(r);
}

static void test_csv(void **state)
{
	(void)state;
	json_t *r = NULL;
	struct hg_csv csv = {NULL, 0, 0};
	build(16, &r);
	public_report_csv(r, &csv);
	const char *expect_start = "dimension,key,name,educators,participants,participation_rate,hours,mean_hours,"
				   "withheld\r\noverall,,,16,6,0.375,18,1.13,\r\nschool,a,,,,,,,complementary\r\n"
				   "school,b,,8,1,0.125,2.5,0.3125,\r\nschool,c,,,,,,,fewer_than_minimum\r\n";
	if (strncmp(csv.data, expect_start, strlen(expect_start)) != 0)
		fail_msg("got %s", csv.data);
	assert_non_null(strstr(csv.data, "career_stage,,,16,1,0.0625,2.5,0.15625,\r\n"));
	free(csv.data);
	json_decref(r);
}

static void test_offerings(void **state)
{
	(void)state;
	json_t *counts = parse_json(
		"{\"offerings\": [{\"activity_id\": \"a\", \"title\": \"=X, y\", \"type\": \"Coaching\", \"sessions\": 2,"
		" \"participants\": 6, \"attendances\": 10, \"hours_cents\": 2400, \"completers\": 2, \"coached\": 3},"
		" {\"activity_id\": \"b\", \"title\": \"Y\", \"type\": \"Other\", \"sessions\": 1, \"participants\": 4,"
		" \"attendances\": 4, \"hours_cents\": 400, \"completers\": 4, \"coached\": 0}], \"offering_count\": 3}");
	json_t *s = offering_summary_build(counts, 5);
	json_t *expect = parse_json(
		"{\"min_cell\": 5, \"truncated\": true, \"offerings\": ["
		" {\"activity_id\": \"a\", \"title\": \"=X, y\", \"type\": \"Coaching\", \"sessions\": 2,"
		"  \"participants\": 6, \"attendances\": 10, \"mean_sessions_attended\": 1.67, \"hours\": 24.0,"
		"  \"completers\": 2, \"completion_rate\": 0.3333, \"coaching_follow_up\": 3,"
		"  \"coaching_follow_up_rate\": 0.5, \"satisfaction\": null, \"confidence_change\": null, \"withheld\": null},"
		" {\"activity_id\": \"b\", \"title\": \"Y\", \"type\": \"Other\", \"sessions\": 1, \"participants\": null,"
		"  \"attendances\": null, \"mean_sessions_attended\": null, \"hours\": null, \"completers\": null,"
		"  \"completion_rate\": null, \"coaching_follow_up\": null, \"coaching_follow_up_rate\": null,"
		"  \"satisfaction\": null, \"confidence_change\": null, \"withheld\": \"fewer_than_minimum\"}]}");
	if (!json_equal(s, expect))
		fail_msg("got %s", json_dumps(s, 0));
	struct hg_csv csv = {NULL, 0, 0};
	offering_summary_csv(s, &csv);
	assert_string_equal(csv.data,
			    "activity_id,title,type,sessions,participants,attendances,mean_sessions_attended,hours,"
			    "completers,completion_rate,coaching_follow_up,coaching_follow_up_rate,satisfaction,"
			    "confidence_change,withheld\r\n"
			    "a,\"'=X, y\",Coaching,2,6,10,1.67,24,2,0.3333,3,0.5,,,\r\n"
			    "b,Y,Other,1,,,,,,,,,,,fewer_than_minimum\r\n");
	free(csv.data);
	json_decref(expect);
	json_decref(s);
	json_decref(counts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suppression),
		cmocka_unit_test(test_small_district),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_offerings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
