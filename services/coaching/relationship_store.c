/* relationship_store.c - coaching and mentoring relationships in PostgreSQL. */
#include "services/coaching/coaching_store.h"
#include "services/coaching/reasons.h"
#include "services/coaching/relationship.h"

static const struct hg_stmt insert_stmt = {
	"coaching_relationship_insert",
	"INSERT INTO relationships (district_id, created_by, coach_id, teacher_id, kind, starts_on)"
	" SELECT $1, $2, (d->>'coach_id')::uuid, (d->>'teacher_id')::uuid, d->>'kind', (d->>'starts_on')::date"
	" FROM (SELECT $3::jsonb AS d) AS input RETURNING relationship_json(relationships)::text",
	3};

static const struct hg_stmt get_stmt = {
	"coaching_relationship_get",
	"SELECT relationship_json(r)::text FROM relationships r WHERE r.district_id = $1 AND r.id = $2", 2};

/* Newest first; $5 coach, $6 teacher, $7 status filters and $8 the party every row includes, when not NULL. */
static const struct hg_stmt page_stmt = {
	"coaching_relationship_page",
	"SELECT relationship_json(r)::text, (extract(epoch FROM r.created_at) * 1000000)::bigint, r.id"
	" FROM relationships r WHERE r.district_id = $1"
	" AND ($4::uuid IS NULL OR (r.created_at, r.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" AND ($5::uuid IS NULL OR r.coach_id = $5::uuid) AND ($6::uuid IS NULL OR r.teacher_id = $6::uuid)"
	" AND ($7::text IS NULL OR r.status = $7::text)"
	" AND ($8::uuid IS NULL OR r.coach_id = $8::uuid OR r.teacher_id = $8::uuid)"
	" ORDER BY r.created_at DESC, r.id DESC LIMIT $2",
	8};

static const struct hg_stmt lock_stmt = {
	"coaching_relationship_lock",
	"SELECT version, json_build_object('coach_id', coach_id, 'teacher_id', teacher_id, 'kind', kind,"
	" 'status', status, 'starts_on', to_char(starts_on, 'YYYY-MM-DD'))::text"
	" FROM relationships WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

static const struct hg_stmt update_stmt = {"coaching_relationship_update",
					   "UPDATE relationships SET kind = coalesce(d->>'kind', kind),"
					   " ends_on = coalesce((d->>'ends_on')::date, ends_on),"
					   " status = CASE WHEN d ? 'ends_on' THEN 'ended' ELSE status END,"
					   " version = version + 1, updated_at = clock_timestamp()"
					   " FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
					   " RETURNING relationship_json(relationships)::text",
					   3};

/* The end not before the stored start: a 422 naming ends_on (relationship_rule_dates). */
static enum hg_status check_update(struct hg_db_conn *conn, struct hg_record_call *call)
{
	(void)conn;
	const struct hg_reason *why = relationship_rule_dates(call->state, call->fields);
	return why != NULL ? hg_record_refuse_field(call, why, "ends_on") : HG_OK;
}

const struct hg_entity relationship_entity = {
	.name = "relationship",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.created = "relationship.started",
	.updated = "relationship.updated",
	.event_type = relationship_event_type,
	.create_rule = relationship_rule_create,
	.change_rule = relationship_rule_change,
	.read_rule = relationship_rule_read,
	.conflict = COACHING_REFUSE(R_RELATIONSHIP_EXISTS),
	.check_update = check_update,
};
