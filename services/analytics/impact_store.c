/* impact_store.c - the impact of one catalog offering from the read models, in one statement (one snapshot). */
#include "common/record.h"
#include "services/analytics/analytics_store.h"

/*
 * $1 district, $2 activity, $3 the school leader whose schools bound the educators counted (NULL: the
 * district). No row when the district has no such activity.
 *
 * Sessions held (not cancelled) and cancelled; participants: educators present at a held session; attendances
 * and hours (each attended session's length); completions recorded for the activity, and the share of
 * participants who completed it; coaching follow-up: participants with coaching time logged, or a coaching
 * cycle open, within 90 days from the start of their first attended session. PLC meetings linked to the
 * activity (issue 10): how many, their attendees and the attendees' hours (each the meeting's minutes / 60),
 * apart from the sessions' figures (a meeting is not a session: no completion or follow-up is read from it).
 */
static const struct hg_stmt read_stmt = {
	"analytics_impact",
	"WITH scope AS (SELECT coalesce((SELECT school_ids FROM educators WHERE district_id = $1"
	" AND educator_id = $3::uuid AND status = 'active'), '{}') AS schools),"
	" mine AS (SELECT e.educator_id FROM educators e WHERE e.district_id = $1 AND $3::uuid IS NOT NULL"
	" AND e.school_ids && (SELECT schools FROM scope)),"
	" ss AS (SELECT s.* FROM sessions s WHERE s.district_id = $1 AND s.activity_id = $2),"
	" att AS (SELECT a.educator_id, s.starts_at, s.ends_at FROM attendance a JOIN ss s ON s.session_id = a.session_id"
	" WHERE a.district_id = $1 AND s.status <> 'cancelled'"
	" AND ($3::uuid IS NULL OR a.educator_id IN (SELECT educator_id FROM mine))),"
	" people AS (SELECT educator_id, min(starts_at) AS first_at FROM att GROUP BY educator_id),"
	" comp AS (SELECT DISTINCT c.educator_id FROM completions c WHERE c.district_id = $1 AND c.activity_id = $2"
	" AND ($3::uuid IS NULL OR c.educator_id IN (SELECT educator_id FROM mine))),"
	" plc AS (SELECT x.educator_id, m.minutes / 60 AS h FROM plc_meetings m"
	" CROSS JOIN LATERAL unnest(m.attendance) AS x(educator_id) WHERE m.district_id = $1 AND m.activity_id = $2"
	" AND ($3::uuid IS NULL OR x.educator_id IN (SELECT educator_id FROM mine))),"
	" follow AS (SELECT p.educator_id FROM people p WHERE EXISTS (SELECT 1 FROM coaching_time t"
	" WHERE t.district_id = $1 AND t.teacher_id = p.educator_id AND t.logged_on >= p.first_at::date"
	" AND t.logged_on < (p.first_at + interval '90 days')::date)"
	" OR EXISTS (SELECT 1 FROM coaching_cycles c WHERE c.district_id = $1 AND c.teacher_id = p.educator_id"
	" AND c.started_at < p.first_at + interval '90 days' AND (c.closed_at IS NULL OR c.closed_at >= p.first_at))),"
	" f AS (SELECT (SELECT count(*) FROM ss WHERE status <> 'cancelled') AS held,"
	" (SELECT count(*) FROM ss WHERE status = 'cancelled') AS cancelled, (SELECT count(*) FROM people) AS n,"
	" (SELECT count(*) FROM att) AS attendances,"
	" (SELECT coalesce(sum(extract(epoch FROM ends_at - starts_at)::numeric / 3600), 0) FROM att) AS hours,"
	" (SELECT count(*) FROM comp) AS completions,"
	" (SELECT count(*) FROM comp WHERE educator_id IN (SELECT educator_id FROM people)) AS completed,"
	" (SELECT count(*) FROM follow) AS followed,"
	" (SELECT count(*) FROM plc_meetings m WHERE m.district_id = $1 AND m.activity_id = $2) AS plc_meetings,"
	" (SELECT count(DISTINCT educator_id) FROM plc) AS plc_n, (SELECT coalesce(sum(h), 0) FROM plc) AS plc_hours)"
	" SELECT json_build_object('activity_id', a.activity_id, 'title', a.title, 'type', a.type, 'status', a.status,"
	" 'sessions_held', f.held, 'sessions_cancelled', f.cancelled, 'participants', f.n,"
	" 'attendances', f.attendances,"
	" 'mean_attendance', CASE WHEN f.held > 0 THEN round(f.attendances::numeric / f.held, 2) END,"
	" 'hours', round(f.hours, 2), 'completions', f.completions,"
	" 'completion_rate', CASE WHEN f.n > 0 THEN round(f.completed::numeric / f.n, 4) END,"
	" 'coaching_follow_up', f.followed,"
	" 'coaching_follow_up_rate', CASE WHEN f.n > 0 THEN round(f.followed::numeric / f.n, 4) END,"
	" 'plc_meetings', f.plc_meetings, 'plc_participants', f.plc_n, 'plc_hours', round(f.plc_hours, 2))::text"
	" FROM activities a, f WHERE a.district_id = $1 AND a.activity_id = $2",
	3};

enum hg_status impact_store_read(struct hg_db_pool *pool, const char *district_id, const char *activity_id,
				 const char *leader_id, json_t **doc)
{
	struct hg_db_conn *conn = NULL;
	const char *params[3] = {district_id, activity_id, leader_id};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK)
		return st;
	st = hg_tx_row(conn, &read_stmt, params, doc);
	hg_db_release(pool, conn);
	return st;
}
