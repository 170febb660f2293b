/* attendance_store.c - attendance, check-in and the completions they lead to, in PostgreSQL.
 *
 * Attendance is recorded under the activity's row lock, so the completion
 * rule is evaluated by one transaction at a time for an activity: two
 * sessions marked at once cannot both miss the moment an educator meets the
 * rule, and the completion's primary key (activity, educator) keeps it to one.
 * The decisions are the pure rules of attendance.c, taken under that lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/attendance.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/roster_model_store.h"

static const struct hg_stmt session_stmt = {
	"catalog_attendance_session",
	"SELECT s.activity_id, s.status, to_json(s.facilitators)::text, s.check_in_code,"
	" (extract(epoch FROM s.starts_at) * 1000000)::bigint, (extract(epoch FROM s.ends_at) * 1000000)::bigint"
	" FROM catalog_sessions s WHERE s.district_id = $1 AND s.id = $2",
	2};

/* Re-marking is no change: ON CONFLICT DO NOTHING returns only the new rows. */
static const struct hg_stmt insert_stmt = {
	"catalog_attendance_insert",
	"INSERT INTO catalog_attendance (district_id, session_id, activity_id, educator_id, method, recorded_by)"
	" SELECT $1, $2, $3, e, $5, $6 FROM unnest($4::uuid[]) AS e"
	" ON CONFLICT (session_id, educator_id) DO NOTHING"
	" RETURNING catalog_attendance_json(catalog_attendance)::text",
	6};

static const struct hg_stmt get_stmt = {"catalog_attendance_get",
					"SELECT catalog_attendance_json(t)::text FROM catalog_attendance t"
					" WHERE t.district_id = $1 AND t.session_id = $2 AND t.educator_id = $3",
					3};

static const struct hg_stmt registered_stmt = {
	"catalog_attendance_registered",
	"SELECT CASE WHEN approval = 'pending' THEN 'pending' ELSE status END FROM catalog_registrations"
	" WHERE district_id = $1 AND session_id = $2 AND educator_id = $3"
	" AND status <> 'cancelled'",
	3};

/* Read the session, then lock its activity (the lock order of catalog_store.h); 404 for drafts others can't see. */
static enum hg_status session_locked(struct hg_db_conn *conn, const struct hg_principal *who, const char *session_id,
				     struct attendance_session *s)
{
	PGresult *res = NULL;
	const char *params[2] = {who->district_id, session_id};
	char activity_status[16];
	enum hg_status st = hg_db_exec(conn, &session_stmt, params, &res);

