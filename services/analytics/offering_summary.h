/* offering_summary.h - the Title II-style efficacy summary per offering: participation, attendance,
 * completion and coaching follow-up of each activity held in a period, offerings with too few participants
 * withheld (pure: no SQL, no HTTP; docs/analytics.md, "Efficacy summary per offering"). */
#ifndef ANALYTICS_OFFERING_SUMMARY_H
#define ANALYTICS_OFFERING_SUMMARY_H

#include <jansson.h>

#include "common/csv.h"

/*
 * The summary from counts (borrowed): {"offerings": [{"activity_id", "title", "type", "sessions",
 * "participants", "attendances", "hours_cents", "completers", "coached"}], "offering_count"} as
 * offering_summary_store_read reads them. New reference: {"min_cell", "truncated", "offerings": [{"activity_id",
 * "title", "type", "sessions", "participants", "attendances", "mean_sessions_attended", "hours",
 * "completers", "completion_rate", "coaching_follow_up", "coaching_follow_up_rate", "satisfaction",
 * "confidence_change", "withheld"}]}: an offering with fewer than min_cell participants keeps its id, title,
 * type and sessions and shows no figure about people ("withheld": "fewer_than_minimum").
 */
json_t *offering_summary_build(json_t *counts, long min_cell);

/* The summary as CSV rows appended to csv: a header, then one row per offering. */
void offering_summary_csv(json_t *summary, struct hg_csv *csv);

#endif
