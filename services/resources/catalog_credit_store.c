/* catalog_credit_store.c - credit requests for outside learning in PostgreSQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_credit.h"
#include "catalog_store.h"
#include "outbox.h"
#include "record.h"

static const struct hg_stmt insert_stmt = {
	"catalog_credit_insert",
	"INSERT INTO catalog_credit_requests (district_id, educator_id, title, provider, description, start_date,"
	" end_date, hours, evidence_url)"
	" SELECT $1, $2, d->>'title', d->>'provider', d->>'description', (d->>'start_date')::date,"
	" (d->>'end_date')::date, (d->>'hours')::numeric, d->>'evidence_url'"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING catalog_credit_request_json(catalog_credit_requests)::text",
	3};

static const struct hg_stmt get_stmt = {
	"catalog_credit_get",
	"SELECT catalog_credit_request_json(q)::text FROM catalog_credit_requests q"
	" WHERE q.district_id = $1 AND q.id = $2",
	2};

/* Newest first; $3 educator and $4 status filter when not NULL; cursor $5/$6 (created_at µs, id). */
static const struct hg_stmt page_stmt = {
	"catalog_credit_page",
	"SELECT catalog_credit_request_json(q)::text, (extract(epoch FROM q.created_at) * 1000000)::bigint, q.id"
	" FROM catalog_credit_requests q WHERE q.district_id = $1"
	" AND ($3::uuid IS NULL OR q.educator_id = $3::uuid) AND ($4::text IS NULL OR q.status = $4::text)"
	" AND (q.created_at, q.id) < (coalesce('epoch'::timestamptz + $5::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($6::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" ORDER BY q.created_at DESC, q.id DESC LIMIT $2",
	6};

static const struct hg_stmt lock_stmt = {
	"catalog_credit_lock",
	"SELECT educator_id, status FROM catalog_credit_requests WHERE district_id = $1 AND id = $2"
	" FOR NO KEY UPDATE",
	2};

static const struct hg_stmt decide_stmt = {
	"catalog_credit_decide",
	"UPDATE catalog_credit_requests SET status = $3, reason = $4, decided_by = $5,"
	" decided_at = clock_timestamp(), updated_at = clock_timestamp(), version = version + 1"
	" WHERE district_id = $1 AND id = $2"
	" RETURNING catalog_credit_request_json(catalog_credit_requests)::text",
	5};

/* ---- create ---- */

enum hg_status catalog_credit_create(struct hg_db_pool *pool, const struct hg_principal *who, json_t *fields,
				     json_t **out)
{
	return hg_record_create(pool, &insert_stmt, who, fields, "credit_request.submitted", out);
}

/* ---- read ---- */

enum hg_status catalog_credit_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				  json_t **out)
{
	const char *params[2] = {who->district_id, id};
	return catalog_read_one(pool, &get_stmt, params, out);
}

enum hg_status catalog_credit_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *educator,
				   const char *status, const struct hg_cursor *after, long limit, json_t **items,
				   char **next)
{
	char lim[24], key[24], id[37];
	const char *key_param, *id_param;
	snprintf(lim, sizeof(lim), "%ld", limit + 1);
	catalog_cursor_params(after, key, id, &key_param, &id_param);
	const char *params[6] = {who->district_id, lim, educator, status, key_param, id_param};
	return catalog_read_page(pool, &page_stmt, params, limit, items, next);
}

/* ---- decide ---- */

struct decide_ctx {
	const struct hg_principal *who;
	const char *id;
	const char *decision;
	const char *reason;
	json_t *out;
	const char *why;
};

static enum hg_status decide_tx(struct hg_db_conn *conn, void *arg)
{
	struct decide_ctx *c = arg;
	PGresult *res = NULL;
	const char *params[5] = {c->who->district_id, c->id, c->decision, c->reason, c->who->sub};
	enum hg_status st;

	json_decref(c->out);
	c->out = NULL;
	c->why = NULL;
	st = hg_db_exec(conn, &lock_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st != HG_OK)
		goto out;
	st = catalog_credit_may_decide(c->who, PQgetvalue(res, 0, 0));
	if (st != HG_OK) {
		c->why = "district admins decide credit requests, and never their own";
		goto out;
	}
	st = catalog_credit_decidable(PQgetvalue(res, 0, 1));
	if (st != HG_OK) {
		c->why = "the credit request has already been decided";
		goto out;
	}
	PQclear(res);
	res = NULL;
	st = hg_db_exec(conn, &decide_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	st = HG_INTERNAL;
	c->out = hg_db_json(res, 0, 0);
	if (c->out == NULL)
		goto out;
	st = hg_outbox_write(conn, c->who->district_id, "credit_request.decided", c->id, c->out);
out:
	PQclear(res);
	return st;
}

enum hg_status catalog_credit_decide(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				     const char *decision, const char *reason, json_t **out, const char **why)
{
	struct decide_ctx c = {who, id, decision, reason, NULL, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", decide_tx, &c);
	*why = c.why;
	if (st != HG_OK) {
		json_decref(c.out);
		return st;
	}
	*out = c.out;
	return HG_OK;
}
