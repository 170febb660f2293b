/* equity_store.c - the equity audit's counts from the read models, in one statement (one snapshot). */
#include "common/record.h"
#include "services/analytics/analytics_store.h"

/*
 * $1 district, $2 first day, $3 the day after the last, $4 the school leader whose schools bound what is
 * counted (NULL: the district).
 *
 * The same educators, hours and participants as participation (participation_store.c): the active
 * educators; hours of attended sessions that start in the period (not cancelled) and approved outside
 * learning that ended in it; a participant has hours or a completion in the period. Each educator counts in
 * every group of each dimension they belong to (the locales, poverty levels and Title I status of their
 * schools; their career stage on the period's last day); without the attribute, in the group whose key is
 * null. Hours in hundredths. Coached: time logged for them in the period, or a coaching cycle of theirs open at
 * some time in it (as the coaching figures count teachers coached).
 */
static const struct hg_stmt read_stmt = {
	"analytics_equity",
	"WITH scope AS (SELECT coalesce((SELECT school_ids FROM educators WHERE district_id = $1"
	" AND educator_id = $4::uuid AND status = 'active'), '{}') AS schools),"
	" ed AS (SELECT e.educator_id, e.school_ids, e.started_teaching_on FROM educators e"
	" WHERE e.district_id = $1 AND e.status = 'active'"
	" AND ($4::uuid IS NULL OR e.school_ids && (SELECT schools FROM scope))),"
	" hrs AS (SELECT x.educator_id, sum(x.h) AS hours FROM ("
	" SELECT a.educator_id, extract(epoch FROM s.ends_at - s.starts_at)::numeric / 3600 AS h"
	" FROM attendance a JOIN sessions s ON s.district_id = a.district_id AND s.session_id = a.session_id"
	" WHERE a.district_id = $1 AND s.status <> 'cancelled' AND s.starts_at >= $2::date"
	" AND s.starts_at < $3::date"
	" UNION ALL SELECT o.educator_id, o.hours FROM outside_credits o WHERE o.district_id = $1"
	" AND o.end_date >= $2::date AND o.end_date < $3::date) x GROUP BY x.educator_id),"
	" cr AS (SELECT DISTINCT c.educator_id FROM completions c WHERE c.district_id = $1"
	" AND c.completed_at >= $2::date AND c.completed_at < $3::date),"
	" coached AS (SELECT t.teacher_id FROM coaching_time t WHERE t.district_id = $1 AND t.logged_on >= $2::date"
	" AND t.logged_on < $3::date UNION SELECT c.teacher_id FROM coaching_cycles c WHERE c.district_id = $1"
	" AND c.started_at < $3::date AND (c.closed_at IS NULL OR c.closed_at >= $2::date)),"
	" per AS (SELECT ed.*, coalesce(h.hours, 0) AS hours,"
	" (h.educator_id IS NOT NULL OR cr.educator_id IS NOT NULL) AS took_part, co.teacher_id IS NOT NULL AS is_coached"
	" FROM ed LEFT JOIN hrs h ON h.educator_id = ed.educator_id LEFT JOIN cr ON cr.educator_id = ed.educator_id"
	" LEFT JOIN coached co ON co.teacher_id = ed.educator_id),"
	" sch AS (SELECT sc.school_id, sc.locale, sc.poverty_level, sc.title_i::text AS title_i FROM schools sc"
	" WHERE sc.district_id = $1),"
	" attrs AS (SELECT per.educator_id, array_agg(DISTINCT sch.locale) FILTER (WHERE sch.locale IS NOT NULL) AS locales,"
	" array_agg(DISTINCT sch.poverty_level) FILTER (WHERE sch.poverty_level IS NOT NULL) AS poverty,"
	" array_agg(DISTINCT sch.title_i) FILTER (WHERE sch.title_i IS NOT NULL) AS title_i"
	" FROM per CROSS JOIN LATERAL unnest(per.school_ids) AS x(school_id) JOIN sch ON sch.school_id = x.school_id"
	" GROUP BY per.educator_id),"
	" keyed AS (SELECT d.dim, k.key, per.hours, per.took_part, per.is_coached FROM per"
	" LEFT JOIN attrs ON attrs.educator_id = per.educator_id"
	" CROSS JOIN (VALUES ('locale'), ('poverty'), ('title_i'), ('career_stage')) d(dim)"
	" CROSS JOIN LATERAL unnest(coalesce(CASE d.dim WHEN 'locale' THEN attrs.locales"
	" WHEN 'poverty' THEN attrs.poverty WHEN 'title_i' THEN attrs.title_i"
	" ELSE ARRAY[career_stage(per.started_teaching_on, $3::date - 1)] END,"
	" ARRAY[NULL::text])) AS k(key))"
	" SELECT json_build_object('overall', (SELECT json_build_object('educators', count(*),"
	" 'participants', count(*) FILTER (WHERE took_part), 'coached', count(*) FILTER (WHERE is_coached),"
	" 'hours_cents', coalesce(round(sum(hours) * 100), 0))"
	" FROM per),"
	" 'groups', (SELECT coalesce(json_agg(json_build_object('dimension', g.dim, 'key', g.key,"
	" 'educators', g.n, 'participants', g.p, 'coached', g.c, 'hours_cents', g.h)"
	" ORDER BY g.dim, g.key NULLS LAST), '[]')"
	" FROM (SELECT dim, key, count(*) AS n, count(*) FILTER (WHERE took_part) AS p,"
	" count(*) FILTER (WHERE is_coached) AS c,"
	" round(sum(hours) * 100) AS h FROM keyed GROUP BY dim, key) g))::text",
	4};

enum hg_status equity_store_read(struct hg_db_pool *pool, const char *district_id, const char *leader_id,
				 const struct period *period, json_t **counts)
{
	struct hg_db_conn *conn = NULL;
	const char *params[4] = {district_id, period->from, period->to, leader_id};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK)
		return st;
	st = hg_tx_row(conn, &read_stmt, params, counts);
	hg_db_release(pool, conn);
	return st;
}
