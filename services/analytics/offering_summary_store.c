/* offering_summary_store.c - the efficacy summary's counts per offering, in one statement (one snapshot). */
#include <stdio.h>

#include "common/record.h"
#include "services/analytics/offering_summary_store.h"

/*
 * $1 district, $2 first day, $3 the day after the last, $4 the most offerings. For each activity with a session
 * starting in the period that was not cancelled: those sessions; participants (educators present at one of
 * them) and attendances (educator and session); hours attended in hundredths; completers (participants with a
 * completion of the activity before the period's end); coached (participants who started a coaching cycle, not
 * cancelled, on or after the day of their first such session and before the period's end).
 */
static const struct hg_stmt read_stmt = {
	"analytics_offering_summary",
	"WITH ses AS (SELECT s.session_id, s.activity_id, s.starts_at, s.ends_at FROM sessions s"
	" WHERE s.district_id = $1 AND s.status <> 'cancelled' AND s.starts_at >= $2::date AND s.starts_at < $3::date),"
	" att AS (SELECT ses.activity_id, a.educator_id, ses.starts_at,"
	" extract(epoch FROM ses.ends_at - ses.starts_at)::numeric / 36 AS cents FROM attendance a"
	" JOIN ses ON ses.session_id = a.session_id WHERE a.district_id = $1),"
	" per AS (SELECT activity_id, educator_id, min(starts_at) AS first_at FROM att GROUP BY activity_id, educator_id),"
	" off AS (SELECT ac.activity_id, ac.title, ac.type,"
	" (SELECT count(*) FROM ses WHERE ses.activity_id = ac.activity_id) AS sessions,"
	" (SELECT count(*) FROM per WHERE per.activity_id = ac.activity_id) AS participants,"
	" (SELECT count(*) FROM att WHERE att.activity_id = ac.activity_id) AS attendances,"
	" (SELECT coalesce(round(sum(cents)), 0)::bigint FROM att WHERE att.activity_id = ac.activity_id)"
	" AS hours_cents,"
	" (SELECT count(*) FROM per WHERE per.activity_id = ac.activity_id AND EXISTS (SELECT 1 FROM completions c"
	" WHERE c.district_id = $1 AND c.activity_id = per.activity_id AND c.educator_id = per.educator_id"
	" AND c.completed_at < $3::date)) AS completers,"
	" (SELECT count(*) FROM per WHERE per.activity_id = ac.activity_id AND EXISTS (SELECT 1 FROM coaching_cycles cc"
	" WHERE cc.district_id = $1 AND cc.teacher_id = per.educator_id AND cc.status <> 'cancelled'"
	" AND cc.started_at >= date_trunc('day', per.first_at, 'UTC') AND cc.started_at < $3::date)) AS coached"
	" FROM activities ac WHERE ac.district_id = $1 AND ac.activity_id IN (SELECT activity_id FROM ses))"
	" SELECT json_build_object('offerings', (SELECT coalesce(json_agg(row_to_json(o) ORDER BY o.title, o.activity_id),"
	" '[]') FROM (SELECT * FROM off ORDER BY title, activity_id LIMIT $4::int) o),"
	" 'offering_count', (SELECT count(*) FROM off))::text",
	4};

enum hg_status offering_summary_store_read(struct hg_db_pool *pool, const char *district_id,
					   const struct period *period, long max_offerings, json_t **counts)
{
	struct hg_db_conn *conn = NULL;
	char max[24];
	snprintf(max, sizeof(max), "%ld", max_offerings);
	const char *params[4] = {district_id, period->from, period->to, max};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK)
		return st;
	st = hg_tx_row(conn, &read_stmt, params, counts);
	hg_db_release(pool, conn);
	return st;
}
