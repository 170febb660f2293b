/* registration_store.c - registrations and the waitlist in PostgreSQL.
 *
 * Every change holds the session's row lock (FOR NO KEY UPDATE) from the
 * first statement to the commit, so the changes of one session happen one
 * at a time: the seat counters on the session row are exact, the arrival
 * number (seq) is handed out in the order the lock is granted, and a freed
 * seat is given to exactly one waitlisted educator. The decisions are the
 * pure rules of registration.c, taken under that lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/roles.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/registration.h"
#include "services/resources/catalog/roster_model_store.h"
#include "services/resources/reasons.h"

static const struct hg_stmt lock_session_stmt = {
	"catalog_registration_lock_session",
	"SELECT s.capacity, s.registered_count, s.waitlisted_count, s.next_seq, s.status, a.status, s.activity_id,"
	" (extract(epoch FROM s.ends_at) * 1000000)::bigint, a.requires_approval"
	" FROM catalog_sessions s JOIN catalog_activities a ON a.id = s.activity_id"
	" WHERE s.district_id = $1 AND s.id = $2 FOR NO KEY UPDATE OF s",
	2};

static const struct hg_stmt insert_stmt = {
	"catalog_registration_insert",
	"INSERT INTO catalog_registrations (district_id, session_id, activity_id, educator_id, seq, status,"
	" registered_by, approval) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	" RETURNING catalog_registration_json(catalog_registrations)::text",
	8};

/* $3/$4: seat deltas, $5: arrivals handed out. */
static const struct hg_stmt seats_stmt = {
	"catalog_registration_seats",
	"UPDATE catalog_sessions SET registered_count = registered_count + $3::integer,"
	" waitlisted_count = waitlisted_count + $4::integer, next_seq = next_seq + $5::integer"
	" WHERE district_id = $1 AND id = $2",
	5};

static const struct hg_stmt get_stmt = {
	"catalog_registration_get",
	"SELECT catalog_registration_json(r)::text, json_build_object('facilitators', s.facilitators)::text"
	" FROM catalog_registrations r JOIN catalog_sessions s ON s.id = r.session_id"
	" WHERE r.district_id = $1 AND r.id = $2",
	2};

static const struct hg_stmt session_stmt = {
	"catalog_registration_session",
	"SELECT json_build_object('activity_status', a.status, 'facilitators', s.facilitators)::text"
	" FROM catalog_sessions s JOIN catalog_activities a ON a.id = s.activity_id"
	" WHERE s.district_id = $1 AND s.id = $2",
	2};

/* Arrival order; $5 the session, $6 the statuses (a text[] literal). */
static const struct hg_stmt page_stmt = {
	"catalog_registration_page",
	"SELECT catalog_registration_json(r)::text, r.seq, r.id FROM catalog_registrations r"
	" WHERE r.district_id = $1 AND r.session_id = $5 AND r.status = ANY ($6::text[])"
	" AND (r.seq, r.id) > (coalesce($3::bigint, 0), coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'))"
	" ORDER BY r.seq, r.id LIMIT $2",
	6};

/*
 * "My registrations": earliest session first, each with its session and activity title. $5 educator, $6 school,
 * $7 status (each NULL for any), $8 'true' for upcoming only (live registrations of registering sessions not yet
 * ended), $9 the scope (registration_mine_args), $10 the caller, $11 the approval (NULL for any).
 */
