/* review_store.c - reviews and content checks of library resources in PostgreSQL. */
#include "review_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etag.h"
#include "log.h"
#include "outbox.h"
#include "review.h"
#include "xmalloc.h"

/*
 * Adding a review: count it in the resource's aggregate first. The UPDATE takes the resource row's
 * lock, so concurrent reviews of one resource are applied one after the other, each on the latest
 * totals; no row means no such (live) resource. A second review by the same educator then fails on
 * the unique key (23505 → 409) and the whole transaction, aggregate included, rolls back.
 */
static const struct hg_stmt review_count_stmt = {
	"library_review_count",
	"UPDATE library_resources SET rating_count = rating_count + 1, rating_sum = rating_sum + $3::integer"
	" WHERE district_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id",
	3};

static const struct hg_stmt review_insert_stmt = {
	"library_review_insert",
	"INSERT INTO library_reviews (district_id, resource_id, reviewer_id, rating, comment)"
	" SELECT $1, $2, $3, (d->>'rating')::smallint, d->>'comment' FROM (SELECT $4::jsonb AS d) AS input"
	" RETURNING library_review_json(library_reviews)::text",
	4};

/* Changing a review: the resource row first (the same lock order as adding one), then the review. */
static const struct hg_stmt resource_lock_stmt = {
	"library_review_resource_lock",
	"SELECT review_due_on FROM library_resources WHERE district_id = $1 AND id = $2 AND deleted_at IS NULL"
	" FOR NO KEY UPDATE",
	2};

static const struct hg_stmt review_lock_stmt = {
	"library_review_lock",
	"SELECT reviewer_id, version, rating FROM library_reviews"
	" WHERE district_id = $1 AND resource_id = $2 AND id = $3 FOR UPDATE",
	3};

static const struct hg_stmt review_update_stmt = {
	"library_review_update",
	"UPDATE library_reviews SET"
	" rating = CASE WHEN d ? 'rating' THEN (d->>'rating')::smallint ELSE rating END,"
	" comment = CASE WHEN d ? 'comment' THEN d->>'comment' ELSE comment END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING library_review_json(library_reviews)::text, rating",
	3};

static const struct hg_stmt review_adjust_stmt = {
	"library_review_adjust",
	"UPDATE library_resources SET rating_sum = rating_sum + $3::integer WHERE district_id = $1 AND id = $2",
	3};

static const struct hg_stmt review_get_stmt = {
	"library_review_get",
	"SELECT library_review_json(v)::text FROM library_reviews v"
	" JOIN library_resources r ON r.district_id = v.district_id AND r.id = v.resource_id"
	" WHERE v.district_id = $1 AND v.resource_id = $2 AND v.id = $3 AND r.deleted_at IS NULL",
	3};

static const struct hg_stmt resource_live_stmt = {
	"library_review_resource_live",
	"SELECT 1 FROM library_resources WHERE district_id = $1 AND id = $2 AND deleted_at IS NULL", 2};

static const struct hg_stmt review_page_stmt = {
	"library_review_page",
	"SELECT library_review_json(v)::text, (extract(epoch FROM v.created_at) * 1000000)::bigint, v.id"
	" FROM library_reviews v WHERE v.district_id = $1 AND v.resource_id = $2"
	" AND ($5::uuid IS NULL OR (v.created_at, v.id) <"
	" ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5::uuid))"
	" ORDER BY v.created_at DESC, v.id DESC LIMIT $3",
	5};

/* A content check: record it with the date it replaces, then move the resource's date. */
static const struct hg_stmt check_insert_stmt = {
	"library_content_check_insert",
	"INSERT INTO library_content_checks (district_id, resource_id, checked_by, note, previous_review_due_on,"
	" review_due_on) SELECT $1, $2, $3, d->>'note', $5::date, (d->>'review_due_on')::date"
	" FROM (SELECT $4::jsonb AS d) AS input"
	" RETURNING library_content_check_json(library_content_checks)::text, checked_at",
	5};

static const struct hg_stmt check_apply_stmt = {
	"library_content_check_apply",
	"UPDATE library_resources SET review_due_on = $3::date, content_checked_at = $4::timestamptz"
	" WHERE district_id = $1 AND id = $2",
	4};

/* ---- add a review ---- */

struct review_ctx {
	const struct hg_principal *who;
	const char *resource_id;
	const char *review_id;
	json_t *fields;
	const char *if_match;
	json_t *out;
};

