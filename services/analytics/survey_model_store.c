/* survey_model_store.c - survey figures from the surveys read models, in one statement (one snapshot). */
#include <stdio.h>

#include "common/record.h"
#include "services/analytics/analytics_store.h"

/*
 * $1 district, $2 first day, $3 the day after the last, $4 the most surveys listed.
 *
 * The surveys closed in the period with their final results (the surveys service's, already suppressed):
 * totals of invited and responded and the response rate (%, one decimal); per survey, newest first, its rate,
 * respondents, satisfaction, confidence change and topic scores; needs by topic: each topic's score across the
 * needs assessments closed in the period, weighted by their responses (two decimals; the first 1000 topics).
 */
static const struct hg_stmt read_stmt = {
	"analytics_surveys",
	"WITH r AS (SELECT r.*, s.title, s.purpose, s.mode FROM survey_results r LEFT JOIN surveys s"
	" ON s.district_id = r.district_id AND s.survey_id = r.survey_id WHERE r.district_id = $1"
	" AND r.closed_at >= $2::date AND r.closed_at < $3::date),"
	" needs AS (SELECT t.key AS topic, round(sum(t.value::numeric * r.responded) / nullif(sum(r.responded), 0), 2)"
	" AS score, count(*) AS surveys FROM r CROSS JOIN LATERAL jsonb_each_text(r.topics) t"
	" WHERE r.purpose = 'needs_assessment' GROUP BY t.key ORDER BY t.key LIMIT 1000)"
	" SELECT json_build_object('surveys_closed', (SELECT count(*) FROM r),"
	" 'invited', (SELECT coalesce(sum(invited), 0) FROM r), 'responded', (SELECT coalesce(sum(responded), 0) FROM r),"
	" 'response_rate', (SELECT round(100.0 * sum(responded) / nullif(sum(invited), 0), 1) FROM r),"
	" 'surveys', (SELECT coalesce(json_agg(json_build_object('survey_id', x.survey_id, 'title', x.title,"
	" 'purpose', x.purpose, 'mode', x.mode,"
	" 'closed_at', to_char(x.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
	" 'invited', x.invited, 'responded', x.responded,"
	" 'response_rate', round(100.0 * x.responded / nullif(x.invited, 0), 1), 'respondents', x.respondents,"
	" 'satisfaction', x.satisfaction, 'confidence_change', x.confidence_change, 'topics', x.topics)"
	" ORDER BY x.closed_at DESC, x.survey_id), '[]') FROM (SELECT * FROM r ORDER BY closed_at DESC, survey_id"
	" LIMIT $4::int) x),"
	" 'truncated', (SELECT count(*) FROM r) > $4::int,"
	" 'needs_by_topic', (SELECT coalesce(json_agg(json_build_object('topic', topic, 'score', score,"
	" 'surveys', surveys) ORDER BY topic), '[]') FROM needs))::text",
	4};

enum hg_status survey_model_store_read(struct hg_db_pool *pool, const char *district_id, const struct period *period,
				       long max_surveys, json_t **doc)
{
	struct hg_db_conn *conn = NULL;
	char max[24];
	snprintf(max, sizeof(max), "%ld", max_surveys);
	const char *params[4] = {district_id, period->from, period->to, max};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK)
		return st;
	st = hg_tx_row(conn, &read_stmt, params, doc);
	hg_db_release(pool, conn);
	return st;
}
