/* rubric_store.c - district rubrics and their versions in PostgreSQL (a trigger writes each version). */
#include "services/coaching/coaching_store.h"
#include "services/coaching/rubric.h"

static const struct hg_stmt insert_stmt = {
	"coaching_rubric_insert",
	"INSERT INTO rubrics (district_id, created_by, updated_by, name, domains)"
	" SELECT $1, $2, $2, d->>'name', d->'domains' FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING rubric_json(rubrics)::text",
	3};

static const struct hg_stmt get_stmt = {
	"coaching_rubric_get", "SELECT rubric_json(r)::text FROM rubrics r WHERE r.district_id = $1 AND r.id = $2", 2};

static const struct hg_stmt page_stmt = {
	"coaching_rubric_page",
	"SELECT rubric_json(r)::text, (extract(epoch FROM r.created_at) * 1000000)::bigint, r.id"
	" FROM rubrics r WHERE r.district_id = $1"
	" AND ($4::uuid IS NULL OR (r.created_at, r.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" ORDER BY r.created_at DESC, r.id DESC LIMIT $2",
	4};

static const struct hg_stmt lock_stmt = {"coaching_rubric_lock",
					 "SELECT version, json_build_object('name', name, 'domains', domains)::text"
					 " FROM rubrics WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
					 2};

/* A change is a new version: the trigger writes it into rubric_versions, the old ones stay as they were. */
static const struct hg_stmt update_stmt = {
	"coaching_rubric_update",
	"UPDATE rubrics SET name = coalesce(d->>'name', name), domains = coalesce(d->'domains', domains),"
	" updated_by = $4, version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING rubric_json(rubrics)::text",
	4};

const struct hg_entity rubric_entity = {
	.name = "rubric",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.created = "rubric.created",
	.updated = "rubric.versioned",
	.event_data = rubric_event_data,
	.change_rule = rubric_rule_change,
};

/* $3: the version number. */
static const struct hg_stmt version_get_stmt = {
	"coaching_rubric_version_get",
	"SELECT rubric_version_json(v)::text FROM rubric_versions v"
	" WHERE v.district_id = $1 AND v.rubric_id = $2 AND v.version = $3::integer",
	3};

const struct hg_entity rubric_version_entity = {
	.name = "rubric version",
	.get = &version_get_stmt,
};
