/* participation_store.c - participation figures from the read models, in one statement (one snapshot). */
#include <stdio.h>

#include "common/record.h"
#include "services/analytics/analytics_store.h"

/*
 * $1 district, $2 first day, $3 the day after the last, $4 the breakdown (NULL: none), $5 the school leader
 * whose schools bound what is counted (NULL: the district), $6 the most groups.
 *
 * Educators: the active educators of the read model. Hours (pd_hours, migrations/0004_plc_meetings.sql): the
 * length of each session attended that starts in the period (not cancelled), approved outside learning that
 * ended in it, and the minutes of each PLC meeting linked to an activity held in it, for each attendee. Credits:
 * completions recorded in the period, per CEDS credit type. A participant has hours or a completion in the period. An
 * educator counts in every group they belong to (each of their schools, roles, and the locales, poverty levels
 * and Title I status of their schools; by educator, their own); the group of educators without the attribute
 * has the key null.
 *
 * By the activity (activity_type, delivery_method, delivery_mode: the catalog's CEDS type, delivery method
 * and instructional delivery mode): each hour and completion goes to the group of its activity's value (null:
 * outside learning, an activity without the value, or one analytics does not know yet), so the groups' hours
 * add up to the overall hours; a group's educators are all those counted (the denominator of its rate), its
 * participants those with hours or a completion in it.
 */
