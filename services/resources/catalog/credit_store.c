/* credit_store.c - credit requests for outside learning in PostgreSQL: the entity the CRUD kit runs. */
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/credit.h"
#include "services/resources/catalog/roster_model_store.h"

static const struct hg_stmt insert_stmt = {
	"catalog_credit_insert",
	"INSERT INTO catalog_credit_requests (district_id, educator_id, title, provider, description, start_date,"
	" end_date, hours, evidence_url, credit_type, credits)"
	" SELECT $1, $2, d->>'title', d->>'provider', d->>'description', (d->>'start_date')::date,"
	" (d->>'end_date')::date, (d->>'hours')::numeric, d->>'evidence_url', d->>'credit_type',"
	" (d->>'credits')::numeric"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING catalog_credit_request_json(catalog_credit_requests)::text",
	3};

static const struct hg_stmt get_stmt = {"catalog_credit_get",
					"SELECT catalog_credit_request_json(q)::text FROM catalog_credit_requests q"
					" WHERE q.district_id = $1 AND q.id = $2",
					2};

/* Newest first; $5 educator and $6 status filter when not NULL. */
static const struct hg_stmt page_stmt = {
	"catalog_credit_page",
	"SELECT catalog_credit_request_json(q)::text, (extract(epoch FROM q.created_at) * 1000000)::bigint, q.id"
	" FROM catalog_credit_requests q WHERE q.district_id = $1"
	" AND (q.created_at, q.id) < (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" AND ($5::uuid IS NULL OR q.educator_id = $5::uuid) AND ($6::text IS NULL OR q.status = $6::text)"
	" ORDER BY q.created_at DESC, q.id DESC LIMIT $2",
	6};

static const struct hg_stmt lock_stmt = {
	"catalog_credit_lock",
	"SELECT version, json_build_object('educator_id', educator_id, 'status', status)::text"
	" FROM catalog_credit_requests WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

/* The decision ({"status", "reason"}) by $4. */
static const struct hg_stmt decide_stmt = {
	"catalog_credit_decide",
	"UPDATE catalog_credit_requests SET status = d->>'status', reason = d->>'reason', decided_by = $4,"
	" decided_at = clock_timestamp(), updated_at = clock_timestamp(), version = version + 1"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING catalog_credit_request_json(catalog_credit_requests)::text",
	4};

/* The request is the caller's (its educator_id): an active educator of the district's roster. */
static enum hg_status check_requester(struct hg_db_conn *conn, struct hg_record_call *call)
{
	json_t *ids = json_pack("[s]", call->who->sub);
	enum hg_status st = roster_model_store_require_active(conn, call, ids, "educator_id", 0);
	json_decref(ids);
	return st;
}

const struct hg_entity credit_entity = {
	.name = "credit request",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &decide_stmt,
	.created = "credit_request.submitted",
	.updated = "credit_request.decided",
	.check_create = check_requester,
	.change_rule = credit_rule_decide,
	.read_rule = credit_rule_read,
};