static const struct hg_stmt mine_page_stmt = {
	"catalog_registration_mine_page",
	"SELECT (catalog_registration_json(r)::jsonb || jsonb_build_object('activity_title', a.title, 'session',"
	" jsonb_build_object('starts_at', rfc3339(s.starts_at), 'ends_at', rfc3339(s.ends_at), 'location', s.location,"
	" 'online_url', s.online_url, 'status', s.status)))::text,"
	" (extract(epoch FROM s.starts_at) * 1000000)::bigint, r.id"
	" FROM catalog_registrations r JOIN catalog_sessions s ON s.id = r.session_id"
	" JOIN catalog_activities a ON a.id = r.activity_id"
	" WHERE r.district_id = $1 AND ($5::uuid IS NULL OR r.educator_id = $5::uuid)"
	" AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM roster_educator_schools m WHERE m.district_id = $1"
	"  AND m.educator_id = r.educator_id AND m.school_id = $6::uuid))"
	" AND ($6::uuid IS NULL OR $9::text <> 'school' OR EXISTS (SELECT 1 FROM roster_educator_schools l"
	"  WHERE l.district_id = $1 AND l.educator_id = $10::uuid AND l.school_id = $6::uuid))"
	" AND ($7::text IS NULL OR r.status = $7::text) AND ($11::text IS NULL OR r.approval = $11::text)"
	" AND ($8::text IS NULL OR (s.status = 'registering' AND s.ends_at > now() AND r.status <> 'cancelled'))"
	" AND CASE $9::text WHEN 'all' THEN true"
	"  WHEN 'school' THEN r.educator_id = $10::uuid OR EXISTS (SELECT 1 FROM roster_educator_schools m"
	"   JOIN roster_educator_schools l ON l.district_id = m.district_id AND l.school_id = m.school_id"
	"   WHERE m.district_id = $1 AND m.educator_id = r.educator_id AND l.educator_id = $10::uuid)"
	"  ELSE r.educator_id = $10::uuid END"
	" AND (s.starts_at, r.id) > (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" '-infinity'), coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'))"
	" ORDER BY s.starts_at, r.id LIMIT $2",
	11};

static const struct hg_stmt state_stmt = {
	"catalog_registration_state",
	"SELECT session_id, educator_id, status, version, approval FROM catalog_registrations"
	" WHERE district_id = $1 AND id = $2",
	2};

/* Does $3 (an active educator) lead a school of educator $2 (school leaders are assigned to their schools)? */
static const struct hg_stmt leads_stmt = {
	"catalog_registration_leads",
	"SELECT 1 FROM roster_educator_schools m JOIN roster_educator_schools l"
	" ON l.district_id = m.district_id AND l.school_id = m.school_id"
	" JOIN roster_educators e ON e.district_id = l.district_id AND e.educator_id = l.educator_id"
	" WHERE m.district_id = $1 AND m.educator_id = $2 AND l.educator_id = $3 AND e.status = 'active' LIMIT 1",
	3};

/* A pending registration approved by $3 ($4: the reason or NULL). */
static const struct hg_stmt approve_stmt = {
	"catalog_registration_approve",
	"UPDATE catalog_registrations SET approval = 'approved', approval_by = $3, approval_at = clock_timestamp(),"
	" approval_reason = $4, updated_at = clock_timestamp(), version = version + 1"
	" WHERE district_id = $1 AND id = $2 RETURNING catalog_registration_json(catalog_registrations)::text",
	4};

/* A pending registration declined by $3 with reason $4: cancelled, its place freed. */
static const struct hg_stmt decline_stmt = {
	"catalog_registration_decline",
	"UPDATE catalog_registrations SET approval = 'declined', approval_by = $3, approval_at = clock_timestamp(),"
	" approval_reason = $4, status = 'cancelled', cancelled_at = clock_timestamp(), updated_at = clock_timestamp(),"
	" version = version + 1"
	" WHERE district_id = $1 AND id = $2 RETURNING catalog_registration_json(catalog_registrations)::text",
	4};

static const struct hg_stmt cancel_stmt = {
	"catalog_registration_cancel",
	"UPDATE catalog_registrations SET status = 'cancelled', cancelled_at = clock_timestamp(),"
	" updated_at = clock_timestamp(), version = version + 1"
	" WHERE district_id = $1 AND id = $2 RETURNING catalog_registration_json(catalog_registrations)::text",
	2};

