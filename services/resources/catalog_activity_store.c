/* catalog_activity_store.c - PD activities in PostgreSQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_activity.h"
#include "catalog_store.h"
#include "etag.h"
#include "outbox.h"
#include "record.h"

/* The normalised fields travel as one jsonb parameter ($3 / d). */
static const struct hg_stmt insert_stmt = {
	"catalog_activity_insert",
	"INSERT INTO catalog_activities (district_id, created_by, title, description, objectives, topics, type,"
	" credit_type, credits, level, audience_type, target_audience, delivery_method, instructional_delivery_mode,"
	" funding_source, cost, completion_rule, completion_min_sessions)"
	" SELECT $1, $2, d->>'title', coalesce(d->>'description', ''),"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'objectives', '[]'))),"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'topics', '[]'))), d->>'type', d->>'credit_type',"
	" (d->>'credits')::numeric, d->>'level', d->>'audience_type',"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'target_audience', '[]'))), d->>'delivery_method',"
	" d->>'instructional_delivery_mode', d->>'funding_source', (d->>'cost')::numeric,"
	" coalesce(d->>'completion_rule', 'all_sessions'), (d->>'completion_min_sessions')::integer"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING catalog_activity_json(catalog_activities)::text",
	3};

static const struct hg_stmt get_stmt = {
	"catalog_activity_get",
	"SELECT catalog_activity_json(a)::text FROM catalog_activities a WHERE a.district_id = $1 AND a.id = $2", 2};

/* Newest first; the cursor (created_at in µs, id) is NULL on the first page. */
static const struct hg_stmt page_stmt = {
	"catalog_activity_page",
	"SELECT catalog_activity_json(a)::text, (extract(epoch FROM a.created_at) * 1000000)::bigint, a.id"
	" FROM catalog_activities a WHERE a.district_id = $1 AND a.status = ANY ($3::text[])"
	" AND (a.created_at, a.id) < (coalesce('epoch'::timestamptz + $4::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($5::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
	5};

static const struct hg_stmt lock_stmt = {
	"catalog_activity_lock_version",
	"SELECT status, version FROM catalog_activities WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE", 2};

/* A key present in d replaces the column; status moves stamp published_at / archived_at once. */
static const struct hg_stmt update_stmt = {
	"catalog_activity_update",
	"UPDATE catalog_activities SET"
	" title = CASE WHEN d ? 'title' THEN d->>'title' ELSE title END,"
	" description = CASE WHEN d ? 'description' THEN d->>'description' ELSE description END,"
	" objectives = CASE WHEN d ? 'objectives' THEN ARRAY(SELECT jsonb_array_elements_text(d->'objectives'))"
	" ELSE objectives END,"
	" topics = CASE WHEN d ? 'topics' THEN ARRAY(SELECT jsonb_array_elements_text(d->'topics')) ELSE topics END,"
	" type = CASE WHEN d ? 'type' THEN d->>'type' ELSE type END,"
	" credit_type = CASE WHEN d ? 'credit_type' THEN d->>'credit_type' ELSE credit_type END,"
	" credits = CASE WHEN d ? 'credits' THEN (d->>'credits')::numeric ELSE credits END,"
	" level = CASE WHEN d ? 'level' THEN d->>'level' ELSE level END,"
	" audience_type = CASE WHEN d ? 'audience_type' THEN d->>'audience_type' ELSE audience_type END,"
	" target_audience = CASE WHEN d ? 'target_audience'"
	" THEN ARRAY(SELECT jsonb_array_elements_text(d->'target_audience')) ELSE target_audience END,"
	" delivery_method = CASE WHEN d ? 'delivery_method' THEN d->>'delivery_method' ELSE delivery_method END,"
	" instructional_delivery_mode = CASE WHEN d ? 'instructional_delivery_mode'"
	" THEN d->>'instructional_delivery_mode' ELSE instructional_delivery_mode END,"
	" funding_source = CASE WHEN d ? 'funding_source' THEN d->>'funding_source' ELSE funding_source END,"
	" cost = CASE WHEN d ? 'cost' THEN (d->>'cost')::numeric ELSE cost END,"
	" completion_rule = CASE WHEN d ? 'completion_rule' THEN d->>'completion_rule' ELSE completion_rule END,"
	" completion_min_sessions = CASE WHEN d ? 'completion_rule' THEN (d->>'completion_min_sessions')::integer"
	" ELSE completion_min_sessions END,"
	" status = CASE WHEN d ? 'status' THEN d->>'status' ELSE status END,"
	" published_at = CASE WHEN d->>'status' = 'published' AND status <> 'published' THEN clock_timestamp()"
	" ELSE published_at END,"
	" archived_at = CASE WHEN d->>'status' = 'archived' AND status <> 'archived' THEN clock_timestamp()"
	" ELSE archived_at END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" WHERE district_id = $1 AND id = $2"
	" RETURNING catalog_activity_json(catalog_activities)::text",
	3};

