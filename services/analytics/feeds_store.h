/* feeds_store.h - the state feeds' reads from the read models (SQL only). */
#ifndef ANALYTICS_FEEDS_STORE_H
#define ANALYTICS_FEEDS_STORE_H

#include <jansson.h>

#include "common/csv.h"
#include "common/db.h"
#include "services/analytics/feeds.h"

/*
 * The PD activities CSV of district over range: the header (feeds_csv_header) and one row per educator per
 * session attended that starts in range and is not cancelled, by start, session and educator, appended to
 * csv. With more than max_rows rows, *over is set and nothing is appended.
 */
enum hg_status feeds_store_csv(struct hg_db_pool *pool, const char *district_id, const struct feeds_range *range,
			       long max_rows, struct hg_csv *csv, int *over);

/*
 * The rows of district's Ed-Fi feed over range, read in one statement (one snapshot): {"events": [[activity_id,
 * title, shared, seconds, sessions]], "attendances": [[day, educator_id, activity_id]], "attendance_count": n}
 * (feeds_edfi_doc); at most max_rows attendances (attendance_count says how many there were).
 */
enum hg_status feeds_store_edfi(struct hg_db_pool *pool, const char *district_id, const struct feeds_range *range,
				long max_rows, json_t **rows);

#endif