/* The first waitlisted educator by arrival takes the freed seat. */
static const struct hg_stmt promote_stmt = {
	"catalog_registration_promote",
	"UPDATE catalog_registrations SET status = 'registered', promoted_at = clock_timestamp(),"
	" updated_at = clock_timestamp(), version = version + 1"
	" WHERE district_id = $1 AND id = (SELECT id FROM catalog_registrations"
	" WHERE session_id = $2 AND status = 'waitlisted' ORDER BY seq LIMIT 1)"
	" RETURNING catalog_registration_json(catalog_registrations)::text",
	2};

/* Every live registration of session $2, cancelled with it (arrival order). */
static const struct hg_stmt cancel_all_stmt = {
	"catalog_registration_cancel_all",
	"WITH c AS (UPDATE catalog_registrations SET status = 'cancelled', cancelled_at = clock_timestamp(),"
	" updated_at = clock_timestamp(), version = version + 1"
	" WHERE district_id = $1 AND session_id = $2 AND status <> 'cancelled'"
	" RETURNING catalog_registration_json(catalog_registrations) AS j, seq)"
	" SELECT j::text FROM c ORDER BY seq",
	2};

static const struct hg_stmt empty_seats_stmt = {
	"catalog_registration_empty_seats",
	"UPDATE catalog_sessions SET registered_count = 0, waitlisted_count = 0 WHERE district_id = $1 AND id = $2", 2};

/* The first waitlisted educators by arrival take the session's free seats (arrival order). */
static const struct hg_stmt fill_stmt = {
	"catalog_registration_fill",
	"WITH p AS (UPDATE catalog_registrations SET status = 'registered', promoted_at = clock_timestamp(),"
	" updated_at = clock_timestamp(), version = version + 1"
	" WHERE district_id = $1 AND id IN (SELECT w.id FROM catalog_registrations w, catalog_sessions s"
	" WHERE s.district_id = $1 AND s.id = $2 AND w.session_id = s.id AND w.status = 'waitlisted'"
	" ORDER BY w.seq LIMIT greatest((SELECT capacity - registered_count FROM catalog_sessions"
	" WHERE district_id = $1 AND id = $2), 0))"
	" RETURNING catalog_registration_json(catalog_registrations) AS j, seq)"
	" SELECT j::text FROM p ORDER BY seq",
	2};

/* An educator's live registrations, by session (the lock order). */
static const struct hg_stmt open_of_educator_stmt = {
	"catalog_registration_open_of_educator",
	"SELECT id, session_id FROM catalog_registrations WHERE district_id = $1 AND educator_id = $2"
	" AND status <> 'cancelled' ORDER BY session_id",
	2};

const struct hg_entity registration_entity = {
	.name = "registration",
	.parent_name = "session",
	.get = &get_stmt,
	.page = &page_stmt,
	.parent = &session_stmt,
	.read_rule = registration_rule_read,
	.parent_rule = registration_rule_parent,
};

const struct hg_entity registration_mine_entity = {
	.name = "registration",
	.page = &mine_page_stmt,
};

static enum hg_status lock_session(struct hg_db_conn *conn, const char *district_id, const char *session_id,
				   struct registration_session *s)
{
	PGresult *res = NULL;
	const char *params[2] = {district_id, session_id};
	enum hg_status st = hg_db_exec(conn, &lock_session_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st == HG_OK) {
		s->capacity = (long)hg_db_int(res, 0, 0);
		s->registered = (long)hg_db_int(res, 0, 1);
		s->waitlisted = (long)hg_db_int(res, 0, 2);
		s->next_seq = (long long)hg_db_int(res, 0, 3);
		snprintf(s->status, sizeof(s->status), "%s", PQgetvalue(res, 0, 4));
		snprintf(s->activity_status, sizeof(s->activity_status), "%s", PQgetvalue(res, 0, 5));
		snprintf(s->activity_id, sizeof(s->activity_id), "%s", PQgetvalue(res, 0, 6));
		s->ends_us = hg_db_int(res, 0, 7);
		s->requires_approval = strcmp(PQgetvalue(res, 0, 8), "t") == 0;
	}
	PQclear(res);
	return st;
}

