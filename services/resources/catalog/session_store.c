/* session_store.c - sessions of PD activities in PostgreSQL: the entity the CRUD kit runs.
 *
 * Lock order (catalog_store.h): a new session locks its activity; a status move locks the activity (a
 * cancelled session re-evaluates the activity's completions), then the session.
 */
#include <string.h>

#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/roster_model_store.h"
#include "services/resources/catalog/session.h"

static const struct hg_stmt insert_stmt = {
	"catalog_session_insert",
	"INSERT INTO catalog_sessions (district_id, activity_id, created_by, starts_at, ends_at, location, online_url,"
	" capacity, facilitators, check_in_code)"
	" SELECT $1, $4, $2, (d->>'starts_at')::timestamptz, (d->>'ends_at')::timestamptz, d->>'location',"
	" d->>'online_url', (d->>'capacity')::integer,"
	" ARRAY(SELECT jsonb_array_elements_text(d->'facilitators'))::uuid[], d->>'check_in_code'"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING catalog_session_json(catalog_sessions, true)::text",
	4};

static const struct hg_stmt activity_stmt = {
	"catalog_session_activity",
	"SELECT json_build_object('status', status)::text FROM catalog_activities WHERE district_id = $1 AND id = $2",
	2};

static const struct hg_stmt activity_lock_stmt = {
	"catalog_session_activity_lock",
	"SELECT json_build_object('status', status)::text FROM catalog_activities WHERE district_id = $1 AND id = $2"
	" FOR NO KEY UPDATE",
	2};

static const struct hg_stmt get_stmt = {
	"catalog_session_get",
	"SELECT catalog_session_json(s, true)::text, json_build_object('activity_status', a.status)::text"
	" FROM catalog_sessions s JOIN catalog_activities a ON a.id = s.activity_id"
	" WHERE s.district_id = $1 AND s.id = $2",
	2};

/* Earliest first; $5 the activity. */
static const struct hg_stmt page_stmt = {
	"catalog_session_page",
	"SELECT catalog_session_json(s, true)::text, (extract(epoch FROM s.starts_at) * 1000000)::bigint, s.id"
	" FROM catalog_sessions s WHERE s.district_id = $1 AND s.activity_id = $5"
	" AND (s.starts_at, s.id) > (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" '-infinity'), coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'))"
	" ORDER BY s.starts_at, s.id LIMIT $2",
	5};

static const struct hg_stmt before_lock_stmt = {
	"catalog_session_lock_activity",
	"SELECT 1 FROM catalog_activities WHERE district_id = $1"
	" AND id = (SELECT activity_id FROM catalog_sessions WHERE district_id = $1 AND id = $2) FOR NO KEY UPDATE",
	2};

static const struct hg_stmt lock_stmt = {
	"catalog_session_lock_version",
	"SELECT version, json_build_object('status', status)::text FROM catalog_sessions"
	" WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

static const struct hg_stmt update_stmt = {
	"catalog_session_set_status",
	"UPDATE catalog_sessions SET status = d->>'status', version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" WHERE district_id = $1 AND id = $2 RETURNING catalog_session_json(catalog_sessions, true)::text",
	3};

/* A cancelled session no longer counts toward "all sessions": some educators may have just completed. */
static enum hg_status after_update(struct hg_db_conn *conn, const struct hg_record_call *call, json_t *state,
				   json_t *record)
{
	(void)state;
	const char *status = json_string_value(json_object_get(record, "status"));
	if (status == NULL || strcmp(status, "cancelled") != 0)
		return HG_OK;
	return completion_store_evaluate(conn, call->who->district_id,
					 json_string_value(json_object_get(record, "activity_id")), NULL);
}

/* Facilitators are active educators of the district's roster. */
static enum hg_status check_facilitators(struct hg_db_conn *conn, struct hg_record_call *call)
{
	return roster_model_store_require_active(conn, call, json_object_get(call->fields, "facilitators"),
						 "facilitators", 1);
}

const struct hg_entity session_entity = {
	.name = "session",
	.parent_name = "activity",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.parent = &activity_stmt,
	.parent_lock = &activity_lock_stmt,
	.before_lock = &before_lock_stmt,
	.created = "session.scheduled",
	.event_type = session_event_type,
	.event_data = session_event_data,
	.create_rule = session_rule_create,
	.change_rule = session_rule_change,
	.read_rule = session_rule_read,
	.parent_rule = activity_rule_parent,
	.shape = session_redact,
	.check_create = check_facilitators,
	.after_update = after_update,
};
