/* equity.h - the equity audit: a measure per group of educators, the gap to the best-served group, the
 * four-fifths flag, small groups withheld (pure: no SQL, no HTTP).
 *
 * The store counts, over the same educators as participation (docs/analytics.md), for each group of each
 * dimension (locale, poverty, title_i, career_stage): educators, participants and hours. This file makes the
 * figures and decides what is shown:
 *
 *   - each dimension's groups are one row of cells sized by their educators, whose total is published (the
 *     overall figure): small groups (fewer than min_cell educators) and their complements are withheld by
 *     common/suppress.h; a withheld group shows its key and why, no figure; fewer than min_cell educators in
 *     all withholds everything;
 *   - the best-served group of a dimension is the shown group (with a key: not "unknown") with the highest
 *     value of the measure, the first by key among equals;
 *   - every shown group's ratio (value / best, four decimals), gap (best - value; four decimals for a rate,
 *     two for hours) and below_four_fifths (value < 4/5 of the best, compared exactly on the counts).
 */
#ifndef ANALYTICS_EQUITY_H
#define ANALYTICS_EQUITY_H

#include <jansson.h>

#define EQUITY_MIN_CELL 5

/* The accepted measures, for messages and the spec. */
#define EQUITY_MEASURES "participation_rate, mean_hours or coaching_reach"

enum equity_measure {
	EQ_PARTICIPATION_RATE, /* participants / educators */
	EQ_MEAN_HOURS,         /* hours / educators */
	EQ_COACHING_REACH,     /* coached / educators */
};

/* ?measure= (NULL: participation_rate) into *out; 0 for anything else. */
int equity_measure_parse(const char *text, enum equity_measure *out);
const char *equity_measure_name(enum equity_measure m);

/*
 * The audit from counts (borrowed): {"overall": {"educators", "participants", "coached", "hours_cents"},
 * "groups": [{"dimension", "key" (string or null), "educators", "participants", "coached", "hours_cents"}]}
 * (hours in hundredths).
 * New reference: {"measure", "min_cell", "overall", "dimensions": [{"dimension", "best", "groups": [...]}]}.
 */
json_t *equity_build(json_t *counts, enum equity_measure m, long min_cell);

#endif
