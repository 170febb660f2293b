/* public_report.h - the public aggregate report: participation and hours by school and by group of schools
 * and educators, small groups withheld (pure: no SQL, no HTTP; docs/analytics.md, "Public report").
 *
 * Each dimension (school, locale, poverty, title_i, career_stage) is one row of cells sized by their educators,
 * with the overall figure published: groups of fewer than PUBLIC_MIN_CELL educators and their complements are
 * withheld by common/suppress.h (the surveys' and the equity audit's rule); a withheld group shows its key (and
 * a school its name) and why, no figure. Fewer than PUBLIC_MIN_CELL educators in all withholds everything.
 */
#ifndef ANALYTICS_PUBLIC_REPORT_H
#define ANALYTICS_PUBLIC_REPORT_H

#include <jansson.h>

#include "common/csv.h"

#define PUBLIC_MIN_CELL 5

/* The dimensions, in the report's order (participation's ?by= values). */
extern const char *const public_report_dimensions[];

/*
 * The report from participation answers (borrowed): overall, the district's overall figures
 * ({"educators", "participants", "participation_rate", "hours", "mean_hours", ...}); by, one participation
 * answer per dimension of public_report_dimensions, in order ({"groups": [{"key", "name"?, figures}],
 * "truncated"}). New reference: {"min_cell", "overall": {figures, "withheld"}, "dimensions": [{"dimension",
 * "truncated", "groups": [{"key", "name" (schools), figures or nulls, "withheld"}]}]}.
 */
json_t *public_report_build(json_t *overall, json_t *const *by, long min_cell);

/* The report (public_report_build's) as CSV rows appended to csv: a header, then the overall row and one row per
 * group (dimension, key, name, educators, participants, participation_rate, hours, mean_hours, withheld). */
void public_report_csv(json_t *report, struct hg_csv *csv);

#endif
