/* settings_store.c - a district's minimums of suppression in PostgreSQL (SQL only). */
#include <stdlib.h>

#include "common/outbox.h"
#include "services/surveys/surveys_store.h"

static const struct hg_stmt get_stmt = {"settings_get", "SELECT settings_json($1::uuid)::text", 1};

const struct hg_entity settings_entity = {
	.name = "settings",
	.get = &get_stmt,
};

/* $1 district, $2 who, $3 the validated fields. No row when nothing changes (no version, no event). */
static const struct hg_stmt put_stmt = {
	"settings_put",
	"WITH w AS (INSERT INTO settings AS s (district_id, min_cell, min_text, updated_by)"
	" SELECT $1::uuid, (d->>'min_cell')::integer, (d->>'min_text')::integer, $2::uuid"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" ON CONFLICT (district_id) DO UPDATE SET min_cell = excluded.min_cell, min_text = excluded.min_text,"
	" updated_by = excluded.updated_by, updated_at = clock_timestamp(), version = s.version + 1"
	" WHERE (s.min_cell, s.min_text) IS DISTINCT FROM (excluded.min_cell, excluded.min_text)"
	" RETURNING s.version, rfc3339(s.updated_at) AS updated_at)"
	" SELECT json_build_object('district_id', $1::uuid, 'min_cell', (d->>'min_cell')::integer,"
	" 'min_text', (d->>'min_text')::integer, 'version', w.version, 'updated_at', w.updated_at)::text"
	" FROM w, (SELECT $3::jsonb AS d) AS input",
	3};

static enum hg_status put_tx(struct hg_db_conn *conn, void *arg)
{
	struct hg_record_call *call = arg;
	hg_record_call_reset(call);
	char *fields = json_dumps(call->fields, JSON_COMPACT);
	const char *params[3] = {call->who->district_id, call->who->sub, fields};
	enum hg_status st = hg_tx_row(conn, &put_stmt, params, &call->record);
	free(fields);
	if (st == HG_NOT_FOUND) /* unchanged: answered as it is */
		return hg_tx_row(conn, &get_stmt, params, &call->record);
	if (st == HG_OK) {
		call->changed = 1;
		st = hg_outbox_write(conn, call->who->district_id, "settings.updated", call->who->district_id,
				     call->record);
	}
	return st;
}

enum hg_status settings_store_put(struct hg_db_pool *pool, struct hg_record_call *call)
{
	return hg_record_tx(pool, call, put_tx, call);
}
