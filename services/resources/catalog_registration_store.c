/* catalog_registration_store.c - registrations and the waitlist in PostgreSQL.
 *
 * Every change holds the session's row lock (FOR NO KEY UPDATE) from the
 * first statement to the commit, so the changes of one session happen one
 * at a time: the seat counters on the session row are exact, the arrival
 * number (seq) is handed out in the order the lock is granted, and a freed
 * seat is given to exactly one waitlisted educator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "catalog_activity.h"
#include "catalog_registration.h"
#include "catalog_store.h"
#include "clock.h"
#include "etag.h"
#include "outbox.h"

static const struct hg_stmt lock_session_stmt = {
	"catalog_registration_lock_session",
	"SELECT s.capacity, s.registered_count, s.waitlisted_count, s.next_seq, s.status, a.status, s.activity_id,"
	" (extract(epoch FROM s.ends_at) * 1000000)::bigint"
	" FROM catalog_sessions s JOIN catalog_activities a ON a.id = s.activity_id"
	" WHERE s.district_id = $1 AND s.id = $2 FOR NO KEY UPDATE OF s",
	2};

static const struct hg_stmt insert_stmt = {
	"catalog_registration_insert",
	"INSERT INTO catalog_registrations (district_id, session_id, activity_id, educator_id, seq, status,"
	" registered_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	" RETURNING catalog_registration_json(catalog_registrations)::text",
	7};

/* $3/$4: seat deltas, $5: arrivals handed out. */
static const struct hg_stmt seats_stmt = {
	"catalog_registration_seats",
	"UPDATE catalog_sessions SET registered_count = registered_count + $3::integer,"
	" waitlisted_count = waitlisted_count + $4::integer, next_seq = next_seq + $5::integer"
	" WHERE district_id = $1 AND id = $2",
	5};

static const struct hg_stmt get_stmt = {
	"catalog_registration_get",
	"SELECT catalog_registration_json(r)::text, to_json(s.facilitators)::text FROM catalog_registrations r"
	" JOIN catalog_sessions s ON s.id = r.session_id WHERE r.district_id = $1 AND r.id = $2",
	2};

static const struct hg_stmt state_stmt = {
	"catalog_registration_state",
	"SELECT session_id, educator_id, status, version FROM catalog_registrations"
	" WHERE district_id = $1 AND id = $2",
	2};

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

/* Arrival order; the cursor key is the arrival number (NULL on the first page). */
static const struct hg_stmt page_stmt = {
	"catalog_registration_page",
	"SELECT catalog_registration_json(r)::text, r.seq, r.id FROM catalog_registrations r"
	" WHERE r.district_id = $1 AND r.session_id = $3 AND r.status = ANY ($4::text[])"
	" AND r.seq > coalesce($5::bigint, 0) ORDER BY r.seq LIMIT $2",
	5};

/* The locked session: seats, states, and when it ends. */
struct locked {
	long capacity, registered, waitlisted;
	long long next_seq;
	char status[16], activity_status[16], activity_id[37];
	int64_t ends_us;
};

static enum hg_status lock_session(struct hg_db_conn *conn, const char *district_id, const char *session_id,
				   struct locked *s)
{
	PGresult *res = NULL;
	const char *params[2] = {district_id, session_id};
	enum hg_status st = hg_db_exec(conn, &lock_session_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st == HG_OK) {
		s->capacity = (long)catalog_int_column(res, 0, 0);
		s->registered = (long)catalog_int_column(res, 0, 1);
		s->waitlisted = (long)catalog_int_column(res, 0, 2);
		s->next_seq = (long long)catalog_int_column(res, 0, 3);
		snprintf(s->status, sizeof(s->status), "%s", PQgetvalue(res, 0, 4));
		snprintf(s->activity_status, sizeof(s->activity_status), "%s", PQgetvalue(res, 0, 5));
		snprintf(s->activity_id, sizeof(s->activity_id), "%s", PQgetvalue(res, 0, 6));
		s->ends_us = catalog_int_column(res, 0, 7);
	}
	PQclear(res);
	return st;
}

/* Is registration open on a locked session? HG_OK, or HG_CONFLICT with *why. */
static enum hg_status registration_open(const struct locked *s, const char **why)
{
	if (strcmp(s->activity_status, "published") != 0) {
		*why = "registration is closed: the activity is not published";
		return HG_CONFLICT;
	}
	if (strcmp(s->status, "registering") != 0) {
		*why = strcmp(s->status, "cancelled") == 0 ? "registration is closed: the session is cancelled"
							   : "registration is closed: the session is completed";
		return HG_CONFLICT;
	}
	if (hg_clock_now_us() >= s->ends_us) {
		*why = "registration is closed: the session has ended";
		return HG_CONFLICT;
	}
	return HG_OK;
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

/* Run a statement returning one registration and write its event. *out (may be NULL) gets it. */
static enum hg_status change_with_event(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
					const char *district_id, const char *type, json_t **out, int *changed)
{
	PGresult *res = NULL;
	json_t *reg = NULL;
	enum hg_status st = hg_db_exec(conn, stmt, params, &res);
	*changed = 0;
	if (st != HG_OK || PQntuples(res) == 0)
		goto out;
	st = HG_INTERNAL;
	reg = hg_db_json(res, 0, 0);
	if (reg == NULL)
		goto out;
	*changed = 1;
	st = hg_outbox_write(conn, district_id, type, json_string_value(json_object_get(reg, "id")), reg);
out:
	PQclear(res);
	if (out != NULL && st == HG_OK)
		*out = reg;
	else
		json_decref(reg);
	return st;
}

/* ---- create ---- */

struct create_ctx {
	const struct hg_principal *who;
	const char *session_id;
	const char *educator;
	json_t *out;
	const char *why;
};

static enum hg_status create_tx(struct hg_db_conn *conn, void *arg)
{
	struct create_ctx *c = arg;
	struct locked s;
	const char *place = NULL;
	char seq[24];
	int changed = 0;
	enum hg_status st;

