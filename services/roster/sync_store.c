/* sync_store.c - roster syncs in PostgreSQL (SQL only; no HTTP). */
#include "services/roster/sync_store.h"

#include <stdio.h>
#include <stdlib.h>

static const struct hg_stmt get_stmt = {
	"roster_sync_get", "SELECT sync_json(s)::text FROM syncs s WHERE s.district_id = $1 AND s.id = $2", 2};

/* Newest first. */
static const struct hg_stmt page_stmt = {
	"roster_sync_list",
	"SELECT sync_json(s)::text, s.seq, s.id FROM syncs s WHERE s.district_id = $1"
	" AND ($3::bigint IS NULL OR (s.seq, s.id) < ($3::bigint, $4::uuid)) ORDER BY s.seq DESC, s.id DESC LIMIT $2",
	4};

const struct hg_entity sync_entity = {
	.name = "sync",
	.get = &get_stmt,
	.page = &page_stmt,
};

static const struct hg_stmt last_stmt = {"roster_sync_last",
					 "SELECT json_build_object('since', rfc3339(max(started_at)))::text FROM syncs"
					 " WHERE district_id = $1 AND state = 'succeeded'",
					 1};

static const struct hg_stmt due_stmt = {
	"roster_sync_due",
	"SELECT coalesce(json_agg(q.district_id), '[]')::text FROM ("
	"  SELECT c.district_id FROM sis_connections c,"
	"  LATERAL (SELECT ((now() AT TIME ZONE c.time_zone)::date + c.schedule_time::time) AT TIME ZONE c.time_zone"
	"           AS slot) s"
	"  WHERE c.schedule_time IS NOT NULL AND s.slot <= now() AND c.updated_at < s.slot"
	"    AND NOT EXISTS (SELECT 1 FROM syncs y WHERE y.district_id = c.district_id"
	"                    AND ((y.trigger = 'schedule' AND y.started_at >= s.slot) OR y.state = 'running'))"
	"  ORDER BY s.slot LIMIT $1) q",
	1};

static const struct hg_stmt abandon_stmt = {
	"roster_sync_abandon",
	"UPDATE syncs SET state = 'failed', finished_at = clock_timestamp(),"
	" error = jsonb_build_object('detail', 'the sync stopped without finishing (its process ended)')"
	" WHERE district_id = $1 AND state = 'running' AND heartbeat_at < clock_timestamp() - interval '2 minutes'",
	1};

static const struct hg_stmt start_stmt = {
	"roster_sync_start",
	"INSERT INTO syncs (district_id, created_by, trigger, mode, since, state, phase)"
	" VALUES ($1, $2, $3, $4, $5, 'running', 'token') RETURNING sync_json(syncs)::text",
	5};

static const struct hg_stmt progress_stmt = {
	"roster_sync_progress",
	"UPDATE syncs SET phase = $3, progress = $4::jsonb, heartbeat_at = clock_timestamp()"
	" WHERE district_id = $1 AND id = $2 AND state = 'running'",
	4};

static const struct hg_stmt finish_stmt = {
	"roster_sync_finish",
	"UPDATE syncs SET state = CASE WHEN $3 THEN 'succeeded' ELSE 'failed' END, phase = 'done',"
	" progress = $4::jsonb, timings = $5::jsonb, report = $6::json, error = $7::jsonb, import_id = $8::uuid,"
	" heartbeat_at = clock_timestamp(), finished_at = clock_timestamp()"
	" WHERE district_id = $1 AND id = $2 RETURNING sync_json(syncs)::text",
	8};

/* Run one statement on a pooled connection (autocommit); its first row's JSON into *out when out. */
static enum hg_status run(struct hg_db_pool *pool, const struct hg_stmt *stmt, const char *const *params, json_t **out)
{
	struct hg_db_conn *conn = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = out != NULL ? hg_tx_row(conn, stmt, params, out) : hg_db_exec(conn, stmt, params, NULL);
	hg_db_release(pool, conn);
	return st;
}

enum hg_status sync_store_last_success(struct hg_db_pool *pool, const char *district_id, char *since, size_t len)
{
	json_t *row = NULL;
	const char *params[1] = {district_id};
	enum hg_status st = run(pool, &last_stmt, params, &row);
	const char *s = json_string_value(json_object_get(row, "since"));
	snprintf(since, len, "%s", st == HG_OK && s != NULL ? s : "");
	json_decref(row);
	return st;
}

enum hg_status sync_store_due(struct hg_db_pool *pool, long max, json_t **due)
{
	char limit[24];
	snprintf(limit, sizeof(limit), "%ld", max);
	const char *params[1] = {limit};
	*due = NULL;
	return run(pool, &due_stmt, params, due);
}

enum hg_status sync_store_start(struct hg_db_pool *pool, const char *district_id, const char *created_by,
				const char *trigger, const char *mode, const char *since, json_t **record)
{
	const char *params[5] = {district_id, created_by, trigger, mode, since};
	enum hg_status st = run(pool, &abandon_stmt, params, NULL);
	if (st == HG_OK)
		st = run(pool, &start_stmt, params, record);
	return st;
}

enum hg_status sync_store_progress(struct hg_db_pool *pool, const char *district_id, const char *id, const char *phase,
				   json_t *progress)
{
	char *text = json_dumps(progress, JSON_COMPACT);
	const char *params[4] = {district_id, id, phase, text};
	enum hg_status st = run(pool, &progress_stmt, params, NULL);
	free(text);
	return st;
}

struct finish {
	struct hg_record_call *call;
	const char *const *params;
};

static enum hg_status finish_tx(struct hg_db_conn *conn, void *arg)
{
	struct finish *f = arg;
	hg_record_call_reset(f->call);
	enum hg_status st = hg_tx_row(conn, &finish_stmt, f->params, &f->call->record);
	f->call->changed = st == HG_OK;
	return st;
}

enum hg_status sync_store_finish(struct hg_db_pool *pool, struct hg_record_call *call, const char *id, int succeeded,
				 json_t *progress, json_t *timings, json_t *report, json_t *error,
				 const char *import_id)
{
	char *p = json_dumps(progress, JSON_COMPACT), *t = json_dumps(timings, JSON_COMPACT);
	char *r = report != NULL ? json_dumps(report, JSON_COMPACT) : NULL;
	char *e = error != NULL ? json_dumps(error, JSON_COMPACT) : NULL;
	const char *params[8] = {call->who->district_id, id, succeeded ? "true" : "false", p, t, r, e, import_id};
	struct finish f = {call, params};
	enum hg_status st = hg_record_tx(pool, call, finish_tx, &f);
	if (st != HG_OK && call->hook != NULL) {
		/* The request's steps failed (its key taken by another request): finish the sync all the same. */
		call->hook = NULL;
		st = hg_record_tx(pool, call, finish_tx, &f);
	}
	free(p);
	free(t);
	free(r);
	free(e);
	return st;
}