static const struct hg_stmt read_stmt = {
	"analytics_participation",
	"WITH scope AS (SELECT coalesce((SELECT school_ids FROM educators WHERE district_id = $1"
	" AND educator_id = $5::uuid AND status = 'active'), '{}') AS schools),"
	" ed AS (SELECT e.educator_id, e.roles, e.school_ids, e.started_teaching_on FROM educators e"
	" WHERE e.district_id = $1 AND e.status = 'active'"
	" AND ($5::uuid IS NULL OR e.school_ids && (SELECT schools FROM scope))),"
	" hrs AS (SELECT x.educator_id, sum(x.hours) AS hours FROM pd_hours($1, $2::date, $3::date) x"
	" GROUP BY x.educator_id),"
	" cr AS (SELECT c.educator_id, count(*) AS completions,"
	" sum(c.credits) FILTER (WHERE c.credit_type = 'Hours') AS c_hours,"
	" sum(c.credits) FILTER (WHERE c.credit_type = 'CEUs') AS c_ceus,"
	" sum(c.credits) FILTER (WHERE c.credit_type = 'QuarterCredits') AS c_quarter,"
	" sum(c.credits) FILTER (WHERE c.credit_type = 'SemesterCredits') AS c_semester"
	" FROM completions c WHERE c.district_id = $1 AND c.completed_at >= $2::date AND c.completed_at < $3::date"
	" GROUP BY c.educator_id),"
	" per AS (SELECT ed.*, coalesce(h.hours, 0) AS hours, coalesce(cr.completions, 0) AS completions,"
	" coalesce(cr.c_hours, 0) AS c_hours, coalesce(cr.c_ceus, 0) AS c_ceus,"
	" coalesce(cr.c_quarter, 0) AS c_quarter, coalesce(cr.c_semester, 0) AS c_semester,"
	" (h.educator_id IS NOT NULL OR cr.educator_id IS NOT NULL) AS took_part"
	" FROM ed LEFT JOIN hrs h ON h.educator_id = ed.educator_id LEFT JOIN cr ON cr.educator_id = ed.educator_id),"
	" keyed AS (SELECT k.key, per.* FROM per CROSS JOIN LATERAL unnest(coalesce(CASE $4"
	" WHEN 'school' THEN (SELECT array_agg(x::text) FROM unnest(per.school_ids) x"
	" WHERE $5::uuid IS NULL OR x = ANY (coalesce((SELECT schools FROM scope), '{}')))"
	" WHEN 'role' THEN nullif(per.roles, '{}')"
	" WHEN 'locale' THEN (SELECT array_agg(DISTINCT sc.locale) FROM schools sc WHERE sc.district_id = $1"
	" AND sc.school_id = ANY (per.school_ids) AND sc.locale IS NOT NULL)"
	" WHEN 'poverty' THEN (SELECT array_agg(DISTINCT sc.poverty_level) FROM schools sc WHERE sc.district_id = $1"
	" AND sc.school_id = ANY (per.school_ids) AND sc.poverty_level IS NOT NULL)"
	" WHEN 'title_i' THEN (SELECT array_agg(DISTINCT sc.title_i::text) FROM schools sc WHERE sc.district_id = $1"
	" AND sc.school_id = ANY (per.school_ids) AND sc.title_i IS NOT NULL)"
	" WHEN 'career_stage' THEN ARRAY[career_stage(per.started_teaching_on, $3::date - 1)]"
	" WHEN 'educator' THEN ARRAY[per.educator_id::text] END,"
	" ARRAY[NULL::text])) AS k(key) WHERE $4 IN ('school', 'role', 'locale', 'poverty', 'title_i', 'career_stage',"
	" 'educator')),"
	" facts AS (SELECT x.educator_id, x.activity_id, x.hours, 0 AS completions, 0 AS c_hours, 0 AS c_ceus,"
	" 0 AS c_quarter, 0 AS c_semester FROM pd_hours($1, $2::date, $3::date) x"
	" WHERE $4 IN ('activity_type', 'delivery_method', 'delivery_mode')"
	" UNION ALL SELECT c.educator_id, c.activity_id, 0, 1, CASE WHEN c.credit_type = 'Hours' THEN c.credits ELSE 0 END,"
	" CASE WHEN c.credit_type = 'CEUs' THEN c.credits ELSE 0 END,"
	" CASE WHEN c.credit_type = 'QuarterCredits' THEN c.credits ELSE 0 END,"
	" CASE WHEN c.credit_type = 'SemesterCredits' THEN c.credits ELSE 0 END"
	" FROM completions c WHERE c.district_id = $1 AND c.completed_at >= $2::date AND c.completed_at < $3::date"
	" AND $4 IN ('activity_type', 'delivery_method', 'delivery_mode')),"
	" akeyed AS (SELECT CASE $4 WHEN 'activity_type' THEN a.type WHEN 'delivery_method' THEN a.delivery_method"
	" ELSE a.instructional_delivery_mode END AS key, f.* FROM facts f JOIN ed ON ed.educator_id = f.educator_id"
	" LEFT JOIN activities a ON a.district_id = $1 AND a.activity_id = f.activity_id),"
	" groups AS (SELECT key, count(*) AS educators, count(*) FILTER (WHERE took_part) AS participants,"
	" sum(hours) AS hours, sum(completions) AS completions, sum(c_hours) AS c_hours, sum(c_ceus) AS c_ceus,"
	" sum(c_quarter) AS c_quarter, sum(c_semester) AS c_semester FROM keyed GROUP BY key"
	" UNION ALL SELECT key, (SELECT count(*) FROM ed), count(DISTINCT educator_id), sum(hours), sum(completions),"
	" sum(c_hours), sum(c_ceus), sum(c_quarter), sum(c_semester) FROM akeyed GROUP BY key),"
	" overall AS (SELECT count(*) AS educators, count(*) FILTER (WHERE took_part) AS participants,"
	" coalesce(sum(hours), 0) AS hours, coalesce(sum(completions), 0) AS completions,"
	" coalesce(sum(c_hours), 0) AS c_hours, coalesce(sum(c_ceus), 0) AS c_ceus,"
	" coalesce(sum(c_quarter), 0) AS c_quarter, coalesce(sum(c_semester), 0) AS c_semester FROM per)"
	" SELECT json_build_object('overall', (SELECT participation_json(o.educators, o.participants, o.hours,"
	" o.completions, o.c_hours, o.c_ceus, o.c_quarter, o.c_semester) FROM overall o),"
	" 'groups', (SELECT coalesce(json_agg(jsonb_build_object('key', g.key)"
	" || CASE WHEN $4 = 'school' THEN jsonb_build_object('name', (SELECT sc.name FROM schools sc"
	" WHERE sc.district_id = $1 AND sc.school_id::text = g.key)) ELSE '{}' END"
	" || participation_json(g.educators, g.participants, g.hours, g.completions, g.c_hours, g.c_ceus,"
	" g.c_quarter, g.c_semester) ORDER BY g.key NULLS LAST), '[]') FROM (SELECT * FROM groups"
	" ORDER BY key NULLS LAST LIMIT $6::int) g),"
	" 'group_count', (SELECT count(*) FROM groups))::text",
	6};

enum hg_status participation_store_read(struct hg_db_pool *pool, const char *district_id, const char *leader_id,
					const struct period *period, const char *by, long max_groups, json_t **doc)
{
	struct hg_db_conn *conn = NULL;
	char max[24];
	snprintf(max, sizeof(max), "%ld", max_groups);
	const char *params[6] = {district_id, period->from, period->to, by, leader_id, max};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK)
		return st;
	st = hg_tx_row(conn, &read_stmt, params, doc);
	hg_db_release(pool, conn);
	return st;
}
