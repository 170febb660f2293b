/* educator_store.c - educators in PostgreSQL: the entity the CRUD kit runs. */
#include "services/roster/roster_store.h"

/* Who may see an educator: $a everyone, $b the viewer, $c the viewer's schools' educators. */
#define VISIBLE(a, b, c)                                                                              \
	" AND (" a "::boolean OR e.id = " b "::uuid OR (" c "::boolean AND e.school_ids && coalesce(" \
	"(SELECT v.school_ids FROM educators v WHERE v.district_id = $1 AND v.id = " b "::uuid"       \
	" AND v.status = 'active'), '{}')))"

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
		"$7") " AND ($8::uuid IS NULL OR $8::uuid = ANY (e.school_ids)) AND ($9::text IS NULL OR $9 = ANY (e.roles))"
		      " AND ($10::text IS NULL OR strpos(lower(e.given_name || ' ' || e.family_name || ' ' || coalesce(e.email, '')),"
		      " lower($10)) > 0)"
		      " AND ($11::text IS NULL OR e.status = $11) ORDER BY e.seq LIMIT $2",
	11};

static const struct hg_stmt lock_stmt = {
	"roster_educator_lock", "SELECT version FROM educators WHERE district_id = $1 AND id = $2 FOR UPDATE", 2};

static const struct hg_stmt update_stmt = {
	"roster_educator_update",
	"UPDATE educators SET started_teaching_on = (d->>'started_teaching_on')::date,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING educator_json(educators)::text",
	3};

const struct hg_entity educator_entity = {
	.name = "educator",
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.updated = "educator.upserted",
};

/* One branch per kind, each on its index; the others are cut by their constant test of $2. */
const struct hg_stmt roster_identity_lookup = {
	"roster_identity_lookup",
	"SELECT id::text, status = 'active' FROM educators WHERE district_id = $1 AND $2 = 'email' AND lower(email) = $3"
	" UNION ALL SELECT id::text, status = 'active' FROM educators WHERE district_id = $1 AND $2 = 'sourced_id'"
	" AND sourced_id = $3"
	" UNION ALL SELECT id::text, status = 'active' FROM educators WHERE district_id = $1 AND $2 = 'username'"
	" AND username = $3"
	" UNION ALL SELECT id::text, status = 'active' FROM educators WHERE district_id = $1"
	" AND $2 = 'user_master_identifier' AND user_master_identifier = $3 LIMIT 2",
	3};