static enum hg_status create_tx(struct hg_db_conn *conn, void *arg)
{
	struct review_ctx *c = arg;
	PGresult *res = NULL;
	char rating[8];
	char *fields = json_dumps(c->fields, JSON_COMPACT);
	enum hg_status st;

	json_decref(c->out); /* a retried transaction starts over */
	c->out = NULL;
	snprintf(rating, sizeof(rating), "%lld", (long long)json_integer_value(json_object_get(c->fields, "rating")));
	const char *count_params[3] = {c->who->district_id, c->resource_id, rating};
	st = hg_db_exec(conn, &review_count_stmt, count_params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	PQclear(res);
	res = NULL;
	const char *insert_params[4] = {c->who->district_id, c->resource_id, c->who->sub, fields};
	st = hg_db_exec(conn, &review_insert_stmt, insert_params, &res);
	if (st != HG_OK)
		goto out;
	st = HG_INTERNAL;
	c->out = hg_db_json(res, 0, 0);
	if (c->out == NULL)
		goto out;
	st = hg_outbox_write(conn, c->who->district_id, "review.created",
			     json_string_value(json_object_get(c->out, "id")), c->out);
out:
	PQclear(res);
	free(fields);
	return st;
}

enum hg_status review_store_create(struct hg_db_pool *pool, const struct hg_principal *who, const char *resource_id,
				   json_t *fields, json_t **out)
{
	struct review_ctx c = {who, resource_id, NULL, fields, NULL, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", create_tx, &c);
	if (st != HG_OK) {
		json_decref(c.out);
		return st;
	}
	*out = c.out;
	return HG_OK;
}

/* ---- change a review ---- */

static enum hg_status update_tx(struct hg_db_conn *conn, void *arg)
{
	struct review_ctx *c = arg;
	PGresult *res = NULL;
	char *changes = json_dumps(c->fields, JSON_COMPACT);
	char delta[16];
	long old_rating;
	enum hg_status st;

	json_decref(c->out);
	c->out = NULL;
	const char *resource_params[2] = {c->who->district_id, c->resource_id};
	st = hg_db_exec(conn, &resource_lock_stmt, resource_params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	PQclear(res);
	res = NULL;

	const char *lock_params[3] = {c->who->district_id, c->resource_id, c->review_id};
	st = hg_db_exec(conn, &review_lock_stmt, lock_params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	else if (!review_may_change(c->who, PQgetvalue(res, 0, 0)))
		st = HG_FORBIDDEN;
	else if (!hg_etag_match(c->if_match, strtol(PQgetvalue(res, 0, 1), NULL, 10)))
		st = HG_PRECONDITION_FAILED;
	if (st != HG_OK)
		goto out;
	old_rating = strtol(PQgetvalue(res, 0, 2), NULL, 10);
	PQclear(res);
	res = NULL;

	const char *update_params[3] = {c->who->district_id, c->review_id, changes};
	st = hg_db_exec(conn, &review_update_stmt, update_params, &res);
	if (st != HG_OK)
		goto out;
	st = HG_INTERNAL;
	c->out = hg_db_json(res, 0, 0);
	if (c->out == NULL)
		goto out;
	snprintf(delta, sizeof(delta), "%ld", strtol(PQgetvalue(res, 0, 1), NULL, 10) - old_rating);
	PQclear(res);
	res = NULL;
	if (strcmp(delta, "0") != 0) {
		const char *adjust_params[3] = {c->who->district_id, c->resource_id, delta};
		st = hg_db_exec(conn, &review_adjust_stmt, adjust_params, NULL);
		if (st != HG_OK)
			goto out;
	}
	st = hg_outbox_write(conn, c->who->district_id, "review.updated", c->review_id, c->out);
out:
	PQclear(res);
	free(changes);
	return st;
}

enum hg_status review_store_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *resource_id,
				   const char *review_id, json_t *changes, const char *if_match, json_t **out)
{
	struct review_ctx c = {who, resource_id, review_id, changes, if_match, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", update_tx, &c);
	if (st != HG_OK) {
		json_decref(c.out);
		return st;
	}
	*out = c.out;
	return HG_OK;
}

/* ---- read ---- */

enum hg_status review_store_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *resource_id,
				const char *review_id, json_t **out)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	const char *params[3] = {who->district_id, resource_id, review_id};
	enum hg_status st = hg_db_acquire(pool, &conn);

	*out = NULL;
	if (st != HG_OK)
		goto out;
	st = hg_db_exec(conn, &review_get_stmt, params, &res);
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

struct page_ctx {
	const struct hg_principal *who;
	const char *resource_id;
	const struct hg_cursor *after;
	long limit;
	json_t *items;
	char *next;
};

static enum hg_status page_tx(struct hg_db_conn *conn, void *arg)
{
	struct page_ctx *c = arg;
	PGresult *res = NULL;
	char lim[24], key[24];
	enum hg_status st;

	json_decref(c->items);
	free(c->next);
	c->items = NULL;
	c->next = NULL;
	const char *live_params[2] = {c->who->district_id, c->resource_id};
	st = hg_db_exec(conn, &resource_live_stmt, live_params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	PQclear(res);
	res = NULL;

	snprintf(lim, sizeof(lim), "%ld", c->limit + 1); /* one more tells whether a page follows */
	if (c->after != NULL)
		snprintf(key, sizeof(key), "%lld", (long long)c->after->key);
	const char *params[5] = {c->who->district_id, c->resource_id, lim, c->after ? key : NULL,
				 c->after ? c->after->id : NULL};
	st = hg_db_exec(conn, &review_page_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	int n = PQntuples(res);
	int shown = n > c->limit ? (int)c->limit : n;
	c->items = json_array();
	for (int i = 0; i < shown; i++) {
		json_t *item = hg_db_json(res, i, 0);
		if (item == NULL) {
			st = HG_INTERNAL;
			goto out;
		}
		json_array_append_new(c->items, item);
	}
	if (n > c->limit && shown > 0) {
		struct hg_cursor cur;
		cur.key = strtoll(PQgetvalue(res, shown - 1, 1), NULL, 10);
		snprintf(cur.id, sizeof(cur.id), "%s", PQgetvalue(res, shown - 1, 2));
		c->next = hg_cursor_encode(&cur);
	}
out:
	PQclear(res);
	return st;
}

enum hg_status review_store_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *resource_id,
				 const struct hg_cursor *after, long limit, json_t **items, char **next)
{
	struct page_ctx c = {who, resource_id, after, limit, NULL, NULL};
	/* One snapshot for the existence check and the page. */
	enum hg_status st = hg_db_tx(pool, "REPEATABLE READ", page_tx, &c);
	if (st != HG_OK) {
		json_decref(c.items);
		free(c.next);
		return st;
	}
	*items = c.items;
	*next = c.next;
	return HG_OK;
}

/* ---- content checks ---- */

static enum hg_status check_tx(struct hg_db_conn *conn, void *arg)
{
	struct review_ctx *c = arg;
	PGresult *res = NULL;
	char *fields = json_dumps(c->fields, JSON_COMPACT);
	char *previous = NULL, *checked_at = NULL;
	enum hg_status st;

	json_decref(c->out);
	c->out = NULL;
	const char *lock_params[2] = {c->who->district_id, c->resource_id};
	st = hg_db_exec(conn, &resource_lock_stmt, lock_params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	previous = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;

	const char *insert_params[5] = {c->who->district_id, c->resource_id, c->who->sub, fields, previous};
	st = hg_db_exec(conn, &check_insert_stmt, insert_params, &res);
	if (st != HG_OK)
		goto out;
	st = HG_INTERNAL;
	c->out = hg_db_json(res, 0, 0);
	if (c->out == NULL)
		goto out;
	checked_at = xstrdup(PQgetvalue(res, 0, 1));
	PQclear(res);
	res = NULL;

	const char *apply_params[4] = {c->who->district_id, c->resource_id,
				       json_string_value(json_object_get(c->fields, "review_due_on")), checked_at};
	st = hg_db_exec(conn, &check_apply_stmt, apply_params, NULL);
	if (st != HG_OK)
		goto out;
	st = hg_outbox_write(conn, c->who->district_id, "content.checked", c->resource_id, c->out);
out:
	PQclear(res);
	free(fields);
	free(previous);
	free(checked_at);
	return st;
}

enum hg_status content_check_store_create(struct hg_db_pool *pool, const struct hg_principal *who,
					  const char *resource_id, json_t *fields, json_t **out)
{
	struct review_ctx c = {who, resource_id, NULL, fields, NULL, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", check_tx, &c);
	if (st != HG_OK) {
		json_decref(c.out);
		return st;
	}
	*out = c.out;
	return HG_OK;
}
