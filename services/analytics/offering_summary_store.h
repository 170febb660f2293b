/* offering_summary_store.h - the efficacy summary's counts from the read models (SQL only). */
#ifndef ANALYTICS_OFFERING_SUMMARY_STORE_H
#define ANALYTICS_OFFERING_SUMMARY_STORE_H

#include <jansson.h>

#include "common/db.h"
#include "services/analytics/period.h"

/*
 * The counts of each activity of district with a session in period that was not cancelled, by title and id, in
 * one statement: {"offerings": [{"activity_id", "title", "type", "sessions", "participants", "attendances",
 * "hours_cents", "completers", "coached"}], "offering_count"} (offering_summary.h), at most max_offerings.
 */
enum hg_status offering_summary_store_read(struct hg_db_pool *pool, const char *district_id,
					   const struct period *period, long max_offerings, json_t **counts);

#endif
