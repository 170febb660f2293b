/* plc_store.c - PLCs and their meetings in PostgreSQL. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "services/coaching/coaching_store.h"
#include "services/coaching/plc.h"
#include "services/coaching/reasons.h"

#define PLC_STATE                                                                         \
	"json_build_object('member_ids', member_ids, 'facilitator_ids', facilitator_ids," \
	" 'share_notes', share_notes)::text"

static const struct hg_stmt insert_stmt = {
	"coaching_plc_insert",
	"INSERT INTO plcs (district_id, created_by, name, scope, school_ids, members, norms, goals, share_notes)"
	" SELECT $1, $2, d->>'name', d->>'scope', ARRAY(SELECT jsonb_array_elements_text(d->'school_ids'))::uuid[],"
	" d->'members', d->'norms', d->'goals', (d->>'share_notes')::boolean"
	" FROM (SELECT $3::jsonb AS d) AS input RETURNING plc_json(plcs)::text",
	3};

static const struct hg_stmt get_stmt = {
	"coaching_plc_get", "SELECT plc_json(p)::text FROM plcs p WHERE p.district_id = $1 AND p.id = $2", 2};

/* Newest first; $5 a school, $6 the member every row includes (NULL for leaders and admins). */
static const struct hg_stmt page_stmt = {
	"coaching_plc_page",
	"SELECT plc_json(p)::text, (extract(epoch FROM p.created_at) * 1000000)::bigint, p.id"
	" FROM plcs p WHERE p.district_id = $1"
	" AND ($4::uuid IS NULL OR (p.created_at, p.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" AND ($5::uuid IS NULL OR $5::uuid = ANY (p.school_ids))"
	" AND ($6::uuid IS NULL OR $6::uuid = ANY (p.member_ids))"
	" ORDER BY p.created_at DESC, p.id DESC LIMIT $2",
	6};