	s->facilitators = NULL;
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st != HG_OK)
		goto out;
	snprintf(s->activity_id, sizeof(s->activity_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(s->status, sizeof(s->status), "%s", PQgetvalue(res, 0, 1));
	snprintf(s->code, sizeof(s->code), "%s", PQgetvalue(res, 0, 3));
	s->starts_us = hg_db_int(res, 0, 4);
	s->ends_us = hg_db_int(res, 0, 5);
	s->facilitators = hg_db_json(res, 0, 2);
	if (s->facilitators == NULL) {
		st = HG_INTERNAL;
		goto out;
	}
	st = completion_store_lock_activity(conn, who->district_id, s->activity_id, activity_status,
					    sizeof(activity_status));
	if (st == HG_OK && !activity_visible(who, activity_status, NULL))
		st = HG_NOT_FOUND;
out:
	PQclear(res);
	return st;
}

/* Insert attendance for ids (array literal), one attendance.recorded event per new row (its subject the
 * session); *rows new array. */
static enum hg_status insert_attendance(struct hg_db_conn *conn, const struct hg_principal *who, const char *session_id,
					const struct attendance_session *s, const char *ids, const char *method,
					json_t **rows)
{
	const char *params[6] = {who->district_id, session_id, s->activity_id, ids, method, who->sub};
	return hg_tx_rows_with_events(conn, &insert_stmt, params, who->district_id, "attendance.recorded", session_id,
				      rows);
}

/* ---- facilitators and admins mark attendance ---- */

struct record_ctx {
	struct hg_record_call *call;
	const char *session_id;
	json_t *ids;      /* a JSON array of lower-case UUIDs */
	const char *code; /* check-in: the code typed */
};

/* The ids that recorded (rows just inserted) does not hold: they were present already. */
static json_t *already_present(json_t *ids, json_t *recorded)
{
	json_t *already = json_array();
	size_t i, j;
	json_t *id, *row;
	json_array_foreach(ids, i, id) {
		int fresh = 0;
		json_array_foreach(recorded, j, row) {
			if (strcmp(json_string_value(json_object_get(row, "educator_id")), json_string_value(id)) == 0)
				fresh = 1;
		}
		if (!fresh)
			json_array_append(already, id);
	}
	return already;
}

static enum hg_status record_tx(struct hg_db_conn *conn, void *arg)
{
	struct record_ctx *c = arg;
	struct hg_record_call *call = c->call;
	struct attendance_session s;
	json_t *recorded = NULL;
	char *ids = NULL;
	enum hg_status st;

	hg_record_call_reset(call);
	/* Only active educators of the district's roster are marked (and so complete): their rows are locked
	 * first (the roster consumer's order), the refusal answered after the session's own rules. */
	const struct hg_reason *not_active;
	size_t bad;
	st = roster_model_store_lock_active(conn, call->who->district_id, c->ids, &not_active, &bad);
	if (st != HG_OK)
		goto out;
	st = session_locked(conn, call->who, c->session_id, &s);
	if (st != HG_OK)
		goto out;
	const struct hg_reason *why = attendance_rule_record(call->who, &s, hg_clock_now_us());
	if (why == NULL && not_active != NULL) {
		st = roster_model_store_refuse(call, not_active, "educator_ids", 1, bad);
		goto out;
	}
	if (why != NULL) {
		st = hg_record_refuse(call, why);
		goto out;
	}
	ids = hg_db_uuid_array(c->ids);
	st = insert_attendance(conn, call->who, c->session_id, &s, ids, "facilitator", &recorded);
	if (st != HG_OK)
		goto out;
	call->changed = json_array_size(recorded) > 0;
	call->record =
		json_pack("{s:O, s:o}", "recorded", recorded, "already_recorded", already_present(c->ids, recorded));
	st = completion_store_evaluate(conn, call->who->district_id, s.activity_id, ids);
out:
	json_decref(recorded);
	json_decref(s.facilitators);
	free(ids);
	return st;
}

enum hg_status attendance_store_record(struct hg_db_pool *pool, struct hg_record_call *call, const char *session_id,
				       json_t *ids)
{
	struct record_ctx c = {call, session_id, ids, NULL};
	return hg_record_tx(pool, call, record_tx, &c);
}

/* ---- an educator checks in ---- */

static enum hg_status checkin_tx(struct hg_db_conn *conn, void *arg)
{
	struct record_ctx *c = arg;
	struct hg_record_call *call = c->call;
	const struct hg_principal *who = call->who;
	struct attendance_session s;
	PGresult *res = NULL;
	json_t *recorded = NULL;
	char me[40];
	enum hg_status st;

	hg_record_call_reset(call);
	snprintf(me, sizeof(me), "{%s}", who->sub);
	st = session_locked(conn, who, c->session_id, &s);
	if (st != HG_OK)
		goto out;
	const struct hg_reason *why = checkin_rule(&s, c->code, hg_clock_now_us());
	const char *params[3] = {who->district_id, c->session_id, who->sub};
	if (why == NULL) {
		st = hg_db_exec(conn, &registered_stmt, params, &res);
		if (st != HG_OK)
			goto out;
		why = checkin_rule_registered(PQntuples(res) == 0 ? NULL : PQgetvalue(res, 0, 0));
	}
	if (why != NULL) {
		st = hg_record_refuse(call, why);
		goto out;
	}
	st = insert_attendance(conn, who, c->session_id, &s, me, "check_in", &recorded);
	if (st != HG_OK)
		goto out;
	if (json_array_size(recorded) == 1) {
		call->changed = 1;
		call->record = json_incref(json_array_get(recorded, 0));
		st = completion_store_evaluate(conn, who->district_id, s.activity_id, me);
		goto out;
	}
	/* Already present (checked in, or marked by a facilitator): answer what is recorded. */
	st = hg_tx_row(conn, &get_stmt, params, &call->record);
out:
	PQclear(res);
	json_decref(recorded);
	json_decref(s.facilitators);
	return st;
}

enum hg_status attendance_store_checkin(struct hg_db_pool *pool, struct hg_record_call *call, const char *session_id,
					const char *code)
{
	struct record_ctx c = {call, session_id, NULL, code};
	return hg_record_tx(pool, call, checkin_tx, &c);
}
