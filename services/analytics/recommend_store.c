/* recommend_store.c - the recommendation read models (fed with the other read models, one event per
 * transaction; entities change only for a newer version) and one educator's recommendations in one statement. */
#include "services/analytics/recommend_store.h"

#include <stdio.h>

#include "common/record.h"

/* Topics and labels are kept lower-cased: they are matched without regard to case. */
#define LOWER_ARRAY(p) "ARRAY(SELECT lower(x) FROM jsonb_array_elements_text(" p "::jsonb) x)"

static const struct hg_stmt activity_stmt = {
	"rec_activity",
	"INSERT INTO rec_activities (district_id, activity_id, topics, target_audience, version)"
	" VALUES ($1, $2, " LOWER_ARRAY("$3") ", " LOWER_ARRAY(
		"$4") ", $5)"
		      " ON CONFLICT (district_id, activity_id) DO UPDATE SET topics = excluded.topics,"
		      " target_audience = excluded.target_audience, version = excluded.version"
		      " WHERE rec_activities.version < excluded.version",
	5};

static const struct hg_stmt session_stmt = {
	"rec_session",
	"INSERT INTO rec_sessions (district_id, session_id, capacity, version) VALUES ($1, $2, $3::integer, $4)"
	" ON CONFLICT (district_id, session_id) DO UPDATE SET capacity = excluded.capacity, version = excluded.version"
	" WHERE rec_sessions.version < excluded.version",
	4};

static const struct hg_stmt registration_stmt = {
	"rec_registration",
	"INSERT INTO rec_registrations (district_id, registration_id, session_id, activity_id, educator_id, status,"
	" version) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	" ON CONFLICT (district_id, registration_id) DO UPDATE SET status = excluded.status,"
	" version = excluded.version WHERE rec_registrations.version < excluded.version",
	7};

/* A deletion keeps the version it deleted: it applies over that version too. */
static const struct hg_stmt resource_stmt = {
	"rec_resource",
	"INSERT INTO rec_resources (district_id, resource_id, title, type, topics, grade_bands, created_by, deleted,"
	" version) VALUES ($1, $2, $3, $4, " LOWER_ARRAY(
		"$5") ", ARRAY(SELECT jsonb_array_elements_text($6::jsonb)),"
		      " $7::uuid, $8::boolean, $9)"
		      " ON CONFLICT (district_id, resource_id) DO UPDATE SET title = excluded.title, type = excluded.type,"
		      " topics = excluded.topics, grade_bands = excluded.grade_bands, created_by = excluded.created_by,"
		      " deleted = excluded.deleted, version = excluded.version WHERE rec_resources.version < excluded.version"
		      " OR (excluded.deleted AND NOT rec_resources.deleted AND rec_resources.version <= excluded.version)",
	9};

static const struct hg_stmt review_stmt = {
	"rec_review",
	"INSERT INTO rec_reviews (district_id, review_id, resource_id, reviewer_id, rating, version)"
	" VALUES ($1, $2, $3, $4, $5::smallint, $6)"
	" ON CONFLICT (district_id, review_id) DO UPDATE SET rating = excluded.rating, version = excluded.version"
	" WHERE rec_reviews.version < excluded.version",
	6};

static const struct hg_stmt survey_stmt = {
	"rec_survey_audience",
	"INSERT INTO rec_survey_audiences (district_id, survey_id, school_ids, version)"
	" VALUES ($1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb))::uuid[], $4)"
	" ON CONFLICT (district_id, survey_id) DO UPDATE SET school_ids = excluded.school_ids,"
	" version = excluded.version WHERE rec_survey_audiences.version < excluded.version",
	4};

static const struct hg_stmt *const statements[REC_KIND_COUNT] = {
	[REC_ACTIVITY] = &activity_stmt, [REC_SESSION] = &session_stmt, [REC_REGISTRATION] = &registration_stmt,
	[REC_RESOURCE] = &resource_stmt, [REC_REVIEW] = &review_stmt,   [REC_SURVEY] = &survey_stmt,
};

enum hg_status recommend_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, const char *district_id)
{
	struct rec_projection p;
	enum hg_status st = HG_OK;
	recommend_read(topic, event, district_id, &p);
	if (p.kind != REC_NONE)
		st = hg_db_exec(conn, statements[p.kind], p.params, NULL);
	rec_projection_cleanup(&p);
	return st;
}

/*
 * $1 district, $2 educator, $3 viewer (NULL: a district admin), $4 the viewer leads a school, $5 limit,
 * $6-$9 the weights of school_need, role, career_stage, peer_rating. No row when the educator is not an active
 * educator of the district the viewer may see. docs/analytics.md "Recommendations" explains each step.
 */
