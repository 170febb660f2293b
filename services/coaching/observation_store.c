/* observation_store.c - observations, feedback and reflections in PostgreSQL.
 *
 * Every read of their content is one statement that reads the rows the caller is a party to and appends one line
 * per row answered to access_log (who, what, when): there is no read without its line, and no line without a
 * read. A leader's or an admin's read finds no row (404, as an unknown id).
 */
#include <stdio.h>

#include "services/coaching/coaching_store.h"
#include "services/coaching/observation.h"
#include "services/coaching/reasons.h"

/* ---- observations ---- */

/* An observation is recorded under a share lock of its cycle: completing or cancelling the cycle waits for it. */
static const struct hg_stmt cycle_lock_stmt = {
	"coaching_observation_cycle_lock",
	"SELECT json_build_object('coach_id', coach_id, 'teacher_id', teacher_id, 'status', status)::text"
	" FROM cycles WHERE district_id = $1 AND id = $2 FOR SHARE",
	2};

/* A list's cycle: who its parties are. */
static const struct hg_stmt cycle_stmt = {
	"coaching_observation_cycle",
	"SELECT json_build_object('coach_id', coach_id, 'teacher_id', teacher_id)::text"
	" FROM cycles WHERE district_id = $1 AND id = $2",
	2};

static const struct hg_stmt rubric_version_stmt = {
	"coaching_observation_rubric_version",
	"SELECT domains::text FROM rubric_versions WHERE district_id = $1 AND rubric_id = $2::uuid"
	" AND version = $3::integer",
	3};

static const struct hg_stmt observation_insert_stmt = {
	"coaching_observation_insert",
	"INSERT INTO observations (district_id, created_by, cycle_id, relationship_id, coach_id, teacher_id,"
	" observed_at, rubric_id, rubric_version, ratings, evidence)"
	" SELECT $1, $2, c.id, c.relationship_id, c.coach_id, c.teacher_id, (d->>'observed_at')::timestamptz,"
	" (d->>'rubric_id')::uuid, (d->>'rubric_version')::integer, d->'ratings', d->'evidence'"
	" FROM cycles c, (SELECT $3::jsonb AS d) AS input WHERE c.district_id = $1 AND c.id = $4"
	" RETURNING observation_json(observations)::text",
	4};

/* $3: the reader (only their own rows; the read is logged). */
static const struct hg_stmt observation_get_stmt = {
	"coaching_observation_get",
	"WITH o AS (SELECT x FROM observations x WHERE x.district_id = $1 AND x.id = $2"
	" AND (x.coach_id = $3::uuid OR x.teacher_id = $3::uuid)),"
	" logged AS (INSERT INTO access_log (district_id, reader_id, teacher_id, coach_id, record_kind, record_id,"
	" cycle_id) SELECT (o.x).district_id, $3::uuid, (o.x).teacher_id, (o.x).coach_id, 'observation', (o.x).id,"
	" (o.x).cycle_id FROM o)"
	" SELECT observation_json(o.x)::text FROM o",
	3};

/* $5: the cycle, $6: the reader. The extra row that only tells whether a next page exists is not answered, so
 * not logged. */
static const struct hg_stmt observation_page_stmt = {
	"coaching_observation_page",
	"WITH page AS (SELECT x, (extract(epoch FROM x.created_at) * 1000000)::bigint AS k,"
	" row_number() OVER (ORDER BY x.created_at DESC, x.id DESC) AS n"
	" FROM observations x WHERE x.district_id = $1 AND x.cycle_id = $5"
	" AND (x.coach_id = $6::uuid OR x.teacher_id = $6::uuid)"
	" AND ($4::uuid IS NULL OR (x.created_at, x.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" ORDER BY x.created_at DESC, x.id DESC LIMIT $2),"
	" logged AS (INSERT INTO access_log (district_id, reader_id, teacher_id, coach_id, record_kind, record_id,"
	" cycle_id) SELECT (p.x).district_id, $6::uuid, (p.x).teacher_id, (p.x).coach_id, 'observation', (p.x).id,"
	" (p.x).cycle_id FROM page p WHERE p.n < $2)"
	" SELECT observation_json(p.x)::text, p.k, (p.x).id FROM page p ORDER BY p.n",
	6};

/* The rubric version named exists in the district, and every rating fits it (a 422 naming the field). */
static enum hg_status observation_check_create(struct hg_db_conn *conn, struct hg_record_call *call)
{
	char version[24], field[64];
	json_t *domains = NULL;
	snprintf(version, sizeof(version), "%lld",
		 (long long)json_integer_value(json_object_get(call->fields, "rubric_version")));
	const char *params[3] = {call->who->district_id, json_string_value(json_object_get(call->fields, "rubric_id")),
				 version};
	enum hg_status st = hg_tx_row(conn, &rubric_version_stmt, params, &domains);
	if (st == HG_NOT_FOUND)
		return hg_record_refuse_field(call, COACHING_REFUSE(R_RUBRIC_VERSION_UNKNOWN), "rubric_version");
	if (st != HG_OK)
		return st;
	const struct hg_reason *why =
		observation_check_ratings(domains, json_object_get(call->fields, "ratings"), field, sizeof(field));
	json_decref(domains);
	return why != NULL ? hg_record_refuse_field(call, why, field) : HG_OK;
}

