/* Unit tests: the results as CSV (services/surveys/result_csv.c), needs by topic and the period
 * (services/surveys/needs.c), the settings' validation (services/surveys/settings.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "services/surveys/needs.h"
#include "services/surveys/result_csv.h"
#include "services/surveys/settings.h"
#include "tests/unit/support.h"

static void field_is(const char *in, const char *out)
{
	char *f = result_csv_field(in);
	if (strcmp(f, out) != 0)
		fail_msg("%s: got %s, expected %s", in, f, out);
	free(f);
}

static void test_csv_fields(void **state)
{
	(void)state;
	field_is("plain", "plain");
	field_is("", "");
	field_is("=1+1", "\"'=1+1\"");
	field_is("+SUM(A1)", "\"'+SUM(A1)\"");
	field_is("-2+3", "\"'-2+3\"");
	field_is("@cmd", "\"'@cmd\"");
	field_is("\tx", "\"'\tx\"");
	field_is("\rx", "\"'\rx\"");
	/* plain numbers are not formulas */
	field_is("-0.5", "-0.5");
	field_is("+4", "+4");
	field_is("-4", "-4");
	field_is("-4.", "\"'-4.\"");
	/* quoting */
	field_is("a, b", "\"a, b\"");
	field_is("say \"hi\"", "\"say \"\"hi\"\"\"");
	field_is("two\nlines", "\"two\nlines\"");
	field_is("=\"x\"", "\"'=\"\"x\"\"\"");
}

static void test_csv_document(void **state)
{
	(void)state;
	json_t *doc =
		json_loads("{\"respondents\": 9, \"response_rate\": {\"invited\": 10, \"responded\": 9, \"rate\": "
			   "90.0}, \"overall\": {\"questions\": {\"q\": {\"count\": 9, \"distribution\": "
			   "{\"1\": 9}, \"mean\": 1.0, \"texts\": [\"=x\"]}}, \"topics\": {}}, \"groups\": [{\"key\": "
			   "\"s\", \"respondents\": null, \"withheld\": \"fewer_than_minimum\", \"questions\": {\"q\": "
			   "{\"count\": null, \"withheld\": \"group_withheld\"}}, \"topics\": {}}]}",
			   0, NULL);
	assert_non_null(doc);
	char *csv = result_csv(doc);
	const char *want = "scope,group,row,item,metric,category,value,withheld\r\n"
			   "overall,,response_rate,,invited,,10,\r\n"
			   "overall,,response_rate,,responded,,9,\r\n"
			   "overall,,response_rate,,rate,,90,\r\n"
			   "overall,,respondents,,count,,9,\r\n"
			   "overall,,question,q,count,,9,\r\n"
			   "overall,,question,q,distribution,1,9,\r\n"
			   "overall,,question,q,mean,,1,\r\n"
			   "overall,,question,q,text,,\"'=x\",\r\n"
			   "group,s,respondents,,count,,,fewer_than_minimum\r\n"
			   "group,s,question,q,count,,,group_withheld\r\n";
	assert_string_equal(csv, want);
	free(csv);
	json_decref(doc);
}

static void test_periods(void **state)
{
	(void)state;
	char from[16], to[16];
	assert_true(needs_period("2026", from, to));
	assert_string_equal(from, "2026-01-01");
	assert_string_equal(to, "2027-01-01");
	assert_true(needs_period("2025-26", from, to));
	assert_string_equal(from, "2025-07-01");
	assert_string_equal(to, "2026-07-01");
	assert_true(needs_period("1999-00", from, to));
	const char *bad[] = {"",     "26",   "2026-27x", "2026-28", "20x6",    "2026-",
			     "0999", "9999", "2100",     "1899-00", "2026/27", "-2026"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (needs_period(bad[i], from, to))
			fail_msg("%s accepted", bad[i]);
}

/* Schools A 6, B 6, C 4; topic n: A 5s, B 4s, C 1s; topic m: A 2s, B 2s, C 5s. */
static json_t *needs_rows(void)
{
	return json_loads("["
			  "{\"topic\": \"m\", \"school\": \"a\", \"respondents\": 6, \"sum\": 12, \"answers\": 6},"
			  "{\"topic\": \"m\", \"school\": \"b\", \"respondents\": 6, \"sum\": 12, \"answers\": 6},"
			  "{\"topic\": \"m\", \"school\": \"c\", \"respondents\": 4, \"sum\": 20, \"answers\": 4},"
			  "{\"topic\": \"n\", \"school\": \"a\", \"respondents\": 6, \"sum\": 30, \"answers\": 6},"
			  "{\"topic\": \"n\", \"school\": \"b\", \"respondents\": 6, \"sum\": 24, \"answers\": 6},"
			  "{\"topic\": \"n\", \"school\": \"c\", \"respondents\": 4, \"sum\": 4, \"answers\": 4}]",
			  0, NULL);
}

static void test_needs_by_hand(void **state)
{
	(void)state;
	json_t *rows = needs_rows();
	json_t *doc = needs_build(rows, NULL, 5);
	json_t *t = json_object_get(doc, "topics");
	assert_int_equal(json_array_size(t), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(t, 0), "topic")), "n");
	assert_true(json_real_value(json_object_get(json_array_get(t, 0), "mean_need")) == 3.63);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 0), "rank")), 1);
	assert_true(json_real_value(json_object_get(json_array_get(t, 1), "mean_need")) == 2.75);
	json_decref(doc);
	/* c is small; a (the first of the 6s) is its complement; b is shown */
	const char *want[3] = {"complementary", NULL, "fewer_than_minimum"};
	const char *schools[3] = {"a", "b", "c"};
	for (int i = 0; i < 3; i++) {
		doc = needs_build(rows, schools[i], 5);
		json_t *first = json_array_get(json_object_get(doc, "topics"), 0);
		json_t *why = json_object_get(first, "withheld");
		if (want[i] == NULL) {
			assert_null(why);
			assert_true(json_real_value(json_object_get(first, "mean_need")) == 4.0);
		} else {
			assert_string_equal(json_string_value(why), want[i]);
			assert_true(json_is_null(json_object_get(first, "mean_need")));
		}
		json_decref(doc);
	}
	/* a minimum of 3: nothing withheld, c's need is math */
	doc = needs_build(rows, "c", 3);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(json_object_get(doc, "topics"), 0), "topic")), "m");
	json_decref(doc);
	/* a small district: everything withheld */
	doc = needs_build(rows, NULL, 20);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(json_object_get(doc, "topics"), 0), "withheld")),
		"fewer_than_minimum");
	json_decref(doc);
	json_decref(rows);
}

static void test_settings_validation(void **state)
{
	(void)state;
	json_t *errs = json_array();
	json_t *body = json_loads("{\"min_cell\": 2, \"min_text\": 1001, \"x\": 1}", 0, NULL);
	assert_null(settings_validate(body, NULL, errs));
	assert_int_equal(json_array_size(errs), 3);
	json_decref(body);
	json_array_clear(errs);
	body = json_loads("{\"min_cell\": 3, \"min_text\": 1000}", 0, NULL);
	json_t *ok = settings_validate(body, NULL, errs);
	assert_non_null(ok);
	assert_int_equal(json_integer_value(json_object_get(ok, "min_cell")), 3);
	json_decref(ok);
	json_decref(body);
	json_decref(errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_fields),
		cmocka_unit_test(test_csv_document),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_needs_by_hand),
		cmocka_unit_test(test_settings_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
