/* Unit tests: the equity audit's figures, best group, gaps, four-fifths flags and suppression
 * (services/analytics/equity.c); each answer is worked out by hand in the comment above it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "services/analytics/equity.h"
#include "tests/unit/support.h"

static json_t *group(json_t *doc, size_t dim, size_t i)
{
	return json_array_get(json_object_get(json_array_get(json_object_get(doc, "dimensions"), dim), "groups"), i);
}

static double num(json_t *g, const char *name) { return json_number_value(json_object_get(g, name)); }

static void test_measures(void **state)
{
	(void)state;
	enum equity_measure m;
	assert_true(equity_measure_parse(NULL, &m) && m == EQ_PARTICIPATION_RATE);
	assert_true(equity_measure_parse("mean_hours", &m) && m == EQ_MEAN_HOURS);
	assert_true(equity_measure_parse("coaching_reach", &m) && m == EQ_COACHING_REACH);
	assert_string_equal(equity_measure_name(EQ_COACHING_REACH), "coaching_reach");
	assert_false(equity_measure_parse("hours", &m));
	assert_false(equity_measure_parse("", &m));
	assert_string_equal(equity_measure_name(EQ_MEAN_HOURS), "mean_hours");
}

/*
 * locale: city 12 educators (9 took part, 18 h), rural 4 (4, 8 h), suburb 10 (5, 25 h), town 6 (3, 6 h);
 * career_stage: new 20 (10, 0 h) and the unknown 12 (9, 0 h). rural < 5: withheld, its complement town (6).
 * Rate: best city 0.75; suburb 0.5 = ratio 0.6667, gap 0.25, flagged (0.5 < 0.6). Hours: best suburb 2.5;
 * city 1.5 = ratio 0.6, gap 1.0, flagged. career_stage: the unknown group (0.75) is never the best: new (0.5).
 */
static json_t *counts(void)
{
	return parse_json(
		"{\"overall\":{\"educators\":32,\"participants\":21,\"hours_cents\":5700},\"groups\":["
		"{\"dimension\":\"career_stage\",\"key\":\"new\",\"educators\":20,\"participants\":10,\"hours_cents\":0},"
		"{\"dimension\":\"career_stage\",\"key\":null,\"educators\":12,\"participants\":9,\"hours_cents\":0},"
		"{\"dimension\":\"locale\",\"key\":\"city\",\"educators\":12,\"participants\":9,\"hours_cents\":1800},"
		"{\"dimension\":\"locale\",\"key\":\"rural\",\"educators\":4,\"participants\":4,\"hours_cents\":800},"
		"{\"dimension\":\"locale\",\"key\":\"suburb\",\"educators\":10,\"participants\":5,\"hours_cents\":2500},"
		"{\"dimension\":\"locale\",\"key\":\"town\",\"educators\":6,\"participants\":3,\"hours_cents\":600}]}");
}

static void test_rate_by_hand(void **state)
{
	(void)state;
	json_t *c = counts();
	json_t *doc = equity_build(c, EQ_PARTICIPATION_RATE, 5);
	json_t *o = json_object_get(doc, "overall");
	assert_int_equal(json_integer_value(json_object_get(o, "educators")), 32);
	assert_true(num(o, "participation_rate") == 0.6563); /* 21/32 = 0.65625 */
	assert_true(num(o, "mean_hours") == 1.78);
	json_t *locale = json_array_get(json_object_get(doc, "dimensions"), 0);
	assert_string_equal(json_string_value(json_object_get(locale, "dimension")), "locale");
	assert_string_equal(json_string_value(json_object_get(locale, "best")), "city");
	assert_true(num(group(doc, 0, 0), "ratio") == 1.0);
	assert_true(json_is_false(json_object_get(group(doc, 0, 0), "below_four_fifths")));
	assert_string_equal(json_string_value(json_object_get(group(doc, 0, 1), "withheld")), "fewer_than_minimum");
	assert_true(json_is_null(json_object_get(group(doc, 0, 1), "educators")));
	json_t *suburb = group(doc, 0, 2);
	assert_true(num(suburb, "value") == 0.5);
	assert_true(num(suburb, "ratio") == 0.6667);
	assert_true(num(suburb, "gap") == 0.25);
	assert_true(json_is_true(json_object_get(suburb, "below_four_fifths")));
	assert_string_equal(json_string_value(json_object_get(group(doc, 0, 3), "withheld")), "complementary");
	/* career_stage is listed last; its unknown group is shown but not the best */
	json_t *stage = json_array_get(json_object_get(doc, "dimensions"), 3);
	assert_string_equal(json_string_value(json_object_get(stage, "best")), "new");
	assert_true(num(group(doc, 3, 1), "ratio") == 1.5);
	assert_true(num(group(doc, 3, 1), "gap") == -0.25);
	/* dimensions without counts: no groups, no best */
	json_t *poverty = json_array_get(json_object_get(doc, "dimensions"), 1);
	assert_int_equal(json_array_size(json_object_get(poverty, "groups")), 0);
	assert_true(json_is_null(json_object_get(poverty, "best")));
	json_decref(doc);
	json_decref(c);
}

