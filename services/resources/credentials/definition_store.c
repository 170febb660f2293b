/* definition_store.c - micro-credential definitions in PostgreSQL: the entity the CRUD kit runs. */
#include "common/db.h"
#include "services/resources/catalog/roster_model_store.h"
#include "services/resources/credentials/credentials_store.h"
#include "services/resources/reasons.h"

static const struct hg_stmt insert_stmt = {
	"credential_definition_insert",
	"INSERT INTO credential_definitions (district_id, created_by, competency_id, name, description, criteria,"
	" evidence_required, credit_type, credits, reviewer_ids)"
	" SELECT $1, $2, (d->>'competency_id')::uuid, d->>'name', d->>'description', d->'criteria',"
	" ARRAY(SELECT jsonb_array_elements_text(d->'evidence_required')), d->>'credit_type',"
	" (d->>'credits')::numeric, ARRAY(SELECT jsonb_array_elements_text(d->'reviewer_ids'))::uuid[]"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING credential_definition_json(credential_definitions)::text",
	3};

static const struct hg_stmt get_stmt = {"credential_definition_get",
					"SELECT credential_definition_json(d)::text FROM credential_definitions d"
					" WHERE d.district_id = $1 AND d.id = $2",
					2};

/* Newest first; $5 the competency, $6 the status, $7 a reviewer (each when not NULL). */
static const struct hg_stmt page_stmt = {
	"credential_definition_page",
	"SELECT credential_definition_json(d)::text, (extract(epoch FROM d.created_at) * 1000000)::bigint, d.id"
	" FROM credential_definitions d WHERE d.district_id = $1"
	" AND (d.created_at, d.id) < (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" AND ($5::uuid IS NULL OR d.competency_id = $5::uuid) AND ($6::text IS NULL OR d.status = $6::text)"
	" AND ($7::uuid IS NULL OR $7::uuid = ANY (d.reviewer_ids))"
	" ORDER BY d.created_at DESC, d.id DESC LIMIT $2",
	7};

static const struct hg_stmt lock_stmt = {"credential_definition_lock",
					 "SELECT version, '{}' FROM credential_definitions"
					 " WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
					 2};

static const struct hg_stmt update_stmt = {
	"credential_definition_update",
	"UPDATE credential_definitions SET"
	" name = CASE WHEN d ? 'name' THEN d->>'name' ELSE name END,"
	" description = CASE WHEN d ? 'description' THEN d->>'description' ELSE description END,"
	" criteria = CASE WHEN d ? 'criteria' THEN d->'criteria' ELSE criteria END,"
	" evidence_required = CASE WHEN d ? 'evidence_required'"
	" THEN ARRAY(SELECT jsonb_array_elements_text(d->'evidence_required')) ELSE evidence_required END,"
	" credit_type = CASE WHEN d ? 'credit_type' THEN d->>'credit_type' ELSE credit_type END,"
	" credits = CASE WHEN d ? 'credits' THEN (d->>'credits')::numeric ELSE credits END,"
	" reviewer_ids = CASE WHEN d ? 'reviewer_ids'"
	" THEN ARRAY(SELECT jsonb_array_elements_text(d->'reviewer_ids'))::uuid[] ELSE reviewer_ids END,"
	" status = CASE WHEN d ? 'status' THEN d->>'status' ELSE status END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING credential_definition_json(credential_definitions)::text",
	3};

/* The competency must be the district's (locked FOR SHARE until the commit). */
static const struct hg_stmt competency_stmt = {
	"credential_definition_competency",
	"SELECT 1 FROM credential_competencies WHERE district_id = $1 AND id = $2::uuid FOR SHARE", 2};

/* Reviewers, when named, are active educators of the district's roster. */
static enum hg_status check_reviewers(struct hg_db_conn *conn, struct hg_record_call *call)
{
	json_t *ids = json_object_get(call->fields, "reviewer_ids");
	return ids == NULL ? HG_OK : roster_model_store_require_active(conn, call, ids, "reviewer_ids", 1);
}

static enum hg_status check_create(struct hg_db_conn *conn, struct hg_record_call *call)
{
	PGresult *res = NULL;
	const char *params[2] = {call->who->district_id,
				 json_string_value(json_object_get(call->fields, "competency_id"))};
	enum hg_status st = hg_db_exec(conn, &competency_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = hg_record_refuse_field(call, RESOURCES_REFUSE(R_COMPETENCY_UNKNOWN), "competency_id");
	PQclear(res);
	return st == HG_OK ? check_reviewers(conn, call) : st;
}

const struct hg_entity definition_entity = {
	.name = "micro-credential definition",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.created = "microcredential.defined",
	.updated = "microcredential.updated",
	.check_create = check_create,
	.check_update = check_reviewers,
};