const struct hg_entity observation_entity = {
	.name = "observation",
	.parent_name = "cycle",
	.insert = &observation_insert_stmt,
	.get = &observation_get_stmt,
	.page = &observation_page_stmt,
	.parent = &cycle_stmt,
	.parent_lock = &cycle_lock_stmt,
	.created = "observation.recorded",
	.event_data = observation_event_data,
	.create_rule = observation_rule_create,
	.read_rule = content_rule_read,
	.parent_rule = content_rule_parent,
	.check_create = observation_check_create,
};

/* ---- feedback ---- */

static const struct hg_stmt observation_lock_stmt = {
	"coaching_feedback_observation_lock",
	"SELECT json_build_object('coach_id', coach_id, 'teacher_id', teacher_id, 'feedback_count',"
	" feedback_count)::text FROM observations WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

/* The feedback and its observation's count in one statement; the minutes since the observation recorded. */
static const struct hg_stmt feedback_insert_stmt = {
	"coaching_feedback_insert",
	"WITH o AS (UPDATE observations SET feedback_count = feedback_count + 1 WHERE district_id = $1 AND id = $4"
	" RETURNING id, cycle_id, coach_id, teacher_id, observed_at)"
	" INSERT INTO feedback (district_id, created_by, observation_id, cycle_id, coach_id, teacher_id, strengths,"
	" next_steps, minutes_since_observation)"
	" SELECT $1, $2, o.id, o.cycle_id, o.coach_id, o.teacher_id, d->>'strengths', d->>'next_steps',"
	" greatest(0, floor(extract(epoch FROM clock_timestamp() - o.observed_at) / 60))::integer"
	" FROM o, (SELECT $3::jsonb AS d) AS input RETURNING feedback_json(feedback)::text",
	4};

static const struct hg_stmt feedback_get_stmt = {
	"coaching_feedback_get",
	"WITH f AS (SELECT x FROM feedback x WHERE x.district_id = $1 AND x.id = $2"
	" AND (x.coach_id = $3::uuid OR x.teacher_id = $3::uuid)),"
	" logged AS (INSERT INTO access_log (district_id, reader_id, teacher_id, coach_id, record_kind, record_id,"
	" cycle_id) SELECT (f.x).district_id, $3::uuid, (f.x).teacher_id, (f.x).coach_id, 'feedback', (f.x).id,"
	" (f.x).cycle_id FROM f)"
	" SELECT feedback_json(f.x)::text FROM f",
	3};

const struct hg_entity feedback_entity = {
	.name = "feedback",
	.parent_name = "observation",
	.insert = &feedback_insert_stmt,
	.get = &feedback_get_stmt,
	.parent_lock = &observation_lock_stmt,
	.created = "feedback.given",
	.event_data = feedback_event_data,
	.create_rule = feedback_rule_create,
	.read_rule = content_rule_read,
};

/* ---- reflections ---- */

static const struct hg_stmt feedback_lock_stmt = {
	"coaching_reflection_feedback_lock",
	"SELECT json_build_object('coach_id', f.coach_id, 'teacher_id', f.teacher_id, 'reflected',"
	" EXISTS (SELECT 1 FROM reflections r WHERE r.district_id = f.district_id AND r.feedback_id = f.id))::text"
	" FROM feedback f WHERE f.district_id = $1 AND f.id = $2 FOR NO KEY UPDATE",
	2};

static const struct hg_stmt reflection_insert_stmt = {
	"coaching_reflection_insert",
	"INSERT INTO reflections (district_id, created_by, feedback_id, cycle_id, coach_id, teacher_id, text)"
	" SELECT $1, $2, f.id, f.cycle_id, f.coach_id, f.teacher_id, d->>'text'"
	" FROM feedback f, (SELECT $3::jsonb AS d) AS input WHERE f.district_id = $1 AND f.id = $4"
	" RETURNING reflection_json(reflections)::text",
	4};

const struct hg_entity reflection_entity = {
	.name = "reflection",
	.parent_name = "feedback",
	.insert = &reflection_insert_stmt,
	.parent_lock = &feedback_lock_stmt,
	.created = "reflection.recorded",
	.event_data = reflection_event_data,
	.create_rule = reflection_rule_create,
	.conflict = COACHING_REFUSE(R_REFLECTION_EXISTS),
};

/* ---- the access log ---- */

/* $5 teacher, $6 reader, $7 record filters; $8 the teacher every row must be about (NULL for admins). */
static const struct hg_stmt access_page_stmt = {
	"coaching_access_log_page",
	"SELECT access_log_json(a)::text, (extract(epoch FROM a.read_at) * 1000000)::bigint, a.id"
	" FROM access_log a WHERE a.district_id = $1"
	" AND ($4::uuid IS NULL OR (a.read_at, a.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" AND ($5::uuid IS NULL OR a.teacher_id = $5::uuid) AND ($6::uuid IS NULL OR a.reader_id = $6::uuid)"
	" AND ($7::uuid IS NULL OR a.record_id = $7::uuid) AND ($8::uuid IS NULL OR a.teacher_id = $8::uuid)"
	" ORDER BY a.read_at DESC, a.id DESC LIMIT $2",
	8};

const struct hg_entity access_log_entity = {
	.name = "access log",
	.page = &access_page_stmt,
};
