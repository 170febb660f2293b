/* catalog_session_store.c - sessions of PD activities in PostgreSQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_session.h"
#include "catalog_store.h"
#include "etag.h"
#include "outbox.h"

static const struct hg_stmt insert_stmt = {
	"catalog_session_insert",
	"INSERT INTO catalog_sessions (district_id, activity_id, created_by, starts_at, ends_at, location, online_url,"
	" capacity, facilitators, check_in_code)"
	" SELECT $1, $2, $3, (d->>'starts_at')::timestamptz, (d->>'ends_at')::timestamptz, d->>'location',"
	" d->>'online_url', (d->>'capacity')::integer,"
	" ARRAY(SELECT jsonb_array_elements_text(d->'facilitators'))::uuid[], $5"
	" FROM (SELECT $4::jsonb AS d) AS input"
	" RETURNING catalog_session_json(catalog_sessions, true)::text",
	5};

static const struct hg_stmt get_stmt = {
	"catalog_session_get",
	"SELECT catalog_session_json(s, true)::text, a.status FROM catalog_sessions s"
	" JOIN catalog_activities a ON a.id = s.activity_id WHERE s.district_id = $1 AND s.id = $2",
	2};

/* Earliest first; the cursor (starts_at in µs, id) is NULL on the first page. */
static const struct hg_stmt page_stmt = {
	"catalog_session_page",
	"SELECT catalog_session_json(s, true)::text, (extract(epoch FROM s.starts_at) * 1000000)::bigint, s.id"
	" FROM catalog_sessions s WHERE s.district_id = $1 AND s.activity_id = $3"
	" AND (s.starts_at, s.id) > (coalesce('epoch'::timestamptz + $4::bigint * interval '1 microsecond',"
	" '-infinity'), coalesce($5::uuid, '00000000-0000-0000-0000-000000000000'))"
	" ORDER BY s.starts_at, s.id LIMIT $2",
	5};

static const struct hg_stmt lock_stmt = {
	"catalog_session_lock_version",
	"SELECT status, version, activity_id FROM catalog_sessions WHERE district_id = $1 AND id = $2"
	" FOR NO KEY UPDATE",
	2};

static const struct hg_stmt find_stmt = {
	"catalog_session_activity", "SELECT activity_id FROM catalog_sessions WHERE district_id = $1 AND id = $2", 2};

static const struct hg_stmt status_stmt = {
	"catalog_session_set_status",
	"UPDATE catalog_sessions SET status = $3, version = version + 1, updated_at = clock_timestamp()"
	" WHERE district_id = $1 AND id = $2 RETURNING catalog_session_json(catalog_sessions, true)::text",
	3};

/* ---- create ---- */

struct create_ctx {
	const struct hg_principal *who;
	const char *activity_id;
	json_t *fields;
	const char *code;
	json_t *out;
	const char *why;
};

static enum hg_status create_tx(struct hg_db_conn *conn, void *arg)
{
	struct create_ctx *c = arg;
	PGresult *res = NULL;
	char *fields = NULL;
	char status[16];
	json_t *event = NULL;
	enum hg_status st;

	json_decref(c->out);
	c->out = NULL;
	c->why = NULL;
	st = catalog_activity_lock(conn, c->who->district_id, c->activity_id, status, sizeof(status));
	if (st != HG_OK)
		goto out;
	if (strcmp(status, "archived") == 0) {
		c->why = "an archived activity cannot get new sessions";
		st = HG_CONFLICT;
		goto out;
	}
	fields = json_dumps(c->fields, JSON_COMPACT);
	const char *params[5] = {c->who->district_id, c->activity_id, c->who->sub, fields, c->code};
	st = hg_db_exec(conn, &insert_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	st = HG_INTERNAL;
	c->out = hg_db_json(res, 0, 0);
	if (c->out == NULL)
		goto out;
	/* The check-in code never travels in events. */
	event = json_deep_copy(c->out);
	json_object_del(event, "check_in_code");
	st = hg_outbox_write(conn, c->who->district_id, "session.scheduled",
			     json_string_value(json_object_get(c->out, "id")), event);
out:
	json_decref(event);
	PQclear(res);
	free(fields);
	return st;
}

enum hg_status catalog_session_create(struct hg_db_pool *pool, const struct hg_principal *who,
				      const char *activity_id, json_t *fields, const char *code, json_t **out,
				      const char **why)
{
	struct create_ctx c = {who, activity_id, fields, code, NULL, NULL};
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

/* One session and its activity's status, on conn. */
static enum hg_status get_on(struct hg_db_conn *conn, const char *district_id, const char *id, json_t **out,
			     char *activity_status)
{
	PGresult *res = NULL;
	const char *params[2] = {district_id, id};
	enum hg_status st = hg_db_exec(conn, &get_stmt, params, &res);

	*out = NULL;
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	*out = hg_db_json(res, 0, 0);
	snprintf(activity_status, 16, "%s", PQgetvalue(res, 0, 1));
	st = *out ? HG_OK : HG_INTERNAL;
out:
	PQclear(res);
	return st;
}

enum hg_status catalog_session_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				   json_t **out, char *activity_status)
{
	struct hg_db_conn *conn = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);

