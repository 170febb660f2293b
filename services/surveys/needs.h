/* needs.h - needs by topic across closed needs assessments, suppressed (pure).
 *
 * The store hands over, per topic and school, the respondents (answer sets with a 5-point answer to one of
 * the topic's scale questions), the sum and the number of those answers. Per topic: `mean_need` (the mean of
 * the answers: a needs assessment's scale asks how much a topic is needed, 5 the most), `respondents` and
 * `rank` (1 the most needed, among the topics shown). Suppression is results' (result.h): a topic is withheld
 * when fewer than min_cell responded; for one school, each topic's row of schools is suppressed as a results
 * row (small cells and complementary suppression), so no school's figure can be recovered from the district's
 * and the other schools'.
 */
#ifndef SURVEYS_NEEDS_H
#define SURVEYS_NEEDS_H

#include <jansson.h>

/*
 * ?period= as [from, to) dates: "YYYY" (a calendar year) or "YYYY-YY" (a school year, 1 July to 30 June, the
 * second year the next one), 1900 to 2099. 1, or 0 when it is neither.
 */
int needs_period(const char *period, char from[16], char to[16]);

/*
 * The needs document. rows: [{"topic", "school" (uuid or null), "respondents", "sum", "answers"}]; school the
 * school asked for, or NULL for the district. New reference: {"school_id", "min_cell", "topics": [{"topic",
 * "rank", "mean_need", "respondents"} or {"topic", "rank": null, "mean_need": null, "respondents": null,
 * "withheld"}]}, the ranked topics first.
 */
json_t *needs_build(json_t *rows, const char *school, long min_cell);

#endif
