/* school_store.c - schools in PostgreSQL: the entity the CRUD kit runs. */
#include "services/roster/roster_store.h"

static const struct hg_stmt get_stmt = {
	"roster_school_get",
	"SELECT school_json(o)::text FROM orgs o WHERE o.district_id = $1 AND o.id = $2 AND o.type = 'school'", 2};

/* In import order; $5 the status filter (NULL: any). seq is unique: the id only orders what seq already does. */
static const struct hg_stmt page_stmt = {
	"roster_school_list",
	"SELECT school_json(o)::text, o.seq, o.id FROM orgs o"
	" WHERE o.district_id = $1 AND o.type = 'school' AND o.seq >= coalesce($3::bigint, 0)"
	" AND (o.seq, o.id) > (coalesce($3::bigint, 0), coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'))"
	" AND ($5::text IS NULL OR o.status = $5) ORDER BY o.seq LIMIT $2",
	5};

static const struct hg_stmt lock_stmt = {
	"roster_school_lock",
	"SELECT version FROM orgs WHERE district_id = $1 AND id = $2 AND type = 'school' FOR UPDATE", 2};

static const struct hg_stmt update_stmt = {
	"roster_school_update",
	"UPDATE orgs SET"
	" locale = CASE WHEN d ? 'locale' THEN d->>'locale' ELSE locale END,"
	" title_i = CASE WHEN d ? 'title_i' THEN (d->>'title_i')::boolean ELSE title_i END,"
	" poverty_level = CASE WHEN d ? 'poverty_level' THEN d->>'poverty_level' ELSE poverty_level END,"
	" enrollment = CASE WHEN d ? 'enrollment' THEN (d->>'enrollment')::integer ELSE enrollment END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING school_json(orgs)::text",
	3};

const struct hg_entity school_entity = {
	.name = "school",
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.updated = "school.upserted",
};