static enum hg_status update_seats(struct hg_db_conn *conn, const char *district_id, const char *session_id,
				   int registered, int waitlisted, int arrivals)
{
	char r[8], w[8], a[8];
	snprintf(r, sizeof(r), "%d", registered);
	snprintf(w, sizeof(w), "%d", waitlisted);
	snprintf(a, sizeof(a), "%d", arrivals);
	const char *params[5] = {district_id, session_id, r, w, a};
	return hg_db_exec(conn, &seats_stmt, params, NULL);
}

/* Run a statement returning at most one registration and write its event; *out (may be NULL) gets it. */
static enum hg_status change_with_event(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
					const char *district_id, const char *type, json_t **out, int *changed)
{
	json_t *rows = NULL;
	enum hg_status st = hg_tx_rows_with_events(conn, stmt, params, district_id, type, NULL, &rows);
	*changed = json_array_size(rows) > 0;
	if (out != NULL && st == HG_OK && *changed)
		*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return st;
}

/* ---- create ---- */

struct create_ctx {
	struct hg_record_call *call;
	const char *session_id;
	const char *educator;
};

static enum hg_status create_tx(struct hg_db_conn *conn, void *arg)
{
	struct create_ctx *c = arg;
	struct hg_record_call *call = c->call;
	const struct hg_principal *who = call->who;
	struct registration_session s;
	const char *place = NULL;
	char seq[24];
	enum hg_status st;

	hg_record_call_reset(call);
	/* The educator's roster row first (locked until the commit: a concurrent deactivation waits for this
	 * registration, then withdraws it), then the session: the roster consumer's order, and the roster query
	 * stays outside the session's one-at-a-time section. Refused only after the session's own rules. */
	const struct hg_reason *not_active;
	size_t bad;
	json_t *ids = json_pack("[s]", c->educator);
	st = roster_model_store_lock_active(conn, who->district_id, ids, &not_active, &bad);
	json_decref(ids);
	if (st != HG_OK)
		return st;
	st = lock_session(conn, who->district_id, c->session_id, &s);
	if (st != HG_OK)
		return st;
	const struct hg_reason *why = registration_rule_create(who, &s, hg_clock_now_us(), &place);
	if (why != NULL)
		return hg_record_refuse(call, why);
	if (not_active != NULL)
		return roster_model_store_refuse(call, not_active, "educator_id", 0, bad);
	snprintf(seq, sizeof(seq), "%lld", s.next_seq);
	const char *params[8] = {who->district_id,
				 c->session_id,
				 s.activity_id,
				 c->educator,
				 seq,
				 place,
				 who->sub,
				 registration_approval(who, &s)};
	/* A second live registration of the educator violates catalog_registrations_once: 409. */
	st = change_with_event(conn, &insert_stmt, params, who->district_id, "registration.created", &call->record,
			       &call->changed);
	if (st == HG_CONFLICT)
		call->why = RESOURCES_REFUSE(R_ALREADY_REGISTERED);
	if (st != HG_OK)
		return st;
	int registered = strcmp(place, "registered") == 0;
	return update_seats(conn, who->district_id, c->session_id, registered, !registered, 1);
}

enum hg_status registration_store_create(struct hg_db_pool *pool, struct hg_record_call *call, const char *session_id,
					 const char *educator)
{
	struct create_ctx c = {call, session_id, educator};
	return hg_record_tx(pool, call, create_tx, &c);
}

/* ---- cancel ---- */

/*
 * Cancel registration id of the locked session (its event), and when it held a seat give the seat to the
 * first waitlisted educator by arrival (its event); the session's counters follow.
 */
