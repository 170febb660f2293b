/* plc_model_store.c - coaching's PLCs and meetings, read model for the calendar feeds. */
#include "services/resources/catalog/plc_model_store.h"

#include <stdlib.h>
#include <string.h>

#include "common/consumer.h"
#include "common/validate.h"

/* $1 district, $2 the event's data (jsonb). Returns the PLC's id when the version was newer. */
static const struct hg_stmt plc_upsert_stmt = {
	"calendar_plc_upsert",
	"INSERT INTO calendar_plcs (district_id, plc_id, name, version, updated_at)"
	" SELECT $1::uuid, (j->>'id')::uuid, j->>'name', (j->>'version')::bigint,"
	" coalesce((j->>'updated_at')::timestamptz, clock_timestamp()) FROM (SELECT $2::jsonb AS j) d"
	" ON CONFLICT (district_id, plc_id) DO UPDATE SET name = excluded.name, version = excluded.version,"
	" updated_at = excluded.updated_at WHERE calendar_plcs.version < excluded.version"
	" RETURNING plc_id::text",
	2};

static const struct hg_stmt members_clear_stmt = {
	"calendar_plc_members_clear",
	"DELETE FROM calendar_plc_members WHERE district_id = $1 AND plc_id = ($2::jsonb->>'id')::uuid", 2};

static const struct hg_stmt members_set_stmt = {
	"calendar_plc_members_set",
	"INSERT INTO calendar_plc_members (district_id, educator_id, plc_id)"
	" SELECT DISTINCT $1::uuid, (m->>'educator_id')::uuid, (j->>'id')::uuid"
	" FROM (SELECT $2::jsonb AS j) d, jsonb_array_elements(coalesce(j->'members', '[]')) m",
	2};

static const struct hg_stmt meeting_upsert_stmt = {
	"calendar_plc_meeting_upsert",
	"INSERT INTO calendar_plc_meetings (district_id, meeting_id, plc_id, held_on, minutes, attendance, version,"
	" created_at, updated_at)"
	" SELECT $1::uuid, (j->>'id')::uuid, (j->>'plc_id')::uuid, (j->>'held_on')::date, (j->>'minutes')::integer,"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(j->'attendance', '[]')))::uuid[], (j->>'version')::bigint,"
	" (j->>'created_at')::timestamptz, coalesce((j->>'updated_at')::timestamptz, (j->>'created_at')::timestamptz)"
	" FROM (SELECT $2::jsonb AS j) d"
	" ON CONFLICT (district_id, meeting_id) DO UPDATE SET plc_id = excluded.plc_id, held_on = excluded.held_on,"
	" minutes = excluded.minutes, attendance = excluded.attendance, version = excluded.version,"
	" updated_at = excluded.updated_at WHERE calendar_plc_meetings.version < excluded.version",
	2};

enum hg_status plc_model_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg)
{
	const char *type = json_string_value(json_object_get(event, "type"));
	const char *district = json_string_value(json_object_get(event, "districtid"));
	json_t *data = json_object_get(event, "data");
	PGresult *res = NULL;
	char *text = NULL;
	enum hg_status st;
	int plc;

	(void)arg;
	if (strcmp(topic, CALENDAR_COACHING_TOPIC) != 0 || type == NULL)
		return HG_OK;
	plc = strcmp(type, "plc.created") == 0 || strcmp(type, "plc.updated") == 0;
	if (!plc && strcmp(type, "plc.meeting_held") != 0 && strcmp(type, "plc.meeting_updated") != 0)
		return HG_OK; /* not an event this read model follows */
	const char *data_district = json_string_value(json_object_get(data, "district_id"));
	if (!json_is_object(data) || district == NULL || !hg_is_uuid(district) || data_district == NULL ||
	    strcmp(district, data_district) != 0 || !json_is_integer(json_object_get(data, "version"))) {
		hg_consumer_reject_reason("%s does not describe a PLC or a meeting of its district", type);
		return HG_INVALID;
	}
	text = json_dumps(data, JSON_COMPACT);
	const char *params[2] = {district, text};
	if (!plc) {
		st = hg_db_exec(conn, &meeting_upsert_stmt, params, NULL);
		goto out;
	}
	st = hg_db_exec(conn, &plc_upsert_stmt, params, &res);
	if (st != HG_OK || PQntuples(res) == 0)
		goto out; /* stale: a newer version is applied already */
	st = hg_db_exec(conn, &members_clear_stmt, params, NULL);
	if (st == HG_OK)
		st = hg_db_exec(conn, &members_set_stmt, params, NULL);
out:
	PQclear(res);
	free(text);
	return st;
}
