/* activity_store.c - PD activities in PostgreSQL: the entity the CRUD kit runs. */
#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/proposal.h"
#include "services/resources/catalog/roster_model_store.h"

/* The normalised fields travel as one jsonb parameter ($3 / d); a draft of the PD office, or a proposal of $2. */
#define ACTIVITY_INSERT_SQL(status, proposer)                                                                         \
	"INSERT INTO catalog_activities (district_id, created_by, title, description, objectives, topics, type,"      \
	" credit_type, credits, level, audience_type, target_audience, delivery_method, instructional_delivery_mode," \
	" funding_source, cost, completion_rule, completion_min_sessions, clock_hours, requires_approval, status,"    \
	" proposed_by)"                                                                                               \
	" SELECT $1, $2, d->>'title', coalesce(d->>'description', ''),"                                               \
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'objectives', '[]'))),"                                  \
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'topics', '[]'))), d->>'type', d->>'credit_type',"       \
	" (d->>'credits')::numeric, d->>'level', d->>'audience_type',"                                                \
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'target_audience', '[]'))), d->>'delivery_method',"      \
	" d->>'instructional_delivery_mode', d->>'funding_source', (d->>'cost')::numeric,"                            \
	" coalesce(d->>'completion_rule', 'all_sessions'), (d->>'completion_min_sessions')::integer,"                 \
	" (d->>'clock_hours')::numeric, coalesce((d->>'requires_approval')::boolean, false), " status ", " proposer   \
	" FROM (SELECT $3::jsonb AS d) AS input"                                                                      \
	" RETURNING catalog_activity_json(catalog_activities)::text"

static const struct hg_stmt insert_stmt = {"catalog_activity_insert", ACTIVITY_INSERT_SQL("'draft'", "NULL::uuid"), 3};
static const struct hg_stmt propose_stmt = {"catalog_activity_propose", ACTIVITY_INSERT_SQL("'proposed'", "$2"), 3};

static const struct hg_stmt get_stmt = {
	"catalog_activity_get",
	"SELECT catalog_activity_json(a)::text FROM catalog_activities a WHERE a.district_id = $1 AND a.id = $2", 2};

/* Newest first; $5 the statuses who may see (a text[] literal). */
static const struct hg_stmt page_stmt = {
	"catalog_activity_page",
	"SELECT catalog_activity_json(a)::text, (extract(epoch FROM a.created_at) * 1000000)::bigint, a.id"
	" FROM catalog_activities a WHERE a.district_id = $1"
	" AND (a.created_at, a.id) < (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" AND a.status = ANY ($5::text[])"
	" ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
	5};