static enum hg_status release_by(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
				 const char *type, json_t **out, const char *session_id, int was_registered,
				 int *changed)
{
	const char *district_id = params[0];
	int promoted = 0;
	enum hg_status st = change_with_event(conn, stmt, params, district_id, type, out, changed);
	if (st == HG_OK && was_registered) {
		const char *promote_params[2] = {district_id, session_id};
		st = change_with_event(conn, &promote_stmt, promote_params, district_id, "registration.promoted", NULL,
				       &promoted);
	}
	if (st != HG_OK)
		return st;
	/* registered: -1 +1 when someone moved up; waitlisted: -1 for the one leaving or the one promoted. */
	return update_seats(conn, district_id, session_id, -was_registered + promoted, -(!was_registered) - promoted,
			    0);
}

static enum hg_status release(struct hg_db_conn *conn, const char *district_id, const char *id, const char *session_id,
			      int was_registered, int *changed)
{
	const char *params[2] = {district_id, id};
	return release_by(conn, &cancel_stmt, params, "registration.cancelled", NULL, session_id, was_registered,
			  changed);
}

static enum hg_status cancel_tx(struct hg_db_conn *conn, void *arg)
{
	struct hg_record_call *call = arg;
	const struct hg_principal *who = call->who;
	PGresult *res = NULL;
	const char *params[2] = {who->district_id, call->id};
	char session_id[37], status[16];
	struct registration_session s;
	enum hg_status st;

	hg_record_call_reset(call);
	st = hg_db_exec(conn, &state_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st != HG_OK)
		goto out;
	snprintf(session_id, sizeof(session_id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	/* Read the registration again once the session is locked: a concurrent
	 * cancel or promotion that committed meanwhile is seen now. */
	st = lock_session(conn, who->district_id, session_id, &s);
	if (st == HG_OK)
		st = hg_db_exec(conn, &state_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 2));
	const struct hg_reason *why =
		registration_rule_cancel(who, PQgetvalue(res, 0, 1), status, &s, hg_clock_now_us());
	st = hg_record_judge(call, why, (long)hg_db_int(res, 0, 3));
	if (st != HG_OK)
		goto out;
	st = release(conn, who->district_id, call->id, session_id, strcmp(status, "registered") == 0, &call->changed);
out:
	PQclear(res);
	return st;
}

enum hg_status registration_store_cancel(struct hg_db_pool *pool, struct hg_record_call *call)
{
	return hg_record_tx(pool, call, cancel_tx, call);
}

/* ---- a school leader's decision on a pending registration ---- */

struct decide_ctx {
	struct hg_record_call *call;
	const char *approval, *reason;
};

static enum hg_status decide_tx(struct hg_db_conn *conn, void *arg)
{
	struct decide_ctx *c = arg;
	struct hg_record_call *call = c->call;
	const struct hg_principal *who = call->who;
	PGresult *res = NULL, *leads = NULL;
	const char *params[2] = {who->district_id, call->id};
	char session_id[37], educator[37], status[16], approval[16];
	struct registration_session s;
	enum hg_status st;