/* The state: who facilitates and is a member, and the stored fields (a change to the same values writes nothing). */
static const struct hg_stmt lock_stmt = {
	"coaching_plc_lock",
	"SELECT version, json_build_object('member_ids', member_ids, 'facilitator_ids', facilitator_ids,"
	" 'share_notes', share_notes, 'name', name, 'scope', scope, 'school_ids', school_ids, 'members', members,"
	" 'norms', norms, 'goals', goals)::text FROM plcs WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

static const struct hg_stmt update_stmt = {
	"coaching_plc_update",
	"UPDATE plcs SET name = coalesce(d->>'name', name), scope = coalesce(d->>'scope', scope),"
	" school_ids = CASE WHEN d ? 'school_ids'"
	" THEN ARRAY(SELECT jsonb_array_elements_text(d->'school_ids'))::uuid[] ELSE school_ids END,"
	" members = coalesce(d->'members', members), norms = coalesce(d->'norms', norms),"
	" goals = coalesce(d->'goals', goals), share_notes = coalesce((d->>'share_notes')::boolean, share_notes),"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2 RETURNING plc_json(plcs)::text",
	3};

/* The members of the district's roster read model who are active, of the ids given. */
static const struct hg_stmt active_stmt = {
	"coaching_plc_active_educators",
	"SELECT educator_id::text FROM roster_educators WHERE district_id = $1 AND educator_id = ANY ($2::uuid[])"
	" AND status = 'active' FOR SHARE",
	2};

/* Every member is an active educator of the district (the roster read model); a 422 naming the first other. */
static enum hg_status check_members(struct hg_db_conn *conn, struct hg_record_call *call)
{
	json_t *ids, *id;
	PGresult *res = NULL;
	size_t i;
	long bad = -1;
	char field[48];

	if (json_object_get(call->fields, "members") == NULL)
		return HG_OK;
	ids = plc_member_ids(call->fields);
	char *lit = hg_db_uuid_array(ids);
	const char *params[2] = {call->who->district_id, lit};
	enum hg_status st = hg_db_exec(conn, &active_stmt, params, &res);
	free(lit);
	if (st == HG_OK)
		json_array_foreach(ids, i, id) {
			int found = 0;
			for (int r = 0; r < PQntuples(res) && !found; r++)
				found = strcasecmp(PQgetvalue(res, r, 0), json_string_value(id)) == 0;
			if (!found) {
				bad = (long)i;
				break;
			}
		}
	PQclear(res);
	json_decref(ids);
	if (st != HG_OK || bad < 0)
		return st;
	snprintf(field, sizeof(field), "members[%ld].educator_id", bad);
	return hg_record_refuse_field(call, COACHING_REFUSE(R_PLC_MEMBER_NOT_ON_ROSTER), field);
}

const struct hg_entity plc_entity = {
	.name = "plc",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.created = "plc.created",
	.updated = "plc.updated",
	.event_data = plc_event_data,
	.read_rule = plc_rule_read,
	.change_rule = plc_rule_change,
	.check_create = check_members,
	.check_update = check_members,
};

/* A meeting is recorded under a share lock of its PLC: a membership change and a meeting do not cross. */
static const struct hg_stmt plc_lock_stmt = {
	"coaching_plc_meeting_plc_lock", "SELECT " PLC_STATE " FROM plcs WHERE district_id = $1 AND id = $2 FOR SHARE",
	2};

static const struct hg_stmt plc_stmt = {"coaching_plc_meeting_plc",
					"SELECT " PLC_STATE " FROM plcs WHERE district_id = $1 AND id = $2", 2};

/* The author is a facilitator: the answer shows the agenda and notes. */
static const struct hg_stmt meeting_insert_stmt = {
	"coaching_plc_meeting_insert",
	"INSERT INTO plc_meetings (district_id, created_by, plc_id, held_on, minutes, agenda, notes, attendance,"
	" activity_id)"
	" SELECT $1, $2, $4::uuid, (d->>'held_on')::date, (d->>'minutes')::int, d->>'agenda', d->>'notes',"
	" ARRAY(SELECT jsonb_array_elements_text(d->'attendance'))::uuid[], (d->>'activity_id')::uuid"
	" FROM (SELECT $3::jsonb AS d) AS input RETURNING plc_meeting_json(plc_meetings, true)::text",
	4};

/* Newest first; $5 the PLC, $6 the reader: the agenda and notes show to its members, or to all when shared. */
static const struct hg_stmt meeting_page_stmt = {
	"coaching_plc_meeting_page",
	"SELECT plc_meeting_json(m, p.share_notes OR $6::uuid = ANY (p.member_ids))::text,"
	" (extract(epoch FROM m.created_at) * 1000000)::bigint, m.id"
	" FROM plc_meetings m JOIN plcs p ON p.district_id = m.district_id AND p.id = m.plc_id"
	" WHERE m.district_id = $1 AND m.plc_id = $5::uuid"
	" AND ($4::uuid IS NULL OR (m.created_at, m.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" ORDER BY m.created_at DESC, m.id DESC LIMIT $2",
	6};

/* Attendance names members of the PLC only (a 422 naming the first other). */
static enum hg_status check_attendance(struct hg_db_conn *conn, struct hg_record_call *call)
{
	char field[32];
	(void)conn;
	long bad = plc_meeting_first_stranger(call->state, call->fields);
	if (bad < 0)
		return HG_OK;
	snprintf(field, sizeof(field), "attendance[%ld]", bad);
	return hg_record_refuse_field(call, COACHING_REFUSE(R_PLC_ATTENDEE_NOT_MEMBER), field);
}

/* Attendance of members only, then the activity one of the district's catalog. */
static enum hg_status check_meeting(struct hg_db_conn *conn, struct hg_record_call *call)
{
	enum hg_status st = check_attendance(conn, call);
	return st == HG_OK ? activity_model_check(conn, call) : st;
}

const struct hg_entity plc_meeting_entity = {
	.name = "meeting",
	.parent_name = "plc",
	.insert = &meeting_insert_stmt,
	.page = &meeting_page_stmt,
	.parent = &plc_stmt,
	.parent_lock = &plc_lock_stmt,
	.created = "plc.meeting_held",
	.event_data = plc_meeting_event_data,
	.create_rule = plc_meeting_rule_create,
	.parent_rule = plc_meeting_rule_parent,
	.check_create = check_meeting,
};

/* One meeting of the PLC $3; $4 the reader: the agenda and notes show to the PLC's members, or to all when shared.
 * The state: the PLC's members, for the read rule. */
static const struct hg_stmt meeting_get_stmt = {
	"coaching_plc_meeting_get",
	"SELECT plc_meeting_json(m, p.share_notes OR $4::uuid = ANY (p.member_ids))::text,"
	" json_build_object('member_ids', p.member_ids)::text"
	" FROM plc_meetings m JOIN plcs p ON p.district_id = m.district_id AND p.id = m.plc_id"
	" WHERE m.district_id = $1 AND m.id = $2 AND m.plc_id = $3::uuid",
	4};

/* The meeting locked with its PLC share-locked (a membership change and a meeting's change do not cross); the
 * state: who facilitates and is a member, and the meeting's stored fields (the same values write nothing). */
static const struct hg_stmt meeting_lock_stmt = {
	"coaching_plc_meeting_lock",
	"SELECT m.version, json_build_object('member_ids', p.member_ids, 'facilitator_ids', p.facilitator_ids,"
	" 'held_on', to_char(m.held_on, 'YYYY-MM-DD'), 'minutes', m.minutes, 'agenda', m.agenda, 'notes', m.notes,"
	" 'attendance', m.attendance, 'activity_id', m.activity_id)::text"
	" FROM plc_meetings m JOIN plcs p ON p.district_id = m.district_id AND p.id = m.plc_id"
	" WHERE m.district_id = $1 AND m.id = $2 AND m.plc_id = $3::uuid FOR NO KEY UPDATE OF m FOR SHARE OF p",
	3};

/* The author is a facilitator: the answer shows the agenda and notes. */
static const struct hg_stmt meeting_update_stmt = {
	"coaching_plc_meeting_update",
	"UPDATE plc_meetings SET held_on = coalesce((d->>'held_on')::date, held_on),"
	" minutes = coalesce((d->>'minutes')::int, minutes), agenda = coalesce(d->>'agenda', agenda),"
	" notes = coalesce(d->>'notes', notes), attendance = CASE WHEN d ? 'attendance'"
	" THEN ARRAY(SELECT jsonb_array_elements_text(d->'attendance'))::uuid[] ELSE attendance END,"
	" activity_id = CASE WHEN d ? 'activity_id' THEN (d->>'activity_id')::uuid ELSE activity_id END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING plc_meeting_json(plc_meetings, true)::text",
	3};

const struct hg_entity plc_meeting_item_entity = {
	.name = "meeting",
	.parent_name = "plc",
	.get = &meeting_get_stmt,
	.lock = &meeting_lock_stmt,
	.update = &meeting_update_stmt,
	.updated = "plc.meeting_updated",
	.event_data = plc_meeting_event_data,
	.read_rule = plc_meeting_rule_parent,
	.change_rule = plc_meeting_rule_change,
	.check_update = check_meeting,
};
