/* period.c - ?period= as a UTC date range (pure). */
#include "services/analytics/period.h"

#include <stdio.h>
#include <string.h>

/* Exactly n decimal digits at s, as a number; -1 otherwise. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* y is 1..9999, m 1..12, d 1..31 here; the remainders tell the compiler the widths (11 bytes with the NUL). */
static void day(char *out, int y, int m, int d)
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

/* [y1-m1-01, y2-m2-01) */
static void range(struct period *out, int y1, int m1, int y2, int m2)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int ly = m2 == 1 ? y2 - 1 : y2, lm = m2 == 1 ? 12 : m2 - 1;
	int ld = days[lm - 1] + (lm == 2 && ((ly % 4 == 0 && ly % 100 != 0) || ly % 400 == 0));
	day(out->from, y1, m1, 1);
	day(out->to, y2, m2, 1);
	day(out->last, ly, lm, ld);
}

enum hg_status period_parse(const char *text, struct period *out)
{
	size_t len = text != NULL ? strlen(text) : 0;
	int y = len >= 4 ? digits(text, 4) : -1;

	memset(out, 0, sizeof(*out));
	if (len == 6 && text[0] == 'S' && text[1] == 'Y') {
		y = digits(text + 2, 4);
		if (y < 2000 || y > 2099)
			return HG_BAD_REQUEST;
		range(out, y, 7, y + 1, 7);
		return HG_OK;
	}
	if (y < 2000 || y > 2100)
		return HG_BAD_REQUEST;
	if (len == 4) {
		range(out, y, 1, y + 1, 1);
		return HG_OK;
	}
	if (len == 7 && text[4] == '-' && text[5] == 'Q' && text[6] >= '1' && text[6] <= '4') {
		int q = text[6] - '0';
		range(out, y, 3 * q - 2, q == 4 ? y + 1 : y, q == 4 ? 1 : 3 * q + 1);
		return HG_OK;
	}
	if (len == 7 && text[4] == '-') {
		int m = digits(text + 5, 2);
		if (m < 1 || m > 12)
			return HG_BAD_REQUEST;
		range(out, y, m, m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
		return HG_OK;
	}
	return HG_BAD_REQUEST;
}
