/* suppress.c - small-cell and complementary suppression over a table of counts (pure). */
#include "common/suppress.h"

/* One line of n cells, stride apart: while its withheld cells are exactly one, or add up to fewer than min,
 * withhold the smallest shown cell (the first among equals). Returns 1 when it withheld anything. */
static int complete_line(const long *counts, int *withheld, size_t n, size_t stride, long min)
{
	size_t nwithheld = 0;
	long sum = 0;
	int changed = 0;
	for (size_t i = 0; i < n; i++)
		if (withheld[i * stride]) {
			nwithheld++;
			sum += counts[i * stride];
		}
	while (nwithheld > 0 && (nwithheld == 1 || sum < min) && nwithheld < n) {
		size_t pick = n;
		for (size_t i = 0; i < n; i++)
			if (!withheld[i * stride] && (pick == n || counts[i * stride] < counts[pick * stride]))
				pick = i;
		withheld[pick * stride] = 1;
		nwithheld++;
		sum += counts[pick * stride];
		changed = 1;
	}
	return changed;
}

int hg_suppress_table(const long *counts, size_t rows, size_t cols, int margins, long min, long min_overall,
		      int *withheld)
{
	size_t n = rows * cols;
	long total = 0;
	for (size_t i = 0; i < n; i++)
		total += counts[i];
	if (total < min_overall) {
		for (size_t i = 0; i < n; i++)
			withheld[i] = 1;
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		withheld[i] = counts[i] < min;
	/* Each pass withholds at least one more cell or ends, so at most n passes. */
	int changed = 1;
	while (changed) {
		changed = 0;
		if (margins & HG_SUPPRESS_ROW_TOTALS)
			for (size_t r = 0; r < rows; r++)
				changed |= complete_line(counts + r * cols, withheld + r * cols, cols, 1, min);
		if (margins & HG_SUPPRESS_COL_TOTALS)
			for (size_t c = 0; c < cols; c++)
				changed |= complete_line(counts + c, withheld + c, rows, cols, min);
	}
	return 0;
}

int hg_suppress_row(const long *counts, size_t n, long min, long min_overall, int *withheld)
{
	return hg_suppress_table(counts, 1, n, HG_SUPPRESS_ROW_TOTALS, min, min_overall, withheld);
}
