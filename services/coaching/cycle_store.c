/* cycle_store.c - coaching cycles in PostgreSQL. */
#include "services/coaching/coaching_store.h"
#include "services/coaching/cycle.h"

/* A cycle starts under a share lock of its relationship: ending the relationship waits for it, and sees it. */
static const struct hg_stmt relationship_lock_stmt = {
	"coaching_cycle_relationship_lock",
	"SELECT json_build_object('coach_id', coach_id, 'teacher_id', teacher_id, 'status', status)::text"
	" FROM relationships WHERE district_id = $1 AND id = $2 FOR SHARE",
	2};

static const struct hg_stmt insert_stmt = {
	"coaching_cycle_insert",
	"INSERT INTO cycles (district_id, created_by, relationship_id, coach_id, teacher_id, focus, goal, action_steps)"
	" SELECT $1, $2, r.id, r.coach_id, r.teacher_id, d->>'focus', d->'goal', d->'action_steps'"
	" FROM relationships r, (SELECT $3::jsonb AS d) AS input WHERE r.district_id = $1 AND r.id = $4"
	" RETURNING cycle_json(cycles)::text",
	4};

static const struct hg_stmt get_stmt = {
	"coaching_cycle_get", "SELECT cycle_json(c)::text FROM cycles c WHERE c.district_id = $1 AND c.id = $2", 2};

/* Newest first; $5 relationship, $6 status, $7 coach, $8 teacher filters and $9 the party every row includes. */
static const struct hg_stmt page_stmt = {
	"coaching_cycle_page",
	"SELECT cycle_json(c)::text, (extract(epoch FROM c.created_at) * 1000000)::bigint, c.id"
	" FROM cycles c WHERE c.district_id = $1"
	" AND ($4::uuid IS NULL OR (c.created_at, c.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" AND ($5::uuid IS NULL OR c.relationship_id = $5::uuid) AND ($6::text IS NULL OR c.status = $6::text)"
	" AND ($7::uuid IS NULL OR c.coach_id = $7::uuid) AND ($8::uuid IS NULL OR c.teacher_id = $8::uuid)"
	" AND ($9::uuid IS NULL OR c.coach_id = $9::uuid OR c.teacher_id = $9::uuid)"
	" ORDER BY c.created_at DESC, c.id DESC LIMIT $2",
	9};

/* The state: the parties, the status and the content (the same values again write nothing). */
static const struct hg_stmt lock_stmt = {
	"coaching_cycle_lock",
	"SELECT version, json_build_object('coach_id', coach_id, 'teacher_id', teacher_id, 'status', status,"
	" 'focus', focus, 'goal', goal, 'action_steps', action_steps)::text"
	" FROM cycles WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

static const struct hg_stmt update_stmt = {
	"coaching_cycle_update",
	"UPDATE cycles SET focus = coalesce(d->>'focus', focus), goal = coalesce(d->'goal', goal),"
	" action_steps = coalesce(d->'action_steps', action_steps),"
	" state_changed_at = CASE WHEN d->>'status' IS DISTINCT FROM status AND d ? 'status'"
	" THEN clock_timestamp() ELSE state_changed_at END,"
	" closed_at = CASE WHEN d->>'status' IN ('completed', 'cancelled') THEN clock_timestamp() ELSE closed_at END,"
	" goal_met = CASE WHEN d ? 'goal_met' THEN (d->>'goal_met')::boolean ELSE goal_met END,"
	" status = coalesce(d->>'status', status), version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2 RETURNING cycle_json(cycles)::text",
	3};

const struct hg_entity cycle_entity = {
	.name = "cycle",
	.parent_name = "relationship",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.parent_lock = &relationship_lock_stmt,
	.created = "cycle.started",
	.updated = "cycle.updated",
	.event_type = cycle_event_type,
	.event_data = cycle_event_data,
	.create_rule = cycle_rule_create,
	.change_rule = cycle_rule_change,
	.read_rule = cycle_rule_read,
	.shape = cycle_shape,
};
