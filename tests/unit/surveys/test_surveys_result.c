/* Unit tests: suppression and the results' figures (services/surveys/result.c); each dataset's right answer
 * is worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/record.h"
#include "common/roles.h"
#include "common/suppress.h"
#include "services/surveys/reasons.h"
#include "services/surveys/response.h"
#include "services/surveys/result.h"
#include "tests/unit/support.h"

static void row(const long *counts, size_t n, int expect_overall, const int *expect)
{
	int withheld[8] = {0};
	assert_int_equal(hg_suppress_row(counts, n, 5, 5, withheld), expect_overall);
	for (size_t i = 0; i < n; i++)
		if (withheld[i] != expect[i])
			fail_msg("cell %zu: withheld %d, expected %d", i, withheld[i], expect[i]);
}

static void test_small_cell_and_its_complement(void **state)
{
	(void)state;
	/* 4 beside 20 and 20: the 4 and the first of the smallest shown cells */
	row((long[]){20, 20, 4}, 3, 0, (int[]){1, 0, 1});
	row((long[]){30, 20, 4}, 3, 0, (int[]){0, 1, 1});
	/* two small cells that make 5 together: nothing more */
	row((long[]){20, 3, 2}, 3, 0, (int[]){0, 1, 1});
	/* two small cells that make 4 together: the next smallest too */
	row((long[]){20, 2, 2, 9}, 4, 0, (int[]){0, 1, 1, 1});
	/* nothing small: nothing withheld; zero is below the minimum */
	row((long[]){5, 6}, 2, 0, (int[]){0, 0});
	row((long[]){0, 9, 9}, 3, 0, (int[]){1, 1, 0});
	/* a small overall group: everything */
	row((long[]){2, 2}, 2, 1, (int[]){1, 1});
	/* one group only, big enough: shown (it is the overall figure) */
	row((long[]){12}, 1, 0, (int[]){0});
}

/* Overall only: 44 respondents, a scale answered 5 x20, 4 x20, 1 x4; a retrospective item 2->4 x20, 3->4 x20,
 * 1->5 x4, both in topic "t". mean 184/44 = 4.18; favourable 40/44 = 90.9; change (40+20+16)/44 = 1.73;
 * topic (184 + 180)/88 = 4.14. */
static void test_figures_by_hand(void **state)
{
	(void)state;
	json_t *questions = parse_json(
		"[{\"id\":\"u\",\"type\":\"scale\",\"topic\":\"t\"},{\"id\":\"c\",\"type\":\"retrospective\",\"topic\":\"t\"},"
		"{\"id\":\"x\",\"type\":\"text\"}]");
	json_t *groups = parse_json("[{\"key\":null,\"respondents\":44}]");
	json_t *resp = parse_json("[{\"group\":null,\"question\":\"u\",\"count\":44},"
				  "{\"group\":null,\"question\":\"c\",\"count\":44},"
				  "{\"group\":null,\"question\":\"x\",\"count\":9}]");
	json_t *answers = parse_json("[{\"group\":null,\"question\":\"u\",\"value\":\"5\",\"count\":20},"
				     "{\"group\":null,\"question\":\"u\",\"value\":\"4\",\"count\":20},"
				     "{\"group\":null,\"question\":\"u\",\"value\":\"1\",\"count\":4},"
				     "{\"group\":null,\"question\":\"c\",\"value\":\"2:4\",\"count\":20},"
				     "{\"group\":null,\"question\":\"c\",\"value\":\"3:4\",\"count\":20},"
				     "{\"group\":null,\"question\":\"c\",\"value\":\"1:5\",\"count\":4}]");
	json_t *texts = json_object();
	json_t *doc = result_build(questions, groups, resp, answers, texts, NULL, 5, 10);
	json_t *o = json_object_get(doc, "overall");
	json_t *u = json_object_get(json_object_get(o, "questions"), "u");
	assert_int_equal(json_integer_value(json_object_get(u, "count")), 44);
	assert_true(json_real_value(json_object_get(u, "mean")) == 4.18);
	assert_true(json_real_value(json_object_get(u, "percent_favourable")) == 90.9);
	json_t *c = json_object_get(json_object_get(o, "questions"), "c");
	assert_true(json_real_value(json_object_get(json_object_get(c, "change"), "mean")) == 1.73);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(json_object_get(c, "change"), "distribution"), "4")),
		4);
	json_t *t = json_object_get(json_object_get(o, "topics"), "t");
	assert_true(json_real_value(json_object_get(t, "score")) == 4.14);
	/* 9 free-text answers: below the free-text minimum of 10 */
	json_t *x = json_object_get(json_object_get(o, "questions"), "x");
	assert_string_equal(json_string_value(json_object_get(x, "withheld")), "fewer_than_minimum");
	assert_int_equal(json_integer_value(json_object_get(doc, "respondents")), 44);
	json_decref(doc);
	json_decref(texts);
	json_decref(answers);
	json_decref(resp);
	json_decref(groups);
	json_decref(questions);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_cell_and_its_complement),
		cmocka_unit_test(test_figures_by_hand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
