/* sis_store.c - the district's SIS connection in PostgreSQL (SQL only; no HTTP). */
#include "services/roster/sis_store.h"

#include <stdlib.h>

static const struct hg_stmt get_stmt = {
	"roster_sis_get", "SELECT sis_connection_json(c)::text FROM sis_connections c WHERE c.district_id = $1", 1};

const struct hg_entity sis_connection_entity = {
	.name = "SIS connection",
	.get = &get_stmt,
};

static const struct hg_stmt zone_stmt = {
	"roster_sis_zone",
	"SELECT json_build_object('known', EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1))", 1};

/* $1 district, $2 who, $3 the validated fields (client_secret sealed). */
static const struct hg_stmt put_stmt = {
	"roster_sis_put",
	"INSERT INTO sis_connections AS c (district_id, base_url, token_url, client_id, client_secret, scope,"
	"                                  schedule_time, time_zone, use_deltas, updated_by)"
	" SELECT $1::uuid, d->>'base_url', d->>'token_url', d->>'client_id', d->>'client_secret', d->>'scope',"
	"        d->'schedule'->>'time', d->'schedule'->>'time_zone', (d->>'use_deltas')::boolean, $2::uuid"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" ON CONFLICT (district_id) DO UPDATE SET base_url = excluded.base_url, token_url = excluded.token_url,"
	"   client_id = excluded.client_id, client_secret = excluded.client_secret, scope = excluded.scope,"
	"   schedule_time = excluded.schedule_time, time_zone = excluded.time_zone, use_deltas = excluded.use_deltas,"
	"   updated_by = excluded.updated_by, updated_at = clock_timestamp(), version = c.version + 1"
	" RETURNING sis_connection_json(c)::text",
	3};

static const struct hg_stmt delete_stmt = {
	"roster_sis_delete",
	"DELETE FROM sis_connections c WHERE c.district_id = $1 RETURNING sis_connection_json(c)::text", 1};

static const struct hg_stmt credentials_stmt = {
	"roster_sis_credentials",
	"SELECT (sis_connection_json(c)::jsonb || jsonb_build_object('client_secret', c.client_secret))::text"
	" FROM sis_connections c WHERE c.district_id = $1",
	1};

enum hg_status sis_store_zone_known(struct hg_db_pool *pool, const char *zone, int *known)
{
	struct hg_db_conn *conn = NULL;
	json_t *row = NULL;
	const char *params[1] = {zone};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_tx_row(conn, &zone_stmt, params, &row);
	hg_db_release(pool, conn);
	*known = st == HG_OK && json_is_true(json_object_get(row, "known"));
	json_decref(row);
	return st;
}

static enum hg_status put_tx(struct hg_db_conn *conn, void *arg)
{
	struct hg_record_call *call = arg;
	hg_record_call_reset(call);
	char *fields = json_dumps(call->fields, JSON_COMPACT);
	const char *params[3] = {call->who->district_id, call->who->sub, fields};
	enum hg_status st = hg_tx_row(conn, &put_stmt, params, &call->record);
	free(fields);
	call->changed = st == HG_OK;
	return st;
}

enum hg_status sis_store_put(struct hg_db_pool *pool, struct hg_record_call *call)
{
	return hg_record_tx(pool, call, put_tx, call);
}

static enum hg_status delete_tx(struct hg_db_conn *conn, void *arg)
{
	struct hg_record_call *call = arg;
	hg_record_call_reset(call);
	const char *params[1] = {call->who->district_id};
	enum hg_status st = hg_tx_row(conn, &delete_stmt, params, &call->record);
	call->changed = st == HG_OK;
	return st;
}

enum hg_status sis_store_delete(struct hg_db_pool *pool, struct hg_record_call *call)
{
	return hg_record_tx(pool, call, delete_tx, call);
}

enum hg_status sis_store_credentials(struct hg_db_pool *pool, const char *district_id, json_t **out)
{
	struct hg_db_conn *conn = NULL;
	const char *params[1] = {district_id};
	*out = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_tx_row(conn, &credentials_stmt, params, out);
	hg_db_release(pool, conn);
	return st;
}
