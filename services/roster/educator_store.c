/* educator_store.c - educators in PostgreSQL: the entity the CRUD kit runs. */
#include <stdio.h>
#include <stdlib.h>

#include "services/roster/roster_store.h"

/* Who may see an educator: $a everyone, $b the viewer, $c the viewer's schools' educators (the schools of their
 * staff roles and those they lead by assignment). */
#define VISIBLE(a, b, c)                                                                                          \
	" AND (" a "::boolean OR e.id = " b "::uuid OR (" c "::boolean AND e.school_ids && coalesce("             \
	"(SELECT v.school_ids || educator_led_schools(v) FROM educators v WHERE v.district_id = $1 AND v.id = " b \
	"::uuid AND v.status = 'active'), '{}')))"

static const struct hg_stmt get_stmt = {
	"roster_educator_get",
	"SELECT educator_json(e)::text FROM educators e WHERE e.district_id = $1 AND e.id = $2" VISIBLE("$3", "$4",
													"$5"),
	5};

/* In import order; $5-$7 what the viewer may see, $8 school, $9 role, $10 name/email text, $11 status. */
static const struct hg_stmt page_stmt = {
	"roster_educator_list",
	"SELECT educator_json(e)::text, e.seq, e.id FROM educators e WHERE e.district_id = $1"
	" AND e.seq >= coalesce($3::bigint, 0)"
	" AND (e.seq, e.id) > (coalesce($3::bigint, 0), coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'))" VISIBLE(
		"$5", "$6",
		"$7") " AND ($8::uuid IS NULL OR $8::uuid = ANY (e.school_ids)) AND ($9::text IS NULL OR $9 = ANY (educator_all_roles(e)))"
		      " AND ($10::text IS NULL OR strpos(lower(e.given_name || ' ' || e.family_name || ' ' || coalesce(e.email, '')),"
		      " lower($10)) > 0)"
		      " AND ($11::text IS NULL OR e.status = $11) ORDER BY e.seq LIMIT $2",
	11};

static const struct hg_stmt lock_stmt = {
	"roster_educator_lock", "SELECT version FROM educators WHERE district_id = $1 AND id = $2 FOR UPDATE", 2};

static const struct hg_stmt update_stmt = {
	"roster_educator_update",
	"UPDATE educators SET started_teaching_on = CASE WHEN d ? 'started_teaching_on'"
	" THEN (d->>'started_teaching_on')::date ELSE started_teaching_on END,"
	" assigned_roles = CASE WHEN d ? 'assigned_roles' THEN d->'assigned_roles' ELSE assigned_roles END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING educator_json(educators)::text",
	3};

/* The school_ids of school_leader assignments that are no active school of the district: their indexes. */
static const struct hg_stmt unknown_schools_stmt = {
	"roster_educator_unknown_schools",
	"SELECT (a.i - 1)::text FROM jsonb_array_elements($2::jsonb -> 'assigned_roles') WITH ORDINALITY AS a (v, i)"
	" WHERE a.v ? 'school_id' AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.district_id = $1"
	" AND o.id = (a.v->>'school_id')::uuid AND o.type = 'school' AND o.status = 'active') ORDER BY a.i LIMIT 1",
	2};

static const struct hg_reason unknown_school = {"unknown_school", HG_INVALID,
						"is not an active school of the district"};

/* A school leader's school is an active school of the district (422 naming the assignment's school_id). */
static enum hg_status check_schools(struct hg_db_conn *conn, struct hg_record_call *call)
{
	PGresult *res = NULL;
	char *changes, field[64];
	enum hg_status st;
	if (json_object_get(call->fields, "assigned_roles") == NULL)
		return HG_OK;
	changes = json_dumps(call->fields, JSON_COMPACT);
	const char *p[2] = {call->who->district_id, changes};
	st = hg_db_exec(conn, &unknown_schools_stmt, p, &res);
	free(changes);
	if (st == HG_OK && PQntuples(res) > 0) {
		snprintf(field, sizeof(field), "assigned_roles[%s].school_id", PQgetvalue(res, 0, 0));
		st = hg_record_refuse_field(call, &unknown_school, field);
	}
	PQclear(res);
	return st;
}

const struct hg_entity educator_entity = {
	.name = "educator",
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.updated = "educator.upserted",
	.check_update = check_schools,
};

/* One branch per kind, each on its index; the others are cut by their constant test of $2. */
const struct hg_stmt roster_identity_lookup = {
	"roster_identity_lookup",
	"SELECT id::text, status = 'active', array_to_string(educator_all_roles(educators), ',') FROM educators WHERE district_id = $1 AND $2 = 'email' AND lower(email) = $3"
	" UNION ALL SELECT id::text, status = 'active', array_to_string(educator_all_roles(educators), ',')"
	" FROM educators WHERE district_id = $1 AND $2 = 'sourced_id'"
	" AND sourced_id = $3"
	" UNION ALL SELECT id::text, status = 'active', array_to_string(educator_all_roles(educators), ',')"
	" FROM educators WHERE district_id = $1 AND $2 = 'username'"
	" AND username = $3"
	" UNION ALL SELECT id::text, status = 'active', array_to_string(educator_all_roles(educators), ',')"
	" FROM educators WHERE district_id = $1"
	" AND $2 = 'user_master_identifier' AND user_master_identifier = $3 LIMIT 2",
	3};
