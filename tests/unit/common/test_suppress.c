/* Unit tests: small-cell and complementary suppression (common/suppress.c); each table's right answer is
 * worked out by hand in the comment above it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/suppress.h"

#define MAXCELLS 16

static void table(const long *counts, size_t rows, size_t cols, int margins, long min, int expect_overall,
		  const int *expect)
{
	int withheld[MAXCELLS];
	for (size_t i = 0; i < MAXCELLS; i++)
		withheld[i] = -1; /* every cell must be set */
	assert_int_equal(hg_suppress_table(counts, rows, cols, margins, min, min, withheld), expect_overall);
	for (size_t i = 0; i < rows * cols; i++)
		if (withheld[i] != expect[i])
			fail_msg("cell %zu (row %zu, column %zu): withheld %d, expected %d", i, i / cols, i % cols,
				 withheld[i], expect[i]);
}

static void row(const long *counts, size_t n, long min, int expect_overall, const int *expect)
{
	int withheld[MAXCELLS];
	assert_int_equal(hg_suppress_row(counts, n, min, min, withheld), expect_overall);
	for (size_t i = 0; i < n; i++)
		if (withheld[i] != expect[i])
			fail_msg("cell %zu: withheld %d, expected %d", i, withheld[i], expect[i]);
}

static void test_a_small_cell_beside_big_ones(void **state)
{
	(void)state;
	/* 20, 20, 4 of a total of 44: the 4 is below 5; alone it would be 44 - 20 - 20, so the smallest shown
	 * cell, the first 20, goes with it. 44 - 20 = 24 is then all anyone can work out. */
	row((long[]){20, 20, 4}, 3, 5, 0, (int[]){1, 0, 1});
	/* 30, 20, 4: the smallest shown is the 20 */
	row((long[]){30, 20, 4}, 3, 5, 0, (int[]){0, 1, 1});
	/* nothing small: nothing withheld (5 is not below 5) */
	row((long[]){5, 6, 40}, 3, 5, 0, (int[]){0, 0, 0});
	/* zero is a small cell too: 0 beside 9 and 9 needs a complement */
	row((long[]){0, 9, 9}, 3, 5, 0, (int[]){1, 1, 0});
	/* another minimum: with 10, a 9 beside 12 and 30 takes the 12 with it */
	row((long[]){12, 9, 30}, 3, 10, 0, (int[]){1, 1, 0});
	/* one cell only, big enough: it is the total, shown */
	row((long[]){12}, 1, 5, 0, (int[]){0});
}

static void test_two_small_cells_in_one_row(void **state)
{
	(void)state;
	/* 3 and 2 make 5 together: not one cell alone, not below 5, nothing more */
	row((long[]){20, 3, 2}, 3, 5, 0, (int[]){0, 1, 1});
	/* 2 and 2 make 4, a small group together: the next smallest shown, the 9, too */
	row((long[]){20, 2, 2, 9}, 4, 5, 0, (int[]){0, 1, 1, 1});
	/* 1 and 1 make 2, +3 is 5: three small cells already enough */
	row((long[]){1, 1, 3, 50}, 4, 5, 0, (int[]){1, 1, 1, 0});
	/* 1, 1 and the next smallest, 4, make 6: still fine, the 50 stays */
	row((long[]){1, 50, 1, 4}, 4, 5, 0, (int[]){1, 0, 1, 1});
}

static void test_a_small_overall_group(void **state)
{
	(void)state;
	/* 2 + 2 = 4 in all, below 5: everything, and the overall figure, withheld */
	row((long[]){2, 2}, 2, 5, 1, (int[]){1, 1});
	row((long[]){1, 1, 1}, 3, 5, 1, (int[]){1, 1, 1});
	/* a table of 4 in all */
	table((long[]){1, 1, 1, 1}, 2, 2, HG_SUPPRESS_ROW_TOTALS | HG_SUPPRESS_COL_TOTALS, 5, 1, (int[]){1, 1, 1, 1});
	/* no cells: nothing in all */
	int none[1] = {7};
	assert_int_equal(hg_suppress_row((long[]){0}, 0, 5, 5, none), 1);
	assert_int_equal(none[0], 7);
}

static void test_a_table_with_both_margins(void **state)
{
	(void)state;
	/*
	 *        A   B   C
	 *   r0  20  20   4      the 4 is small; r0's total would give it back, so r0's smallest shown, A (20),
	 *   r1  20  30  25      goes too; then columns A and C each have one withheld cell, so r1's A (20) and C (25)
	 *                       go; r1 now has two withheld (45), every line is safe: A and C of both rows withheld.
	 */
	const long t[] = {20, 20, 4, 20, 30, 25};
	table(t, 2, 3, HG_SUPPRESS_ROW_TOTALS | HG_SUPPRESS_COL_TOTALS, 5, 0, (int[]){1, 0, 1, 1, 0, 1});
	/* only the rows' totals published: r0 alone */
	table(t, 2, 3, HG_SUPPRESS_ROW_TOTALS, 5, 0, (int[]){1, 0, 1, 0, 0, 0});
	/* only the columns' totals: column C alone */
	table(t, 2, 3, HG_SUPPRESS_COL_TOTALS, 5, 0, (int[]){0, 0, 1, 0, 0, 1});
	/*
	 *   10 10 10      the 3 is small; its row's smallest shown is the first 10 (r1 c0); column 0 then has one
	 *   10  3 10      withheld, so r0 c0; column 1 has one (the 3), so r0 c1; r0 now has two (20): a 2 x 2
	 *   10 10 10      block is withheld and every line holds two or none.
	 */
	table((long[]){10, 10, 10, 10, 3, 10, 10, 10, 10}, 3, 3, HG_SUPPRESS_ROW_TOTALS | HG_SUPPRESS_COL_TOTALS, 5, 0,
	      (int[]){1, 1, 0, 1, 1, 0, 0, 0, 0});
	/* no margins published: small cells only */
	table(t, 2, 3, 0, 5, 0, (int[]){0, 0, 1, 0, 0, 0});
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_small_cell_beside_big_ones),
		cmocka_unit_test(test_two_small_cells_in_one_row),
		cmocka_unit_test(test_a_small_overall_group),
		cmocka_unit_test(test_a_table_with_both_margins),
	};
	return cmocka_run_group_tests_name("suppress", tests, NULL, NULL);
}
