/* coaching_model_store.c - coaching figures from the coaching read models, in one statement (one snapshot). */
#include "common/record.h"
#include "services/analytics/analytics_store.h"

/*
 * $1 district, $2 first day, $3 the day after the last, $4 the school leader whose schools bound the teachers
 * counted (NULL: the district).
 *
 * Cycles started in the period (started_at), completed and cancelled in it (closed_at), goals met among those
 * completed; feedback given in it and the median minutes from observation to feedback; minutes of coaching
 * logged in it; teachers coached: those with time logged in the period or a cycle open at some time in it
 * (started before its end, not closed before its start); minutes per teacher coached.
 */
static const struct hg_stmt read_stmt = {
	"analytics_coaching",
	"WITH scope AS (SELECT coalesce((SELECT school_ids FROM educators WHERE district_id = $1"
	" AND educator_id = $4::uuid AND status = 'active'), '{}') AS schools),"
	" mine AS (SELECT e.educator_id FROM educators e WHERE e.district_id = $1 AND $4::uuid IS NOT NULL"
	" AND e.school_ids && (SELECT schools FROM scope)),"
	" cyc AS (SELECT c.* FROM coaching_cycles c WHERE c.district_id = $1"
	" AND ($4::uuid IS NULL OR c.teacher_id IN (SELECT educator_id FROM mine))),"
	" fb AS (SELECT f.minutes_since_observation AS m FROM coaching_feedback f WHERE f.district_id = $1"
	" AND f.given_at >= $2::date AND f.given_at < $3::date"
	" AND ($4::uuid IS NULL OR f.teacher_id IN (SELECT educator_id FROM mine))),"
	" tm AS (SELECT t.teacher_id, t.minutes FROM coaching_time t WHERE t.district_id = $1"
	" AND t.logged_on >= $2::date AND t.logged_on < $3::date"
	" AND ($4::uuid IS NULL OR t.teacher_id IN (SELECT educator_id FROM mine))),"
	" coached AS (SELECT teacher_id FROM tm UNION SELECT teacher_id FROM cyc WHERE started_at < $3::date"
	" AND (closed_at IS NULL OR closed_at >= $2::date)),"
	" f AS (SELECT (SELECT count(*) FROM cyc WHERE started_at >= $2::date AND started_at < $3::date) AS started,"
	" (SELECT count(*) FROM cyc WHERE status = 'completed' AND closed_at >= $2::date AND closed_at < $3::date)"
	" AS completed,"
	" (SELECT count(*) FROM cyc WHERE status = 'cancelled' AND closed_at >= $2::date AND closed_at < $3::date)"
	" AS cancelled,"
	" (SELECT count(*) FROM cyc WHERE status = 'completed' AND goal_met AND closed_at >= $2::date"
	" AND closed_at < $3::date) AS goals_met,"
	" (SELECT count(*) FROM fb) AS feedback,"
	" (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY m) FROM fb) AS median,"
	" (SELECT coalesce(sum(minutes), 0) FROM tm) AS minutes, (SELECT count(*) FROM coached) AS teachers)"
	" SELECT json_build_object('cycles_started', started, 'cycles_completed', completed,"
	" 'cycles_cancelled', cancelled, 'goals_met', goals_met,"
	" 'goal_met_rate', CASE WHEN completed > 0 THEN round(goals_met::numeric / completed, 4) END,"
	" 'feedback_given', feedback, 'median_minutes_to_feedback', round(median::numeric, 1),"
	" 'coaching_minutes', round(minutes, 2), 'teachers_coached', teachers,"
	" 'minutes_per_teacher', CASE WHEN teachers > 0 THEN round(minutes / teachers, 2) END)::text FROM f",
	4};

enum hg_status coaching_model_store_read(struct hg_db_pool *pool, const char *district_id, const char *leader_id,
					 const struct period *period, json_t **doc)
{
	struct hg_db_conn *conn = NULL;
	const char *params[4] = {district_id, period->from, period->to, leader_id};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK)
		return st;
	st = hg_tx_row(conn, &read_stmt, params, doc);
	hg_db_release(pool, conn);
	return st;
}
