/* rebuild_store.c - the rebuilds table: one running at a time, its progress, its end. SQL only. */
#include <inttypes.h>
#include <stdio.h>

#include "services/analytics/rebuild.h"

/* A running rebuild whose process stopped reporting this long ago died with it (kill -9, a lost node). */
#define ABANDONED "interval '120 seconds'"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
#define REBUILD_JSON                                                                                  \
	"json_build_object('id', r.id, 'scope', 'all_districts', 'state', r.state, 'phase', r.phase," \
	" 'events_applied', r.events_applied, 'events_total', r.events_total, 'error', r.error,"      \
	" 'started_at', " TS("r.started_at") ", 'finished_at', " TS("r.finished_at") ")::text"

static const struct hg_stmt sweep_stmt = {
	"analytics_rebuild_sweep",
	"UPDATE rebuilds SET state = 'failed', error = 'abandoned: its process stopped reporting progress',"
	" finished_at = clock_timestamp() WHERE state = 'running' AND heartbeat_at < clock_timestamp() - " ABANDONED,
	0};

static const struct hg_stmt start_stmt = {"analytics_rebuild_start",
					  "INSERT INTO rebuilds AS r (district_id, requested_by, state)"
					  " VALUES ($1, $2, 'running') RETURNING " REBUILD_JSON,
					  2};

static const struct hg_stmt progress_stmt = {
	"analytics_rebuild_progress",
	"UPDATE rebuilds SET events_applied = $3::bigint, events_total = $4::bigint, phase = $5,"
	" heartbeat_at = clock_timestamp() WHERE district_id = $1 AND id = $2 AND state = 'running'",
	5};

static const struct hg_stmt finish_stmt = {
	"analytics_rebuild_finish",
	"UPDATE rebuilds SET state = $3, error = $4, finished_at = clock_timestamp(), heartbeat_at = clock_timestamp()"
	" WHERE district_id = $1 AND id = $2 AND state = 'running'",
	4};

static const struct hg_stmt get_stmt = {
	"analytics_rebuild_get", "SELECT " REBUILD_JSON " FROM rebuilds r WHERE r.district_id = $1 AND r.id = $2", 2};

static enum hg_status run(struct hg_db_pool *pool, const struct hg_stmt *stmt, const char *const *params, json_t **row)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_db_exec(conn, stmt, params, &res);
	if (st == HG_OK && row != NULL) {
		*row = PQntuples(res) == 1 ? hg_db_json(res, 0, 0) : NULL;
		st = PQntuples(res) == 0 ? HG_NOT_FOUND : *row == NULL ? HG_INTERNAL : HG_OK;
	}
	PQclear(res);
	hg_db_release(pool, conn);
	return st;
}

enum hg_status rebuild_store_start(struct hg_db_pool *pool, const char *district_id, const char *requested_by,
				   json_t **row)
{
	const char *params[2] = {district_id, requested_by};
	enum hg_status st = run(pool, &sweep_stmt, NULL, NULL);
	return st != HG_OK ? st : run(pool, &start_stmt, params, row);
}

enum hg_status rebuild_store_progress(struct hg_db_pool *pool, const char *district_id, const char *id, int64_t applied,
				      int64_t total, const char *phase)
{
	char a[24], t[24];
	snprintf(a, sizeof(a), "%" PRId64, applied);
	snprintf(t, sizeof(t), "%" PRId64, total);
	const char *params[5] = {district_id, id, a, t, phase};
	return run(pool, &progress_stmt, params, NULL);
}

enum hg_status rebuild_store_finish(struct hg_db_pool *pool, const char *district_id, const char *id, int ok,
				    const char *error)
{
	const char *params[4] = {district_id, id, ok ? "succeeded" : "failed", ok ? NULL : error};
	return run(pool, &finish_stmt, params, NULL);
}

enum hg_status rebuild_store_get(struct hg_db_pool *pool, const char *district_id, const char *id, json_t **row)
{
	const char *params[2] = {district_id, id};
	return run(pool, &get_stmt, params, row);
}
