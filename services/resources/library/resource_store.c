/* resource_store.c - library resources in PostgreSQL. */
#include "services/resources/library/resource_store.h"

#include "services/resources/library/resource.h"

/* The normalised fields travel as one jsonb parameter ($3 / d). */
static const struct hg_stmt insert_stmt = {
	"library_insert",
	"INSERT INTO library_resources (district_id, created_by, title, description, type, url, subjects,"
	" grade_bands, topics, license)"
	" SELECT $1, $2, d->>'title', coalesce(d->>'description', ''), d->>'type', d->>'url',"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'subjects', '[]'))),"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'grade_bands', '[]'))),"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'topics', '[]'))), d->>'license'"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING library_resource_json(library_resources)::text",
	3};

static const struct hg_stmt get_stmt = {"library_get",
					"SELECT library_resource_json(r)::text FROM library_resources r"
					" WHERE r.district_id = $1 AND r.id = $2 AND r.deleted_at IS NULL",
					2};

static const struct hg_stmt lock_stmt = {
	"library_lock",
	"SELECT version, json_build_object('created_by', created_by)::text FROM library_resources"
	" WHERE district_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE",
	2};

static const struct hg_stmt update_stmt = {
	"library_update",
	"UPDATE library_resources SET"
	" title = CASE WHEN d ? 'title' THEN d->>'title' ELSE title END,"
	" description = CASE WHEN d ? 'description' THEN d->>'description' ELSE description END,"
	" type = CASE WHEN d ? 'type' THEN d->>'type' ELSE type END,"
	" url = CASE WHEN d ? 'url' THEN d->>'url' ELSE url END,"
	" license = CASE WHEN d ? 'license' THEN d->>'license' ELSE license END,"
	" subjects = CASE WHEN d ? 'subjects' THEN ARRAY(SELECT jsonb_array_elements_text(d->'subjects'))"
	" ELSE subjects END,"
	" grade_bands = CASE WHEN d ? 'grade_bands' THEN ARRAY(SELECT jsonb_array_elements_text(d->'grade_bands'))"
	" ELSE grade_bands END,"
	" topics = CASE WHEN d ? 'topics' THEN ARRAY(SELECT jsonb_array_elements_text(d->'topics'))"
	" ELSE topics END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" WHERE district_id = $1 AND id = $2"
	" RETURNING library_resource_json(library_resources)::text",
	3};

/* The deleted resource, with when it was deleted, is the event's data. */
static const struct hg_stmt remove_stmt = {
	"library_delete",
	"UPDATE library_resources SET deleted_at = clock_timestamp(), updated_at = clock_timestamp(),"
	" version = version + 1 WHERE district_id = $1 AND id = $2"
	" RETURNING (library_resource_json(library_resources)::jsonb"
	" || jsonb_build_object('deleted_at', rfc3339(deleted_at)))::text",
	2};

const struct hg_entity resource_entity = {
	.name = "resource",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.remove = &remove_stmt,
	.created = "resource.created",
	.updated = "resource.updated",
	.removed = "resource.deleted",
	.change_rule = resource_rule_change,
};