static void test_hours_by_hand(void **state)
{
	(void)state;
	json_t *c = counts();
	json_t *doc = equity_build(c, EQ_MEAN_HOURS, 5);
	assert_string_equal(json_string_value(json_object_get(doc, "measure")), "mean_hours");
	json_t *locale = json_array_get(json_object_get(doc, "dimensions"), 0);
	assert_string_equal(json_string_value(json_object_get(locale, "best")), "suburb");
	json_t *city = group(doc, 0, 0);
	assert_true(num(city, "value") == 1.5);
	assert_true(num(city, "ratio") == 0.6);
	assert_true(num(city, "gap") == 1.0);
	assert_true(json_is_true(json_object_get(city, "below_four_fifths")));
	/* nobody has hours in career_stage: no ratio or flag, gap 0 */
	json_t *fresh = group(doc, 3, 0);
	assert_true(json_is_null(json_object_get(fresh, "ratio")));
	assert_true(json_is_null(json_object_get(fresh, "below_four_fifths")));
	assert_true(num(fresh, "gap") == 0.0);
	json_decref(doc);
	json_decref(c);
}

/* Exactly four fifths is not below it: 4 of 10 beside 5 of 10. 3 of 10 beside 5 of 10 is. */
static void test_four_fifths_edge(void **state)
{
	(void)state;
	json_t *c = parse_json(
		"{\"overall\":{\"educators\":30,\"participants\":12,\"hours_cents\":0},\"groups\":["
		"{\"dimension\":\"poverty\",\"key\":\"high\",\"educators\":10,\"participants\":4,\"hours_cents\":0},"
		"{\"dimension\":\"poverty\",\"key\":\"low\",\"educators\":10,\"participants\":5,\"hours_cents\":0},"
		"{\"dimension\":\"poverty\",\"key\":\"mid-low\",\"educators\":10,\"participants\":3,\"hours_cents\":0}]}");
	json_t *doc = equity_build(c, EQ_PARTICIPATION_RATE, 5);
	assert_true(json_is_false(json_object_get(group(doc, 1, 0), "below_four_fifths")));
	assert_true(num(group(doc, 1, 0), "ratio") == 0.8);
	assert_true(json_is_true(json_object_get(group(doc, 1, 2), "below_four_fifths")));
	json_decref(doc);
	json_decref(c);
}

/* Fewer than 5 in all: everything withheld, no best. */
static void test_small_overall(void **state)
{
	(void)state;
	json_t *c = parse_json(
		"{\"overall\":{\"educators\":4,\"participants\":4,\"hours_cents\":800},\"groups\":["
		"{\"dimension\":\"locale\",\"key\":\"city\",\"educators\":4,\"participants\":4,\"hours_cents\":800}]}");
	json_t *doc = equity_build(c, EQ_PARTICIPATION_RATE, 5);
	json_t *o = json_object_get(doc, "overall");
	assert_true(json_is_null(json_object_get(o, "educators")));
	assert_string_equal(json_string_value(json_object_get(o, "withheld")), "fewer_than_minimum");
	assert_string_equal(json_string_value(json_object_get(group(doc, 0, 0), "withheld")), "fewer_than_minimum");
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(doc, "dimensions"), 0), "best")));
	json_decref(doc);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measures),      cmocka_unit_test(test_rate_by_hand),
		cmocka_unit_test(test_hours_by_hand), cmocka_unit_test(test_four_fifths_edge),
		cmocka_unit_test(test_small_overall),
	};
	return cmocka_run_group_tests_name("equity", tests, NULL, NULL);
}
