/* feeds_store.c - the state feeds read from the read models, each in one statement (one snapshot). */
#include <libpq-fe.h>
#include <stdio.h>

#include "common/record.h"
#include "services/analytics/feeds_store.h"

/*
 * $1 district, $2 first day, $3 the day after the last, $4 the most rows + 1. One row per educator per session
 * attended that starts in the range (UTC) and is not cancelled, with its activity (a session whose activity
 * has not arrived yet is left out until it has); the columns of feeds_csv_header in order. Times are UTC.
 */
static const struct hg_stmt csv_stmt = {
	"analytics_feed_csv",
	"SELECT a.district_id::text, a.educator_id::text, ac.activity_id::text, left(ac.title, 60), ac.type,"
	" ac.credit_type, ac.credits::text, s.session_id::text,"
	" to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), to_char(s.starts_at AT TIME ZONE 'UTC', 'HH24:MI'),"
	" to_char(s.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), to_char(s.ends_at AT TIME ZONE 'UTC', 'HH24:MI'),"
	" initcap(s.status), ac.delivery_method, ac.instructional_delivery_mode,"
	" round(extract(epoch FROM s.ends_at - s.starts_at)::numeric / 3600, 2)::text,"
	" (SELECT to_char(min(c.completed_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM completions c"
	" WHERE c.district_id = a.district_id AND c.activity_id = a.activity_id AND c.educator_id = a.educator_id)"
	" FROM attendance a JOIN sessions s ON s.district_id = a.district_id AND s.session_id = a.session_id"
	" JOIN activities ac ON ac.district_id = s.district_id AND ac.activity_id = s.activity_id"
	" WHERE a.district_id = $1 AND s.status <> 'cancelled' AND s.starts_at >= $2::date AND s.starts_at < $3::date"
	" ORDER BY s.starts_at, s.session_id, a.educator_id LIMIT $4::int",
	4};

enum hg_status feeds_store_csv(struct hg_db_pool *pool, const char *district_id, const struct feeds_range *range,
			       long max_rows, struct hg_csv *csv, int *over)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	char limit[24];
	snprintf(limit, sizeof(limit), "%ld", max_rows + 1);
	const char *params[4] = {district_id, range->from, range->until, limit};
	*over = 0;
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK)
		return st;
	st = hg_db_exec(conn, &csv_stmt, params, &res);
	hg_db_release(pool, conn);
	if (st != HG_OK)
		return st;
	int rows = PQntuples(res);
	hg_csv_row(csv, feeds_csv_header, FEEDS_CSV_COLUMNS);
	if (rows > max_rows) {
		*over = 1;
	} else {
		const char *cells[FEEDS_CSV_COLUMNS];
		for (int r = 0; r < rows; r++) {
			for (int c = 0; c < FEEDS_CSV_COLUMNS; c++)
				cells[c] = PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c);
			hg_csv_row(csv, cells, FEEDS_CSV_COLUMNS);
		}
	}
	PQclear(res);
	return HG_OK;
}

/*
 * $1 district, $2 first day, $3 the day after the last, $4 the most attendances. Events: the activities with a
 * session in the range that is not cancelled, with their title, whether another activity of the district has
 * the same title, the length in seconds and the number of all their sessions that are not cancelled (the whole
 * event, not only the range). Attendances: each educator's days (UTC) at such a session of such an activity.
 */
static const struct hg_stmt edfi_stmt = {
	"analytics_feed_edfi",
	"WITH att AS (SELECT DISTINCT to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, a.educator_id,"
	" s.activity_id FROM attendance a JOIN sessions s ON s.district_id = a.district_id"
	" AND s.session_id = a.session_id JOIN activities ac ON ac.district_id = s.district_id"
	" AND ac.activity_id = s.activity_id WHERE a.district_id = $1 AND s.status <> 'cancelled'"
	" AND s.starts_at >= $2::date AND s.starts_at < $3::date),"
	" ev AS (SELECT ac.activity_id, ac.title, EXISTS (SELECT 1 FROM activities o WHERE o.district_id = $1"
	" AND o.title = ac.title AND o.activity_id <> ac.activity_id) AS shared,"
	" (SELECT coalesce(sum(extract(epoch FROM s.ends_at - s.starts_at)), 0)::bigint FROM sessions s"
	" WHERE s.district_id = $1 AND s.activity_id = ac.activity_id AND s.status <> 'cancelled') AS seconds,"
	" (SELECT count(*) FROM sessions s WHERE s.district_id = $1 AND s.activity_id = ac.activity_id"
	" AND s.status <> 'cancelled') AS sessions FROM activities ac WHERE ac.district_id = $1"
	" AND EXISTS (SELECT 1 FROM sessions s WHERE s.district_id = $1 AND s.activity_id = ac.activity_id"
	" AND s.status <> 'cancelled' AND s.starts_at >= $2::date AND s.starts_at < $3::date))"
	" SELECT json_build_object('events', (SELECT coalesce(json_agg(json_build_array(activity_id, title, shared,"
	" seconds, sessions) ORDER BY activity_id), '[]') FROM ev),"
	" 'attendances', (SELECT coalesce(json_agg(json_build_array(day, educator_id, activity_id)"
	" ORDER BY day, activity_id, educator_id), '[]') FROM (SELECT * FROM att ORDER BY day, activity_id,"
	" educator_id LIMIT $4::int) x),"
	" 'attendance_count', (SELECT count(*) FROM att))::text",
	4};

enum hg_status feeds_store_edfi(struct hg_db_pool *pool, const char *district_id, const struct feeds_range *range,
				long max_rows, json_t **rows)
{
	struct hg_db_conn *conn = NULL;
	char limit[24];
	snprintf(limit, sizeof(limit), "%ld", max_rows);
	const char *params[4] = {district_id, range->from, range->until, limit};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK)
		return st;
	st = hg_tx_row(conn, &edfi_stmt, params, rows);
	hg_db_release(pool, conn);
	return st;
}