static const struct hg_stmt read_stmt = {
	"rec_read",
	"WITH me AS (SELECT e.educator_id, e.roles, e.school_ids,"
	" career_stage(e.started_teaching_on, current_date) AS stage FROM educators e"
	" WHERE e.district_id = $1 AND e.educator_id = $2 AND e.status = 'active' AND ($3::uuid IS NULL"
	" OR e.educator_id = $3::uuid OR ($4::boolean AND e.school_ids && coalesce((SELECT v.school_ids"
	" FROM educators v WHERE v.district_id = $1 AND v.educator_id = $3::uuid AND v.status = 'active'), '{}')))),"
	/* needs by topic: the closed needs assessments whose audience reached one of the educator's schools */
	" needs AS MATERIALIZED (SELECT lower(t.key) AS topic, round(sum(t.value::numeric * r.responded) / sum(r.responded), 2)"
	" AS need FROM me CROSS JOIN survey_results r JOIN surveys s ON s.district_id = r.district_id"
	" AND s.survey_id = r.survey_id LEFT JOIN rec_survey_audiences a ON a.district_id = r.district_id"
	" AND a.survey_id = r.survey_id CROSS JOIN LATERAL jsonb_each_text(r.topics) t"
	" WHERE r.district_id = $1 AND s.purpose = 'needs_assessment' AND r.responded > 0"
	" AND (a.school_ids IS NULL OR a.school_ids = '{}' OR a.school_ids && me.school_ids) GROUP BY lower(t.key)),"
	/* open seats: upcoming sessions still registering, capacity minus the registrations holding a seat */
	" seats AS MATERIALIZED (SELECT s.activity_id, s.session_id, s.starts_at, c.capacity - (SELECT count(*)"
	" FROM rec_registrations g WHERE g.district_id = $1 AND g.session_id = s.session_id"
	" AND g.status = 'registered') AS seats_left FROM sessions s JOIN rec_sessions c"
	" ON c.district_id = s.district_id AND c.session_id = s.session_id"
	" WHERE s.district_id = $1 AND s.status = 'registering' AND s.starts_at > now()),"
	" open AS (SELECT DISTINCT ON (activity_id) activity_id, session_id, starts_at, seats_left FROM seats"
	" WHERE seats_left > 0 ORDER BY activity_id, starts_at, session_id),"
	/* candidates: published activities with an open session the educator neither completed nor holds a live
	 * registration for; library resources they did not write, review or see deleted */
	" items AS (SELECT 'activity' AS kind, a.activity_id AS id, a.title, a.type, r.topics,"
	" (SELECT min(l) FROM unnest(r.target_audience) l, unnest(me.roles) ro WHERE l IN (ro, ro || 's',"
	" replace(ro, '_', ' '), replace(ro, '_', ' ') || 's')) AS role_label,"
	" (SELECT min(l) FROM unnest(r.target_audience) l WHERE l IN (me.stage, me.stage || ' teacher',"
	" me.stage || ' teachers')) AS stage_label,"
	" json_build_object('session_id', o.session_id, 'starts_at',"
	" to_char(o.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'seats_left', o.seats_left)"
	" AS next_session FROM me CROSS JOIN activities a JOIN rec_activities r ON r.district_id = a.district_id"
	" AND r.activity_id = a.activity_id JOIN open o ON o.activity_id = a.activity_id"
	" WHERE a.district_id = $1 AND a.status = 'published' AND NOT EXISTS (SELECT 1 FROM completions c"
	" WHERE c.district_id = $1 AND c.educator_id = $2 AND c.activity_id = a.activity_id)"
	" AND NOT EXISTS (SELECT 1 FROM rec_registrations g WHERE g.district_id = $1"
	" AND g.educator_id = $2 AND g.activity_id = a.activity_id AND g.status <> 'cancelled')"
	" UNION ALL SELECT 'resource', x.resource_id, x.title, x.type, x.topics, NULL, NULL, NULL"
	" FROM rec_resources x WHERE x.district_id = $1 AND NOT x.deleted"
	" AND x.created_by IS DISTINCT FROM $2 AND NOT EXISTS (SELECT 1 FROM rec_reviews v"
	" WHERE v.district_id = $1 AND v.resource_id = x.resource_id AND v.reviewer_id = $2)),"
	/* similar educators: colleagues - another active educator who shares a school and a role with them */
	" peers AS MATERIALIZED (SELECT v.resource_id, round(avg(v.rating), 2) AS rating, count(*) AS n FROM me"
	" CROSS JOIN educators p JOIN rec_reviews v ON v.district_id = $1 AND v.reviewer_id = p.educator_id"
	" WHERE p.district_id = $1 AND p.status = 'active' AND p.educator_id <> $2 AND p.school_ids && me.school_ids"
	" AND p.roles && me.roles GROUP BY v.resource_id),"
	/* each item's most needed topic, set-based (one hash join, not a sort per item) */
	" best_need AS (SELECT DISTINCT ON (i.kind, i.id) i.kind, i.id, nd.topic, nd.need FROM items i"
	" CROSS JOIN LATERAL unnest(i.topics) tp JOIN needs nd ON nd.topic = tp"
	" ORDER BY i.kind, i.id, nd.need DESC, nd.topic),"
	" scored AS (SELECT i.*, n.need, n.topic AS need_topic, p.rating AS peer, p.n AS peer_n"
	" FROM items i LEFT JOIN best_need n ON n.kind = i.kind AND n.id = i.id"
	" LEFT JOIN peers p ON i.kind = 'resource' AND p.resource_id = i.id),"
	" valued AS (SELECT s.*, round($6::numeric * s.need / 5, 4) AS c_need,"
	" CASE WHEN s.role_label IS NOT NULL THEN $7::numeric END AS c_role,"
	" CASE WHEN s.stage_label IS NOT NULL THEN $8::numeric END AS c_stage,"
	" round($9::numeric * (s.peer - 3) / 2, 4) AS c_peer FROM scored s),"
	" ranked AS (SELECT v.*, round(coalesce(c_need, 0) + coalesce(c_role, 0) + coalesce(c_stage, 0)"
	" + coalesce(c_peer, 0), 4) AS score FROM valued v),"
	" top AS (SELECT * FROM ranked WHERE score > 0 ORDER BY score DESC, kind, id LIMIT $5)"
	" SELECT json_build_object('educator_id', me.educator_id, 'career_stage', me.stage,"
	" 'weights', json_build_object('school_need', $6::integer, 'role', $7::integer, 'career_stage', $8::integer,"
	" 'peer_rating', $9::integer), 'items', coalesce((SELECT json_agg(json_build_object('kind', t.kind,"
	" 'id', t.id, 'title', t.title, 'type', t.type, 'score', t.score, 'next_session', t.next_session,"
	" 'reasons', (SELECT json_agg(x ORDER BY o) FROM (VALUES"
	" (1, CASE WHEN t.c_need IS NOT NULL THEN json_build_object('factor', 'school_need', 'weight', $6::integer,"
	" 'value', t.need, 'contribution', t.c_need, 'detail', t.need_topic) END),"
	" (2, CASE WHEN t.c_role IS NOT NULL THEN json_build_object('factor', 'role', 'weight', $7::integer,"
	" 'value', 1, 'contribution', t.c_role, 'detail', t.role_label) END),"
	" (3, CASE WHEN t.c_stage IS NOT NULL THEN json_build_object('factor', 'career_stage', 'weight', $8::integer,"
	" 'value', 1, 'contribution', t.c_stage, 'detail', t.stage_label) END),"
	" (4, CASE WHEN t.c_peer IS NOT NULL THEN json_build_object('factor', 'peer_rating', 'weight', $9::integer,"
	" 'value', t.peer, 'contribution', t.c_peer, 'detail', t.peer_n || CASE WHEN t.peer_n = 1 THEN ' rating' ELSE ' ratings' END || ' by colleagues') END))"
	" f(o, x) WHERE x IS NOT NULL)) ORDER BY t.score DESC, t.kind, t.id) FROM top t), '[]'::json))::text"
	" FROM me",
	9};

enum hg_status recommend_store_read(struct hg_db_pool *pool, const char *district_id, const char *educator_id,
				    const struct rec_viewer *viewer, const struct rec_weights *weights, long limit,
				    json_t **doc)
{
	char num[5][24];
	struct hg_db_conn *conn = NULL;
	snprintf(num[0], sizeof(num[0]), "%ld", limit);
	snprintf(num[1], sizeof(num[1]), "%ld", weights->school_need);
	snprintf(num[2], sizeof(num[2]), "%ld", weights->role);
	snprintf(num[3], sizeof(num[3]), "%ld", weights->career_stage);
	snprintf(num[4], sizeof(num[4]), "%ld", weights->peer_rating);
	const char *params[9] = {
		district_id, educator_id, viewer->viewer_id, viewer->leader ? "true" : "false", num[0], num[1], num[2],
		num[3],      num[4]};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK)
		return st;
	st = hg_tx_row(conn, &read_stmt, params, doc);
	hg_db_release(pool, conn);
	return st;
}