	hg_record_call_reset(call);
	st = hg_db_exec(conn, &state_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st != HG_OK)
		goto out;
	snprintf(session_id, sizeof(session_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(educator, sizeof(educator), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	res = NULL;
	/* Whether who leads a school of the educator: the roster read model, read before the session's lock. */
	const char *lead_params[3] = {who->district_id, educator, who->sub};
	int leading = (who->roles & HG_ROLE(SCHOOL_LEADER)) != 0;
	if (leading) {
		st = hg_db_exec(conn, &leads_stmt, lead_params, &leads);
		if (st != HG_OK)
			goto out;
		leading = PQntuples(leads) > 0;
	}
	/* The registration again once the session is locked (a cancellation or promotion meanwhile is seen). */
	st = lock_session(conn, who->district_id, session_id, &s);
	if (st == HG_OK)
		st = hg_db_exec(conn, &state_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 2));
	snprintf(approval, sizeof(approval), "%s", PQgetvalue(res, 0, 4));
	const struct hg_reason *why = registration_rule_decide(
		who, educator, leading, status, PQgetisnull(res, 0, 4) ? NULL : approval, &s, hg_clock_now_us());
	st = hg_record_judge(call, why, (long)hg_db_int(res, 0, 3));
	if (st != HG_OK)
		goto out;
	const char *change[4] = {who->district_id, call->id, who->sub, c->reason};
	if (strcmp(c->approval, "approved") == 0)
		st = change_with_event(conn, &approve_stmt, change, who->district_id, "registration.approved",
				       &call->record, &call->changed);
	else
		st = release_by(conn, &decline_stmt, change, "registration.declined", &call->record, session_id,
				strcmp(status, "registered") == 0, &call->changed);
out:
	PQclear(leads);
	PQclear(res);
	return st;
}

enum hg_status registration_store_decide(struct hg_db_pool *pool, struct hg_record_call *call, const char *approval,
					 const char *reason)
{
	struct decide_ctx c = {call, approval, reason};
	return hg_record_tx(pool, call, decide_tx, &c);
}

/* ---- withdrawal of a deactivated educator ---- */

/* Cancel registration id of session_id when it is still live and the session still open; under its lock. */
static enum hg_status withdraw_one(struct hg_db_conn *conn, const char *district_id, const char *id,
				   const char *session_id)
{
	PGresult *res = NULL;
	const char *params[2] = {district_id, id};
	struct registration_session s;
	int changed = 0;
	enum hg_status st = lock_session(conn, district_id, session_id, &s);
	if (st == HG_OK)
		st = hg_db_exec(conn, &state_stmt, params, &res);
	if (st != HG_OK || PQntuples(res) == 0)
		goto out;
	const char *status = PQgetvalue(res, 0, 2);
	/* A session over or cancelled keeps its record (attendance, transcripts): only open ones change. */
	if (strcmp(status, "cancelled") == 0 || strcmp(s.status, "registering") != 0 || hg_clock_now_us() >= s.ends_us)
		goto out;
	st = release(conn, district_id, id, session_id, strcmp(status, "registered") == 0, &changed);
out:
	PQclear(res);
	return st;
}

enum hg_status registration_store_withdraw(struct hg_db_conn *conn, const char *district_id, const char *educator)
{
	PGresult *res = NULL;
	const char *params[2] = {district_id, educator};
	enum hg_status st = hg_db_exec(conn, &open_of_educator_stmt, params, &res);
	for (int i = 0; st == HG_OK && i < PQntuples(res); i++)
		st = withdraw_one(conn, district_id, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
	return st;
}

/* ---- a session's change (its lock held by the caller) ---- */

enum hg_status registration_store_cancel_all(struct hg_db_conn *conn, const char *district_id, const char *session_id,
					     int *changed)
{
	const char *params[2] = {district_id, session_id};
	json_t *rows = NULL;
	enum hg_status st = hg_tx_rows_with_events(conn, &cancel_all_stmt, params, district_id,
						   "registration.cancelled", NULL, &rows);
	*changed = json_array_size(rows) > 0;
	json_decref(rows);
	if (st == HG_OK && *changed)
		st = hg_db_exec(conn, &empty_seats_stmt, params, NULL);
	return st;
}

enum hg_status registration_store_fill(struct hg_db_conn *conn, const char *district_id, const char *session_id,
				       int *changed)
{
	const char *params[2] = {district_id, session_id};
	json_t *rows = NULL;
	enum hg_status st =
		hg_tx_rows_with_events(conn, &fill_stmt, params, district_id, "registration.promoted", NULL, &rows);
	int n = (int)json_array_size(rows);
	json_decref(rows);
	*changed = n > 0;
	if (st == HG_OK && n > 0)
		st = update_seats(conn, district_id, session_id, n, -n, 0);
	return st;
}
