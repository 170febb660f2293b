/* period.h - the period a figure covers (?period=), as half-open UTC date ranges (pure). */
#ifndef ANALYTICS_PERIOD_H
#define ANALYTICS_PERIOD_H

#include "common/status.h"

/* The accepted forms, for messages and the spec. */
#define PERIOD_FORMS "YYYY (a calendar year), YYYY-Qn (a quarter), YYYY-MM (a month) or SYYYYY (a school year)"

struct period {
	char from[11]; /* first day, YYYY-MM-DD */
	char to[11];   /* the day after the last, YYYY-MM-DD */
	char last[11]; /* the last day (career stages are counted on it) */
};

/*
 * Parse text: "2026" (Jan 1 2026 - Dec 31 2026), "2026-Q3" (Jul 1 - Sep 30), "2026-03" (March), years
 * 2000-2100; "SY2025" (the school year Jul 1 2025 - Jun 30 2026), 2000-2099. HG_OK with out filled, or
 * HG_BAD_REQUEST.
 */
enum hg_status period_parse(const char *text, struct period *out);

#endif
