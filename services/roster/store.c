/* store.c - the roster directory in PostgreSQL (SQL only; no HTTP). */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etag.h"
#include "log.h"
#include "outbox.h"

/* ---- statements ---- */

static const struct hg_stmt school_list_stmt = {
	"roster_school_list",
	"SELECT school_json(o)::text, o.seq, o.id FROM orgs o"
	" WHERE o.district_id = $1 AND o.type = 'school' AND ($2::text IS NULL OR o.status = $2)"
	" AND o.seq > $3::bigint ORDER BY o.seq LIMIT $4",
	4};

static const struct hg_stmt school_get_stmt = {
	"roster_school_get",
	"SELECT school_json(o)::text FROM orgs o WHERE o.district_id = $1 AND o.id = $2 AND o.type = 'school'", 2};

static const struct hg_stmt school_lock_stmt = {
	"roster_school_lock",
	"SELECT version FROM orgs WHERE district_id = $1 AND id = $2 AND type = 'school' FOR UPDATE", 2};

static const struct hg_stmt school_update_stmt = {
	"roster_school_update",
	"UPDATE orgs SET"
	" locale = CASE WHEN d ? 'locale' THEN d->>'locale' ELSE locale END,"
	" title_i = CASE WHEN d ? 'title_i' THEN (d->>'title_i')::boolean ELSE title_i END,"
	" poverty_level = CASE WHEN d ? 'poverty_level' THEN d->>'poverty_level' ELSE poverty_level END,"
	" enrolment = CASE WHEN d ? 'enrolment' THEN (d->>'enrolment')::integer ELSE enrolment END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING school_json(orgs)::text",
	3};

/* Who may see an educator: $2 everyone, $3 the viewer, $4 the viewer's schools' educators. */
#define VISIBLE                                                                                     \
	" AND ($2::boolean OR e.id = $3::uuid OR ($4::boolean AND e.school_ids && coalesce("         \
	"(SELECT v.school_ids FROM educators v WHERE v.district_id = $1 AND v.id = $3::uuid"          \
	" AND v.status = 'active'), '{}')))"

static const struct hg_stmt educator_list_stmt = {
	"roster_educator_list",
	"SELECT educator_json(e)::text, e.seq, e.id FROM educators e WHERE e.district_id = $1" VISIBLE
	" AND ($5::uuid IS NULL OR $5::uuid = ANY (e.school_ids)) AND ($6::text IS NULL OR $6 = ANY (e.roles))"
	" AND ($7::text IS NULL OR strpos(lower(e.given_name || ' ' || e.family_name || ' ' || coalesce(e.email, '')),"
	" lower($7)) > 0)"
	" AND ($8::text IS NULL OR e.status = $8) AND e.seq > $9::bigint ORDER BY e.seq LIMIT $10",
	10};

static const struct hg_stmt educator_get_stmt = {
	"roster_educator_get",
	"SELECT educator_json(e)::text FROM educators e WHERE e.district_id = $1 AND e.id = $5" VISIBLE, 5};

static const struct hg_stmt educator_lock_stmt = {
	"roster_educator_lock", "SELECT version FROM educators WHERE district_id = $1 AND id = $2 FOR UPDATE", 2};

static const struct hg_stmt educator_update_stmt = {
	"roster_educator_update",
	"UPDATE educators SET started_teaching_on = (d->>'started_teaching_on')::date,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING educator_json(educators)::text",
	3};

static const struct hg_stmt session_list_stmt = {
	"roster_session_list",
	"SELECT academic_session_json(s)::text, s.seq, s.id FROM academic_sessions s"
	" WHERE s.district_id = $1 AND ($2::text IS NULL OR s.status = $2) AND s.seq > $3::bigint"
	" ORDER BY s.seq LIMIT $4",
	4};

/* ---- helpers ---- */

static void page_params(const struct store_page *page, char *after, char *lim)
{
	snprintf(after, 24, "%lld", page->after ? (long long)page->after->key : 0LL);
	snprintf(lim, 24, "%ld", page->limit + 1); /* one more tells whether a page follows */
}

/* Fill page from rows of (json, seq, id). */
static enum hg_status page_fill(PGresult *res, struct store_page *page)
{
	int n = PQntuples(res);
	int shown = n > page->limit ? (int)page->limit : n;
	page->items = json_array();
	for (int i = 0; i < shown; i++) {
		json_t *item = hg_db_json(res, i, 0);
		if (item == NULL) {
			json_decref(page->items);
			page->items = NULL;
			return HG_INTERNAL;
		}
		json_array_append_new(page->items, item);
	}
	if (n > page->limit && shown > 0) {
		struct hg_cursor c;
		c.key = strtoll(PQgetvalue(res, shown - 1, 1), NULL, 10);
		snprintf(c.id, sizeof(c.id), "%s", PQgetvalue(res, shown - 1, 2));
		page->next = hg_cursor_encode(&c);
	}
	return HG_OK;
}