/* ---- create ---- */

enum hg_status catalog_activity_create(struct hg_db_pool *pool, const struct hg_principal *who, json_t *fields,
				       json_t **out)
{
	return hg_record_create(pool, &insert_stmt, who, fields, "activity.created", out);
}

/* ---- read ---- */

enum hg_status catalog_activity_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				    json_t **out)
{
	const char *params[2] = {who->district_id, id};
	return catalog_read_one(pool, &get_stmt, params, out);
}

enum hg_status catalog_activity_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *statuses,
				     const struct hg_cursor *after, long limit, json_t **items, char **next)
{
	char lim[24], key[24], id[37];
	const char *key_param, *id_param;
	snprintf(lim, sizeof(lim), "%ld", limit + 1);
	catalog_cursor_params(after, key, id, &key_param, &id_param);
	const char *params[5] = {who->district_id, lim, statuses, key_param, id_param};
	return catalog_read_page(pool, &page_stmt, params, limit, items, next);
}

/* ---- update ---- */

struct update_ctx {
	const struct hg_principal *who;
	const char *id;
	json_t *changes;
	const char *if_match;
	json_t *out;
	const char *why;
};

static enum hg_status update_tx(struct hg_db_conn *conn, void *arg)
{
	struct update_ctx *c = arg;
	PGresult *res = NULL;
	char *changes = NULL;
	const char *params[3] = {c->who->district_id, c->id, NULL};
	enum hg_status st;

	json_decref(c->out);
	c->out = NULL;
	c->why = NULL;
	st = hg_db_exec(conn, &lock_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	char from[16];
	snprintf(from, sizeof(from), "%s", PQgetvalue(res, 0, 0));
	if (!hg_etag_match(c->if_match, strtol(PQgetvalue(res, 0, 1), NULL, 10))) {
		st = HG_PRECONDITION_FAILED;
		goto out;
	}
	if (!catalog_activity_editable(from)) {
		c->why = "an archived activity cannot be changed";
		st = HG_CONFLICT;
		goto out;
	}
	const char *to = json_string_value(json_object_get(c->changes, "status"));
	if (to == NULL)
		to = from;
	st = catalog_activity_transition(from, to, &c->why);
	if (st != HG_OK)
		goto out;
	PQclear(res);
	res = NULL;
	/* Only `status`, and unchanged: nothing to write, no event. */
	if (json_object_size(c->changes) == 1 && json_object_get(c->changes, "status") != NULL &&
	    strcmp(from, to) == 0) {
		st = hg_db_exec(conn, &get_stmt, params, &res);
		if (st == HG_OK)
			c->out = hg_db_json(res, 0, 0);
		st = st == HG_OK && c->out == NULL ? HG_INTERNAL : st;
		goto out;
	}
	changes = json_dumps(c->changes, JSON_COMPACT);
	params[2] = changes;
	st = hg_db_exec(conn, &update_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	st = HG_INTERNAL;
	c->out = hg_db_json(res, 0, 0);
	if (c->out == NULL)
		goto out;
	st = hg_outbox_write(conn, c->who->district_id, catalog_activity_event(from, to), c->id, c->out);
out:
	free(changes);
	PQclear(res);
	return st;
}

enum hg_status catalog_activity_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				       json_t *changes, const char *if_match, json_t **out, const char **why)
{
	struct update_ctx c = {who, id, changes, if_match, NULL, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", update_tx, &c);
	*why = c.why;
	if (st != HG_OK) {
		json_decref(c.out);
		return st;
	}
	*out = c.out;
	return HG_OK;
}
