/* session_store.c - sessions of PD activities in PostgreSQL: the entity the CRUD kit runs.
 *
 * Lock order (catalog_store.h): a new session locks its activity; a change locks the activity (a cancelled
 * session re-evaluates the activity's completions), then the session, under whose lock its registrations
 * change (cancelled with it, or promoted into new seats).
 */
#include <string.h>

#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/roster_model_store.h"
#include "services/resources/catalog/session.h"

/* A proposal's proposer facilitates each of its sessions (added after the body's facilitators). */
static const struct hg_stmt insert_stmt = {
	"catalog_session_insert",
	"INSERT INTO catalog_sessions (district_id, activity_id, created_by, starts_at, ends_at, location, online_url,"
	" capacity, facilitators, check_in_code)"
	" SELECT $1, $4, $2, (d->>'starts_at')::timestamptz, (d->>'ends_at')::timestamptz, d->>'location',"
	" d->>'online_url', (d->>'capacity')::integer,"
	" f.ids || (SELECT ARRAY[a.proposed_by] FROM catalog_activities a WHERE a.district_id = $1 AND a.id = $4"
	" AND a.proposed_by IS NOT NULL AND a.proposed_by <> ALL (f.ids)), d->>'check_in_code'"
	" FROM (SELECT $3::jsonb AS d) AS input,"
	" LATERAL (SELECT ARRAY(SELECT jsonb_array_elements_text(d->'facilitators'))::uuid[] AS ids) AS f"
	" RETURNING catalog_session_json(catalog_sessions, true)::text",
	4};

static const struct hg_stmt activity_stmt = {
	"catalog_session_activity",
	"SELECT json_build_object('status', status, 'proposed_by', proposed_by)::text FROM catalog_activities"
	" WHERE district_id = $1 AND id = $2",
	2};

static const struct hg_stmt activity_lock_stmt = {
	"catalog_session_activity_lock",
	"SELECT json_build_object('status', status)::text FROM catalog_activities WHERE district_id = $1 AND id = $2"
	" FOR NO KEY UPDATE",
	2};

static const struct hg_stmt get_stmt = {
	"catalog_session_get",
	"SELECT catalog_session_json(s, true)::text,"
	" json_build_object('activity_status', a.status, 'activity_proposed_by', a.proposed_by)::text"
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
	"SELECT version, json_build_object('status', status, 'capacity', capacity, 'registered_count',"
	" registered_count, 'waitlisted_count', waitlisted_count, 'location', location, 'online_url', online_url,"
	" 'starts_us', (extract(epoch FROM starts_at) * 1000000)::bigint,"
	" 'ends_us', (extract(epoch FROM ends_at) * 1000000)::bigint)::text FROM catalog_sessions"
	" WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

/* The fields the change names ($3); the others stay. */
static const struct hg_stmt update_stmt = {
	"catalog_session_change",
	"UPDATE catalog_sessions SET status = coalesce(d->>'status', status),"
	" starts_at = coalesce((d->>'starts_at')::timestamptz, starts_at),"
	" ends_at = coalesce((d->>'ends_at')::timestamptz, ends_at),"
	" location = CASE WHEN d ? 'location' THEN d->>'location' ELSE location END,"
	" online_url = CASE WHEN d ? 'online_url' THEN d->>'online_url' ELSE online_url END,"
	" capacity = coalesce((d->>'capacity')::integer, capacity),"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" WHERE district_id = $1 AND id = $2 RETURNING catalog_session_json(catalog_sessions, true)::text",
	3};

/* The session's seats as they are now (after cancellations or promotions in this transaction). */
static const struct hg_stmt seats_stmt = {
	"catalog_session_seats",
	"SELECT json_build_object('registered_count', registered_count, 'waitlisted_count', waitlisted_count,"
	" 'seats_available', capacity - registered_count)::text FROM catalog_sessions"
	" WHERE district_id = $1 AND id = $2",
	2};

/*
 * Under the session's lock, after the change and its event: a cancelled session cancels every live
 * registration (one event each) and no longer counts toward "all sessions" (some educators may have just
 * completed); a raised capacity gives the new seats to the waitlist in arrival order (one event each). The
 * answer shows the seats as they are then.
 */
static enum hg_status after_update(struct hg_db_conn *conn, const struct hg_record_call *call, json_t *state,
				   json_t *record)
{
	const char *district = call->who->district_id, *id = json_string_value(json_object_get(record, "id"));
	const char *status = json_string_value(json_object_get(record, "status"));
	enum hg_status st = HG_OK;
	int seats_changed = 0;
	if (status != NULL && strcmp(status, "cancelled") == 0 && strcmp(hg_record_status(state), "cancelled") != 0) {
		st = registration_store_cancel_all(conn, district, id, &seats_changed);
		if (st == HG_OK)
			st = completion_store_evaluate(conn, district,
						       json_string_value(json_object_get(record, "activity_id")), NULL);
	} else if (status != NULL && strcmp(status, "registering") == 0) {
		st = registration_store_fill(conn, district, id, &seats_changed);
	}
	if (st != HG_OK || !seats_changed)
		return st;
	json_t *seats = NULL;
	const char *params[2] = {district, id};
	st = hg_tx_row(conn, &seats_stmt, params, &seats);
	if (st == HG_OK)
		json_object_update(record, seats);
	json_decref(seats);
	return st;
}

/* The changed session is still a session (times, place): a 422 naming the field otherwise. */
static enum hg_status check_change(struct hg_db_conn *conn, struct hg_record_call *call)
{
	(void)conn;
	const char *field = NULL;
	const struct hg_reason *why = session_check_change(call->state, call->fields, &field);
	return why != NULL ? hg_record_refuse_field(call, why, field) : HG_OK;
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
	.check_update = check_change,
	.after_update = after_update,
};