	*out = NULL;
	if (st == HG_OK)
		st = get_on(conn, who->district_id, id, out, activity_status);
	hg_db_release(pool, conn);
	return st;
}

enum hg_status catalog_session_list(struct hg_db_pool *pool, const struct hg_principal *who,
				    const char *activity_id, const struct hg_cursor *after, long limit,
				    json_t **items, char **next)
{
	char lim[24], key[24], id[37];
	const char *key_param, *id_param;
	snprintf(lim, sizeof(lim), "%ld", limit + 1);
	catalog_cursor_params(after, key, id, &key_param, &id_param);
	const char *params[5] = {who->district_id, lim, activity_id, key_param, id_param};
	return catalog_read_page(pool, &page_stmt, params, limit, items, next);
}

/* ---- status ---- */

struct status_ctx {
	const struct hg_principal *who;
	const char *id;
	const char *status;
	const char *if_match;
	json_t *out;
	const char *why;
};

static enum hg_status status_tx(struct hg_db_conn *conn, void *arg)
{
	struct status_ctx *c = arg;
	PGresult *res = NULL;
	const char *params[3] = {c->who->district_id, c->id, c->status};
	char activity_id[37], activity_status[16], from[16];
	json_t *event = NULL;
	enum hg_status st;

	json_decref(c->out);
	c->out = NULL;
	c->why = NULL;
	/* Lock order: the activity first (cancelling re-evaluates its completions), then the session. */
	st = hg_db_exec(conn, &find_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	snprintf(activity_id, sizeof(activity_id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	st = catalog_activity_lock(conn, c->who->district_id, activity_id, activity_status, sizeof(activity_status));
	if (st != HG_OK)
		goto out;
	st = hg_db_exec(conn, &lock_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	snprintf(from, sizeof(from), "%s", PQgetvalue(res, 0, 0));
	if (!hg_etag_match(c->if_match, strtol(PQgetvalue(res, 0, 1), NULL, 10))) {
		st = HG_PRECONDITION_FAILED;
		goto out;
	}
	st = catalog_session_transition(from, c->status, &c->why);
	if (st != HG_OK)
		goto out;
	PQclear(res);
	res = NULL;
	if (strcmp(from, c->status) == 0) {
		char unused[16];
		st = get_on(conn, c->who->district_id, c->id, &c->out, unused);
		goto out;
	}
	st = hg_db_exec(conn, &status_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	st = HG_INTERNAL;
	c->out = hg_db_json(res, 0, 0);
	if (c->out == NULL)
		goto out;
	event = json_deep_copy(c->out);
	json_object_del(event, "check_in_code"); /* never in events */
	st = hg_outbox_write(conn, c->who->district_id,
			     strcmp(c->status, "cancelled") == 0 ? "session.cancelled" : "session.completed", c->id,
			     event);
	/* A cancelled session no longer counts toward "all sessions": some may have just completed. */
	if (st == HG_OK && strcmp(c->status, "cancelled") == 0)
		st = catalog_completions_evaluate(conn, c->who->district_id, activity_id, NULL);
out:
	json_decref(event);
	PQclear(res);
	return st;
}

enum hg_status catalog_session_set_status(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
					  const char *status, const char *if_match, json_t **out, const char **why)
{
	struct status_ctx c = {who, id, status, if_match, NULL, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", status_tx, &c);
	*why = c.why;
	if (st != HG_OK) {
		json_decref(c.out);
		return st;
	}
	*out = c.out;
	return HG_OK;
}