/* Run a statement on a pooled connection; one row's JSON into *out, HG_NOT_FOUND for none. */
static enum hg_status get_one(struct hg_db_pool *pool, const struct hg_stmt *stmt, const char *const *params,
			      json_t **out)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);

	*out = NULL;
	if (st != HG_OK)
		goto out;
	st = hg_db_exec(conn, stmt, params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	*out = hg_db_json(res, 0, 0);
	st = *out ? HG_OK : HG_INTERNAL;
out:
	PQclear(res);
	hg_db_release(pool, conn);
	return st;
}

static enum hg_status list(struct hg_db_pool *pool, const struct hg_stmt *stmt, const char *const *params,
			   struct store_page *page)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);

	page->items = NULL;
	page->next = NULL;
	if (st != HG_OK)
		goto out;
	st = hg_db_exec(conn, stmt, params, &res);
	if (st == HG_OK)
		st = page_fill(res, page);
out:
	PQclear(res);
	hg_db_release(pool, conn);
	return st;
}

/* ---- changes: lock, check If-Match, update, event ---- */

struct change_ctx {
	const struct hg_principal *who;
	const char *id;
	json_t *changes;
	const char *if_match;
	const struct hg_stmt *lock, *update;
	const char *event;
	json_t *out;
};

static enum hg_status change_tx(struct hg_db_conn *conn, void *arg)
{
	struct change_ctx *c = arg;
	PGresult *res = NULL;
	char *changes = json_dumps(c->changes, JSON_COMPACT);
	const char *params[3] = {c->who->district_id, c->id, changes};
	enum hg_status st;

	json_decref(c->out);
	c->out = NULL;
	st = hg_db_exec(conn, c->lock, params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	else if (!hg_etag_match(c->if_match, strtol(PQgetvalue(res, 0, 0), NULL, 10)))
		st = HG_PRECONDITION_FAILED;
	PQclear(res);
	res = NULL;
	if (st != HG_OK)
		goto out;
	st = hg_db_exec(conn, c->update, params, &res);
	if (st != HG_OK)
		goto out;
	c->out = hg_db_json(res, 0, 0);
	st = c->out != NULL ? hg_outbox_write(conn, c->who->district_id, c->event, c->id, c->out) : HG_INTERNAL;
out:
	PQclear(res);
	free(changes);
	return st;
}

static enum hg_status change(struct hg_db_pool *pool, struct change_ctx *c, json_t **out)
{
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", change_tx, c);
	if (st != HG_OK) {
		json_decref(c->out);
		return st;
	}
	*out = c->out;
	return HG_OK;
}

/* ---- schools ---- */

enum hg_status store_school_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *status,
				 struct store_page *page)
{
	char after[24], lim[24];
	page_params(page, after, lim);
	const char *params[4] = {who->district_id, status, after, lim};
	return list(pool, &school_list_stmt, params, page);
}

enum hg_status store_school_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				json_t **out)
{
	const char *params[2] = {who->district_id, id};
	return get_one(pool, &school_get_stmt, params, out);
}

enum hg_status store_school_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				   json_t *changes, const char *if_match, json_t **out)
{
	struct change_ctx c = {who, id, changes, if_match, &school_lock_stmt, &school_update_stmt, "school.upserted",
			       NULL};
	return change(pool, &c, out);
}

/* ---- educators ---- */

enum hg_status store_educator_list(struct hg_db_pool *pool, const struct hg_principal *who,
				   const struct educator_filter *filter, struct store_page *page)
{
	struct educator_view v = educator_view_of(who);
	char after[24], lim[24];
	page_params(page, after, lim);
	const char *params[10] = {who->district_id, v.all ? "true" : "false", who->sub, v.leader ? "true" : "false",
				  filter->school_id, filter->role, filter->q, filter->status, after, lim};
	return list(pool, &educator_list_stmt, params, page);
}

enum hg_status store_educator_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				  json_t **out)
{
	struct educator_view v = educator_view_of(who);
	const char *params[5] = {who->district_id, v.all ? "true" : "false", who->sub, v.leader ? "true" : "false",
				 id};
	return get_one(pool, &educator_get_stmt, params, out);
}

enum hg_status store_educator_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				     json_t *changes, const char *if_match, json_t **out)
{
	struct change_ctx c = {who, id, changes, if_match, &educator_lock_stmt, &educator_update_stmt,
			       "educator.upserted", NULL};
	return change(pool, &c, out);
}

/* ---- academic sessions ---- */

enum hg_status store_session_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *status,
				  struct store_page *page)
{
	char after[24], lim[24];
	page_params(page, after, lim);
	const char *params[4] = {who->district_id, status, after, lim};
	return list(pool, &session_list_stmt, params, page);
}
