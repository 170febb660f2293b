/* survey_store.c - surveys in PostgreSQL: the entity the CRUD kit runs. */
#include "services/surveys/survey.h"
#include "services/surveys/surveys_store.h"

/* The normalised fields travel as one jsonb parameter ($3 / d). */
static const struct hg_stmt insert_stmt = {
	"survey_insert",
	"INSERT INTO surveys (district_id, created_by, title, description, purpose, mode, audience, opens_at,"
	" closes_at, questions)"
	" SELECT $1, $2, d->>'title', coalesce(d->>'description', ''), d->>'purpose', d->>'mode', d->'audience',"
	" (d->>'opens_at')::timestamptz, (d->>'closes_at')::timestamptz, coalesce(d->'questions', '[]')"
	" FROM (SELECT $3::jsonb AS d) AS input RETURNING survey_json(surveys)::text",
	3};

static const struct hg_stmt get_stmt = {
	"survey_get", "SELECT survey_json(s)::text FROM surveys s WHERE s.district_id = $1 AND s.id = $2", 2};

/* Newest first; $5 the statuses who may see (a text[] literal). */
static const struct hg_stmt page_stmt = {
	"survey_page",
	"SELECT survey_json(s)::text, (extract(epoch FROM s.created_at) * 1000000)::bigint, s.id"
	" FROM surveys s WHERE s.district_id = $1"
	" AND (s.created_at, s.id) < (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" AND s.status = ANY ($5::text[])"
	" ORDER BY s.created_at DESC, s.id DESC LIMIT $2",
	5};

static const struct hg_stmt lock_stmt = {"survey_lock",
					 "SELECT version, json_build_object('status', status, 'responses', responses,"
					 " 'questions', jsonb_array_length(questions))::text FROM surveys"
					 " WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
					 2};

/* A key present in d replaces the column. Opening counts the audience in the roster read model. */
static const struct hg_stmt update_stmt = {
	"survey_update",
	"UPDATE surveys SET"
	" title = CASE WHEN d ? 'title' THEN d->>'title' ELSE title END,"
	" description = CASE WHEN d ? 'description' THEN d->>'description' ELSE description END,"
	" purpose = CASE WHEN d ? 'purpose' THEN d->>'purpose' ELSE purpose END,"
	" mode = CASE WHEN d ? 'mode' THEN d->>'mode' ELSE mode END,"
	" audience = CASE WHEN d ? 'audience' THEN d->'audience' ELSE audience END,"
	" opens_at = CASE WHEN d ? 'opens_at' THEN (d->>'opens_at')::timestamptz ELSE opens_at END,"
	" closes_at = CASE WHEN d ? 'closes_at' THEN (d->>'closes_at')::timestamptz ELSE closes_at END,"
	" questions = CASE WHEN d ? 'questions' THEN d->'questions' ELSE questions END,"
	" audience_size = CASE WHEN d->>'status' = 'open' AND status = 'draft'"
	" THEN (SELECT count(*) FROM roster_educators e WHERE e.district_id = surveys.district_id"
	" AND in_audience(e, CASE WHEN d ? 'audience' THEN d->'audience' ELSE surveys.audience END))"
	" ELSE audience_size END,"
	" opened_at = CASE WHEN d->>'status' = 'open' AND status = 'draft' THEN clock_timestamp() ELSE opened_at END,"
	" closed_at = CASE WHEN d->>'status' = 'closed' AND status = 'open' THEN clock_timestamp() ELSE closed_at END,"
	" status = CASE WHEN d ? 'status' THEN d->>'status' ELSE status END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" WHERE district_id = $1 AND id = $2"
	" RETURNING survey_json(surveys)::text",
	3};

const struct hg_entity survey_entity = {
	.name = "survey",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.created = "survey.created",
	.updated = "survey.updated",
	.event_type = survey_event_type,
	.change_rule = survey_rule_change,
	.read_rule = survey_rule_read,
	.after_update = result_store_after_close,
};
