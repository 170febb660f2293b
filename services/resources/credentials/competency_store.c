/* competency_store.c - a district's competencies in PostgreSQL: the entity the CRUD kit runs. */
#include "services/resources/credentials/credentials_store.h"

static const struct hg_stmt insert_stmt = {
	"credential_competency_insert",
	"INSERT INTO credential_competencies (district_id, created_by, name, description, grp, alignment)"
	" SELECT $1, $2, d->>'name', d->>'description', d->>'group', nullif(d->'alignment', 'null'::jsonb)"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING credential_competency_json(credential_competencies)::text",
	3};

static const struct hg_stmt get_stmt = {"credential_competency_get",
					"SELECT credential_competency_json(c)::text FROM credential_competencies c"
					" WHERE c.district_id = $1 AND c.id = $2",
					2};

/* Newest first; $5 the group filter when not NULL. */
static const struct hg_stmt page_stmt = {
	"credential_competency_page",
	"SELECT credential_competency_json(c)::text, (extract(epoch FROM c.created_at) * 1000000)::bigint, c.id"
	" FROM credential_competencies c WHERE c.district_id = $1"
	" AND (c.created_at, c.id) < (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" AND ($5::text IS NULL OR c.grp = $5::text)"
	" ORDER BY c.created_at DESC, c.id DESC LIMIT $2",
	5};

static const struct hg_stmt lock_stmt = {"credential_competency_lock",
					 "SELECT version, '{}' FROM credential_competencies"
					 " WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
					 2};

/* A key present in d replaces the column (null clears group and alignment). */
static const struct hg_stmt update_stmt = {
	"credential_competency_update",
	"UPDATE credential_competencies SET"
	" name = CASE WHEN d ? 'name' THEN d->>'name' ELSE name END,"
	" description = CASE WHEN d ? 'description' THEN d->>'description' ELSE description END,"
	" grp = CASE WHEN d ? 'group' THEN d->>'group' ELSE grp END,"
	" alignment = CASE WHEN d ? 'alignment' THEN nullif(d->'alignment', 'null'::jsonb) ELSE alignment END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING credential_competency_json(credential_competencies)::text",
	3};

const struct hg_entity competency_entity = {
	.name = "competency",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.created = "competency.created",
	.updated = "competency.updated",
};