static const struct hg_stmt lock_stmt = {
	"catalog_activity_lock_version",
	"SELECT version, json_build_object('status', status)::text FROM catalog_activities"
	" WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

/* A key present in d replaces the column; status moves stamp published_at / archived_at once. */
static const struct hg_stmt update_stmt = {
	"catalog_activity_update",
	"UPDATE catalog_activities SET"
	" title = CASE WHEN d ? 'title' THEN d->>'title' ELSE title END,"
	" description = CASE WHEN d ? 'description' THEN d->>'description' ELSE description END,"
	" objectives = CASE WHEN d ? 'objectives' THEN ARRAY(SELECT jsonb_array_elements_text(d->'objectives'))"
	" ELSE objectives END,"
	" topics = CASE WHEN d ? 'topics' THEN ARRAY(SELECT jsonb_array_elements_text(d->'topics')) ELSE topics END,"
	" type = CASE WHEN d ? 'type' THEN d->>'type' ELSE type END,"
	" credit_type = CASE WHEN d ? 'credit_type' THEN d->>'credit_type' ELSE credit_type END,"
	" credits = CASE WHEN d ? 'credits' THEN (d->>'credits')::numeric ELSE credits END,"
	" level = CASE WHEN d ? 'level' THEN d->>'level' ELSE level END,"
	" audience_type = CASE WHEN d ? 'audience_type' THEN d->>'audience_type' ELSE audience_type END,"
	" target_audience = CASE WHEN d ? 'target_audience'"
	" THEN ARRAY(SELECT jsonb_array_elements_text(d->'target_audience')) ELSE target_audience END,"
	" delivery_method = CASE WHEN d ? 'delivery_method' THEN d->>'delivery_method' ELSE delivery_method END,"
	" instructional_delivery_mode = CASE WHEN d ? 'instructional_delivery_mode'"
	" THEN d->>'instructional_delivery_mode' ELSE instructional_delivery_mode END,"
	" funding_source = CASE WHEN d ? 'funding_source' THEN d->>'funding_source' ELSE funding_source END,"
	" cost = CASE WHEN d ? 'cost' THEN (d->>'cost')::numeric ELSE cost END,"
	" clock_hours = CASE WHEN d ? 'clock_hours' THEN (d->>'clock_hours')::numeric ELSE clock_hours END,"
	" requires_approval = coalesce((d->>'requires_approval')::boolean, requires_approval),"
	" completion_rule = CASE WHEN d ? 'completion_rule' THEN d->>'completion_rule' ELSE completion_rule END,"
	" completion_min_sessions = CASE WHEN d ? 'completion_rule' THEN (d->>'completion_min_sessions')::integer"
	" ELSE completion_min_sessions END,"
	" status = CASE WHEN d ? 'status' THEN d->>'status' ELSE status END,"
	" published_at = CASE WHEN d->>'status' = 'published' AND status <> 'published' THEN clock_timestamp()"
	" ELSE published_at END,"
	" archived_at = CASE WHEN d->>'status' = 'archived' AND status <> 'archived' THEN clock_timestamp()"
	" ELSE archived_at END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input"
	" WHERE district_id = $1 AND id = $2"
	" RETURNING catalog_activity_json(catalog_activities)::text",
	3};

/* ---- proposals (proposal.h) ---- */

/* Newest first; $5 the proposer (NULL: every proposer), $6 the status (NULL: any). */
static const struct hg_stmt proposal_page_stmt = {
	"catalog_proposal_page",
	"SELECT catalog_activity_json(a)::text, (extract(epoch FROM a.created_at) * 1000000)::bigint, a.id"
	" FROM catalog_activities a WHERE a.district_id = $1 AND a.proposed_by IS NOT NULL"
	" AND (a.created_at, a.id) < (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" AND ($5::uuid IS NULL OR a.proposed_by = $5::uuid) AND ($6::text IS NULL OR a.status = $6::text)"
	" ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
	6};

static const struct hg_stmt proposal_lock_stmt = {
	"catalog_proposal_lock",
	"SELECT version, json_build_object('status', status, 'proposed_by', proposed_by)::text"
	" FROM catalog_activities WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

/* The decision ({"status", "decision_reason"}) by $4. */
static const struct hg_stmt decide_stmt = {
	"catalog_proposal_decide",
	"UPDATE catalog_activities SET status = d->>'status', decision_reason = d->>'decision_reason',"
	" decided_by = $4, decided_at = clock_timestamp(), updated_at = clock_timestamp(), version = version + 1"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING catalog_activity_json(catalog_activities)::text",
	4};

/* The proposer will facilitate its sessions: an active educator of the district's roster. */
static enum hg_status check_proposer(struct hg_db_conn *conn, struct hg_record_call *call)
{
	json_t *ids = json_pack("[s]", call->who->sub);
	enum hg_status st = roster_model_store_require_active(conn, call, ids, "proposed_by", 0);
	json_decref(ids);
	return st;
}

const struct hg_entity proposal_entity = {
	.name = "activity",
	.insert = &propose_stmt,
	.get = &get_stmt,
	.page = &proposal_page_stmt,
	.lock = &proposal_lock_stmt,
	.update = &decide_stmt,
	.created = "activity.proposed",
	.event_type = proposal_event_type,
	.change_rule = proposal_rule_decide,
	.read_rule = activity_rule_read,
	.check_create = check_proposer,
};

const struct hg_entity activity_entity = {
	.name = "activity",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.created = "activity.created",
	.updated = "activity.updated",
	.event_type = activity_event_type,
	.change_rule = activity_rule_change,
	.read_rule = activity_rule_read,
};
