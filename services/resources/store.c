/* store.c - library resources in PostgreSQL. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etag.h"
#include "library.h"
#include "log.h"
#include "outbox.h"
#include "record.h"
#include "xmalloc.h"

/* The normalised fields travel as one jsonb parameter ($3 / d). */
static const struct hg_stmt insert_stmt = {
	"library_insert",
	"INSERT INTO library_resources (district_id, created_by, title, description, type, url, subjects,"
	" grade_bands, topics, license)"
	" SELECT $1, $2, d->>'title', coalesce(d->>'description', ''), d->>'type', d->>'url',"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'subjects', '[]'))),"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'grade_bands', '[]'))),"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'topics', '[]'))), d->>'license'"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING library_resource_json(library_resources)::text",
	3};

static const struct hg_stmt get_stmt = {
	"library_get",
	"SELECT library_resource_json(r)::text FROM library_resources r"
	" WHERE r.district_id = $1 AND r.id = $2 AND r.deleted_at IS NULL",
	2};

static const struct hg_stmt lock_stmt = {
	"library_lock",
	"SELECT created_by, version FROM library_resources"
	" WHERE district_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE",
	2};

static const struct hg_stmt update_stmt = {
	"library_update",
	"UPDATE library_resources SET"
	" title = CASE WHEN d ? 'title' THEN d->>'title' ELSE title END,"
	" description = CASE WHEN d ? 'description' THEN d->>'description' ELSE description END,"
	" type = CASE WHEN d ? 'type' THEN d->>'type' ELSE type END,"
	" url = CASE WHEN d ? 'url' THEN d->>'url' ELSE url END,"
	" license = CASE WHEN d ? 'license' THEN d->>'license' ELSE license END,"
	" subjects = CASE WHEN d ? 'subjects' THEN ARRAY(SELECT jsonb_array_elements_text(d->'subjects'))"
	" ELSE subjects END,"
	" grade_bands = CASE WHEN d ? 'grade_bands' THEN ARRAY(SELECT jsonb_array_elements_text(d->'grade_bands'))"
	" ELSE grade_bands END,"
	" topics = CASE WHEN d ? 'topics' THEN ARRAY(SELECT jsonb_array_elements_text(d->'topics'))"
	" ELSE topics END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" WHERE district_id = $1 AND id = $2"
	" RETURNING library_resource_json(library_resources)::text",
	3};

static const struct hg_stmt delete_stmt = {
	"library_delete",
	"UPDATE library_resources SET deleted_at = clock_timestamp(), updated_at = clock_timestamp(),"
	" version = version + 1 WHERE district_id = $1 AND id = $2"
	" RETURNING library_resource_json(library_resources)::text, rfc3339(deleted_at)",
	2};

/* ---- create ---- */

enum hg_status store_resource_create(struct hg_db_pool *pool, const struct hg_principal *who, json_t *fields,
				     json_t **out)
{
	return hg_record_create(pool, &insert_stmt, who, fields, "resource.created", out);
}

/* ---- read ---- */

enum hg_status store_resource_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				  json_t **out)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	const char *params[2] = {who->district_id, id};
	enum hg_status st = hg_db_acquire(pool, &conn);

	*out = NULL;
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
	st = *out ? HG_OK : HG_INTERNAL;
out:
	PQclear(res);
	hg_db_release(pool, conn);
	return st;
}

/* ---- update and delete ---- */

struct change_ctx {
	const struct hg_principal *who;
	const char *id;
	json_t *changes; /* NULL: delete */
	const char *if_match;
	json_t *out;
};

/* Lock the live row and apply the change rules: 404, 403, 412 or HG_OK. */
static enum hg_status lock_and_check(struct hg_db_conn *conn, struct change_ctx *c)
{
	PGresult *res = NULL;
	const char *params[2] = {c->who->district_id, c->id};
	enum hg_status st = hg_db_exec(conn, &lock_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	else if (!library_may_change(c->who, PQgetvalue(res, 0, 0)))
		st = HG_FORBIDDEN;
	else if (!hg_etag_match(c->if_match, strtol(PQgetvalue(res, 0, 1), NULL, 10)))
		st = HG_PRECONDITION_FAILED;
out:
	PQclear(res);
	return st;
}

static enum hg_status change_tx(struct hg_db_conn *conn, void *arg)
{
	struct change_ctx *c = arg;
	PGresult *res = NULL;
	char *changes = NULL;
	enum hg_status st;

	json_decref(c->out);
	c->out = NULL;
	st = lock_and_check(conn, c);
	if (st != HG_OK)
		goto out;
	if (c->changes != NULL) {
		changes = json_dumps(c->changes, JSON_COMPACT);
		const char *params[3] = {c->who->district_id, c->id, changes};
		st = hg_db_exec(conn, &update_stmt, params, &res);
	} else {
		const char *params[2] = {c->who->district_id, c->id};
		st = hg_db_exec(conn, &delete_stmt, params, &res);
	}
	if (st != HG_OK)
		goto out;
	st = HG_INTERNAL;
	c->out = hg_db_json(res, 0, 0);
	if (c->out == NULL)
		goto out;
	if (c->changes == NULL)
		json_object_set_new(c->out, "deleted_at", json_string(PQgetvalue(res, 0, 1)));
	st = hg_outbox_write(conn, c->who->district_id, c->changes ? "resource.updated" : "resource.deleted", c->id,
			     c->out);
out:
	free(changes);
	PQclear(res);
	return st;
}

enum hg_status store_resource_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				     json_t *changes, const char *if_match, json_t **out)
{
	struct change_ctx c = {who, id, changes, if_match, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", change_tx, &c);
	if (st != HG_OK) {
		json_decref(c.out);
		return st;
	}
	*out = c.out;
	return HG_OK;
}

enum hg_status store_resource_delete(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				     const char *if_match)
{
	struct change_ctx c = {who, id, NULL, if_match, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", change_tx, &c);
	json_decref(c.out);
	return st;
}
