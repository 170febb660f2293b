/* suppress.h - small-cell and complementary suppression over a table of counts (pure: no HTTP, no SQL).
 *
 * Figures about people are published as a table: each cell is one group's count (respondents, educators), and
 * the totals of its rows and/or columns are published too (the margins). A cell is withheld when
 *
 *   - small cells: its count is below the minimum (zero included);
 *   - complementary suppression: in a line (a row or a column) whose total is published, the withheld cells
 *     are exactly one (it is the total minus the others), or add up to fewer than the minimum (a small group
 *     together); the smallest shown cell of that line (the first among equals) is withheld too, line after
 *     line, until no line needs one more;
 *   - a small overall group: when the grand total is below the overall minimum, everything is withheld.
 *
 * Used by the surveys' results and needs (one row per question, topic or group sizes: hg_suppress_row) and
 * the analytics equity audit. docs/surveys.md ("Suppression") has the rule with a worked example.
 */
#ifndef HG_SUPPRESS_H
#define HG_SUPPRESS_H

#include <stddef.h>

/* Which margins of a table are published (each makes its lines subject to complementary suppression). */
enum {
	HG_SUPPRESS_ROW_TOTALS = 1, /* each row's total */
	HG_SUPPRESS_COL_TOTALS = 2, /* each column's total */
};

/*
 * A table of rows x cols counts (row-major, counts[r * cols + c]) with the margins named by `margins`. Sets
 * withheld[r * cols + c] (1: withheld) by the small-cell rule (counts below min) and complementary suppression
 * in every published line, repeated until nothing changes. Returns 1 when the grand total is below min_overall
 * (every cell withheld), else 0. Pure; withheld needs rows * cols ints.
 */
int hg_suppress_table(const long *counts, size_t rows, size_t cols, int margins, long min, long min_overall,
		      int *withheld);

/*
 * One row of n cells whose total is the overall figure: hg_suppress_table of one row with its total
 * published. Returns 1 when the overall figure itself must be withheld (the total is below min_overall).
 */
int hg_suppress_row(const long *counts, size_t n, long min, long min_overall, int *withheld);

#endif
