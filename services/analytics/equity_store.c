/* equity_store.c - the equity audit's counts from the read models, in one statement (one snapshot). */
#include "common/record.h"
#include "services/analytics/analytics_store.h"

/*
 * $1 district, $2 first day, $3 the day after the last, $4 the school leader whose schools bound what is
 * counted (NULL: the district).
 *
 * The same educators, hours and participants as participation (participation_store.c): the active
 * educators; hours of attended sessions that start in the period (not cancelled), approved outside learning
 * that ended in it, and each attendee's minutes of a PLC meeting held in it and linked to an activity (the
 * sources of pd_hours, migrations/0004_plc_meetings.sql, read here in the statement's own shape); a participant has
 * hours or a completion in the period. Each educator counts in every group of each dimension they belong to (the
 * locales, poverty levels and Title I status of their schools; their career stage on the period's last day); without
 * the attribute, in the group whose key is null. Coached: time logged for them in the period, or a coaching cycle of
 * theirs open at some time in it (as the coaching figures count teachers coached).
 *
 * Shaped for a district of 15,000 (bench/analytics_equity.sh): every fact of the period (attendances with
 * their session's length, outside hours, PLC meetings, completions, coaching) is one stream grouped once by educator;
 * hours are summed in whole microseconds (exact) and rounded to hundredths of an hour at the end; educators
 * are then grouped by their set of schools and career stage (a few hundred rows), and only those rows are
 * spread over the dimensions, each set of schools' attributes read once.
 */
static const struct hg_stmt read_stmt = {
	"analytics_equity",
	"WITH scope AS (SELECT coalesce((SELECT school_ids FROM educators WHERE district_id = $1"
	" AND educator_id = $4::uuid AND status = 'active'), '{}') AS schools),"
	" sess AS (SELECT s.session_id, (extract(epoch FROM s.ends_at - s.starts_at) * 1000000)::bigint AS us"
	" FROM sessions s WHERE s.district_id = $1 AND s.status <> 'cancelled' AND s.starts_at >= $2::date"
	" AND s.starts_at < $3::date),"
	" act AS (SELECT x.educator_id, sum(x.us) AS us, bool_or(x.part) AS took_part, bool_or(NOT x.part) AS is_coached"
	" FROM (SELECT a.educator_id, s.us, true AS part FROM attendance a JOIN sess s ON s.session_id = a.session_id"
	" WHERE a.district_id = $1"
	" UNION ALL SELECT o.educator_id, (o.hours * 3600000000)::bigint, true FROM outside_credits o"
	" WHERE o.district_id = $1 AND o.end_date >= $2::date AND o.end_date < $3::date"
	" UNION ALL SELECT x.educator_id, (m.minutes * 60000000)::bigint, true FROM plc_meetings m"
	" CROSS JOIN LATERAL unnest(m.attendance) AS x(educator_id) WHERE m.district_id = $1"
	" AND m.activity_id IS NOT NULL AND m.held_on >= $2::date AND m.held_on < $3::date"
	" UNION ALL SELECT c.educator_id, 0, true FROM completions c WHERE c.district_id = $1"
	" AND c.completed_at >= $2::date AND c.completed_at < $3::date"
	" UNION ALL SELECT t.teacher_id, 0, false FROM coaching_time t WHERE t.district_id = $1"
	" AND t.logged_on >= $2::date AND t.logged_on < $3::date"
	" UNION ALL SELECT c.teacher_id, 0, false FROM coaching_cycles c WHERE c.district_id = $1"
	" AND c.started_at < $3::date AND (c.closed_at IS NULL OR c.closed_at >= $2::date)) x GROUP BY x.educator_id),"
	" grp AS (SELECT e.school_ids, career_stage(e.started_teaching_on, $3::date - 1) AS stage, count(*) AS n,"
	" count(*) FILTER (WHERE act.took_part) AS p, count(*) FILTER (WHERE act.is_coached) AS c,"
	" coalesce(sum(act.us), 0) AS us"
	" FROM educators e LEFT JOIN act ON act.educator_id = e.educator_id"
	" WHERE e.district_id = $1 AND e.status = 'active'"
	" AND ($4::uuid IS NULL OR e.school_ids && (SELECT schools FROM scope))"
	" GROUP BY e.school_ids, stage),"
	" attrs AS (SELECT x.school_ids, array_agg(DISTINCT sc.locale) FILTER (WHERE sc.locale IS NOT NULL) AS locales,"
	" array_agg(DISTINCT sc.poverty_level) FILTER (WHERE sc.poverty_level IS NOT NULL) AS poverty,"
	" array_agg(DISTINCT sc.title_i::text) FILTER (WHERE sc.title_i IS NOT NULL) AS title_i"
	" FROM (SELECT DISTINCT school_ids FROM grp) x CROSS JOIN LATERAL unnest(x.school_ids) AS u(school_id)"
	" JOIN schools sc ON sc.district_id = $1 AND sc.school_id = u.school_id GROUP BY x.school_ids),"
	" keyed AS (SELECT d.dim, k.key, grp.n, grp.p, grp.c, grp.us FROM grp"
	" LEFT JOIN attrs ON attrs.school_ids = grp.school_ids"
	" CROSS JOIN (VALUES ('locale'), ('poverty'), ('title_i'), ('career_stage')) d(dim)"
	" CROSS JOIN LATERAL unnest(coalesce(CASE d.dim WHEN 'locale' THEN attrs.locales"
	" WHEN 'poverty' THEN attrs.poverty WHEN 'title_i' THEN attrs.title_i ELSE ARRAY[grp.stage] END,"
	" ARRAY[NULL::text])) AS k(key))"
	" SELECT json_build_object('overall', (SELECT json_build_object('educators', coalesce(sum(n), 0),"
	" 'participants', coalesce(sum(p), 0), 'coached', coalesce(sum(c), 0),"
	" 'hours_cents', coalesce(round(sum(us) / 36000000.0), 0)) FROM grp),"
	" 'groups', (SELECT coalesce(json_agg(json_build_object('dimension', g.dim, 'key', g.key,"
	" 'educators', g.n, 'participants', g.p, 'coached', g.c, 'hours_cents', g.h)"
	" ORDER BY g.dim, g.key NULLS LAST), '[]')"
	" FROM (SELECT dim, key, sum(n) AS n, sum(p) AS p, sum(c) AS c, round(sum(us) / 36000000.0) AS h"
	" FROM keyed GROUP BY dim, key) g))::text",
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