	json_decref(c->out);
	c->out = NULL;
	c->why = NULL;
	st = lock_session(conn, c->who->district_id, c->session_id, &s);
	if (st != HG_OK)
		return st;
	if (!catalog_activity_visible(c->who, s.activity_status))
		return HG_NOT_FOUND;
	st = registration_open(&s, &c->why);
	if (st != HG_OK)
		return st;
	st = catalog_registration_place(s.capacity, s.registered, s.waitlisted, &place);
	if (st != HG_OK) {
		c->why = "the session and its waitlist are full";
		return st;
	}
	snprintf(seq, sizeof(seq), "%lld", s.next_seq);
	const char *params[7] = {c->who->district_id, c->session_id, s.activity_id, c->educator,
				 seq,		      place,	       c->who->sub};
	/* A second live registration of the educator violates catalog_registrations_once: 409. */
	st = change_with_event(conn, &insert_stmt, params, c->who->district_id, "registration.created", &c->out,
			       &changed);
	if (st == HG_CONFLICT)
		c->why = "the educator is already registered or waitlisted for this session";
	if (st != HG_OK)
		return st;
	int registered = strcmp(place, "registered") == 0;
	return update_seats(conn, c->who->district_id, c->session_id, registered, !registered, 1);
}

enum hg_status catalog_registration_create(struct hg_db_pool *pool, const struct hg_principal *who,
					   const char *session_id, const char *educator, json_t **out,
					   const char **why)
{
	struct create_ctx c = {who, session_id, educator, NULL, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", create_tx, &c);
	*why = c.why;
	if (st != HG_OK) {
		json_decref(c.out);
		return st;
	}
	*out = c.out;
	return HG_OK;
}

/* ---- read ---- */

enum hg_status catalog_registration_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
					json_t **out, json_t **facilitators)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	const char *params[2] = {who->district_id, id};
	enum hg_status st = hg_db_acquire(pool, &conn);

	*out = *facilitators = NULL;
	if (st != HG_OK)
		goto out;
	st = hg_db_exec(conn, &get_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	*out = hg_db_json(res, 0, 0);
	*facilitators = hg_db_json(res, 0, 1);
	st = *out && *facilitators ? HG_OK : HG_INTERNAL;
out:
	PQclear(res);
	hg_db_release(pool, conn);
	return st;
}

enum hg_status catalog_registration_list(struct hg_db_pool *pool, const struct hg_principal *who,
					 const char *session_id, const char *statuses, const struct hg_cursor *after,
					 long limit, json_t **items, char **next)
{
	char lim[24], key[24], id[37];
	const char *key_param, *id_param;
	snprintf(lim, sizeof(lim), "%ld", limit + 1);
	catalog_cursor_params(after, key, id, &key_param, &id_param);
	const char *params[5] = {who->district_id, lim, session_id, statuses, key_param};
	return catalog_read_page(pool, &page_stmt, params, limit, items, next);
}

/* ---- cancel ---- */

struct cancel_ctx {
	const struct hg_principal *who;
	const char *id;
	const char *if_match;
	const char *why;
};

static enum hg_status cancel_tx(struct hg_db_conn *conn, void *arg)
{
	struct cancel_ctx *c = arg;
	PGresult *res = NULL;
	const char *params[2] = {c->who->district_id, c->id};
	char session_id[37], status[16];
	struct locked s;
	int changed = 0;
	enum hg_status st;

	c->why = NULL;
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
	st = lock_session(conn, c->who->district_id, session_id, &s);
	if (st == HG_OK)
		st = hg_db_exec(conn, &state_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	if (!catalog_registration_may_cancel(c->who, PQgetvalue(res, 0, 1))) {
		st = HG_FORBIDDEN;
		goto out;
	}
	if (!hg_etag_match(c->if_match, strtol(PQgetvalue(res, 0, 3), NULL, 10))) {
		st = HG_PRECONDITION_FAILED;
		goto out;
	}
	snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 2));
	if (strcmp(status, "cancelled") == 0) {
		c->why = "the registration is already cancelled";
		st = HG_CONFLICT;
		goto out;
	}
	if (strcmp(s.status, "registering") != 0 || hg_clock_now_us() >= s.ends_us) {
		c->why = "the session is over or cancelled: its registrations can no longer change";
		st = HG_CONFLICT;
		goto out;
	}
	st = change_with_event(conn, &cancel_stmt, params, c->who->district_id, "registration.cancelled", NULL,
			       &changed);
	if (st != HG_OK)
		goto out;
	int was_registered = strcmp(status, "registered") == 0;
	int promoted = 0;
	if (was_registered) {
		const char *promote_params[2] = {c->who->district_id, session_id};
		st = change_with_event(conn, &promote_stmt, promote_params, c->who->district_id,
				       "registration.promoted", NULL, &promoted);
		if (st != HG_OK)
			goto out;
	}
	/* registered: -1 +1 when someone moved up; waitlisted: -1 for the one leaving or the one promoted. */
	st = update_seats(conn, c->who->district_id, session_id, -was_registered + promoted,
			  -(!was_registered) - promoted, 0);
out:
	PQclear(res);
	return st;
}

enum hg_status catalog_registration_cancel(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
					   const char *if_match, const char **why)
{
	struct cancel_ctx c = {who, id, if_match, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", cancel_tx, &c);
	*why = c.why;
	return st;
}
