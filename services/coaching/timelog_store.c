/* timelog_store.c - coaching time logs and the caseload in PostgreSQL. */
#include "services/coaching/coaching_store.h"
#include "services/coaching/reasons.h"
#include "services/coaching/timelog.h"

/* The relationship of a time log: its parties, status and span (text dates compare as dates). */
#define RELATIONSHIP_STATE                                                                    \
	"json_build_object('coach_id', coach_id, 'teacher_id', teacher_id, 'status', status," \
	" 'starts_on', to_char(starts_on, 'YYYY-MM-DD'), 'ends_on', to_char(ends_on, 'YYYY-MM-DD'))::text"

/* A time log is written under a share lock of its relationship: an end and a log do not cross. */
static const struct hg_stmt relationship_lock_stmt = {
	"coaching_time_log_relationship_lock",
	"SELECT " RELATIONSHIP_STATE " FROM relationships WHERE district_id = $1 AND id = $2 FOR SHARE", 2};

static const struct hg_stmt relationship_stmt = {
	"coaching_time_log_relationship",
	"SELECT " RELATIONSHIP_STATE " FROM relationships WHERE district_id = $1 AND id = $2", 2};

static const struct hg_stmt insert_stmt = {
	"coaching_time_log_insert",
	"INSERT INTO time_logs (district_id, created_by, relationship_id, coach_id, teacher_id, activity, minutes,"
	" logged_on)"
	" SELECT $1, $2, r.id, r.coach_id, r.teacher_id, d->>'activity', (d->>'minutes')::int, (d->>'logged_on')::date"
	" FROM relationships r, (SELECT $3::jsonb AS d) AS input WHERE r.district_id = $1 AND r.id = $4"
	" RETURNING time_log_json(time_logs)::text",
	4};

/* Newest first; $5 the relationship. */
static const struct hg_stmt page_stmt = {
	"coaching_time_log_page",
	"SELECT time_log_json(t)::text, (extract(epoch FROM t.created_at) * 1000000)::bigint, t.id"
	" FROM time_logs t WHERE t.district_id = $1 AND t.relationship_id = $5::uuid"
	" AND ($4::uuid IS NULL OR (t.created_at, t.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" ORDER BY t.created_at DESC, t.id DESC LIMIT $2",
	5};

/* The date lies within the relationship (a 422 naming logged_on otherwise). */
static enum hg_status check_within(struct hg_db_conn *conn, struct hg_record_call *call)
{
	(void)conn;
	if (time_log_within(call->state, call->fields))
		return HG_OK;
	return hg_record_refuse_field(call, COACHING_REFUSE(R_TIME_LOG_OUTSIDE), "logged_on");
}

const struct hg_entity time_log_entity = {
	.name = "time log",
	.parent_name = "relationship",
	.insert = &insert_stmt,
	.page = &page_stmt,
	.parent = &relationship_stmt,
	.parent_lock = &relationship_lock_stmt,
	.created = "time.logged",
	.create_rule = time_log_rule_create,
	.parent_rule = time_log_rule_parent,
	.check_create = check_within,
};

/* Open cycles, the last contact and the minutes this month (UTC) of each row of a caseload page, as f: each an
 * index lookup (cycles_open or cycles_open_by_coach; time_logs_contact or time_logs_by_coach, minutes included;
 * observations_contact or observations_by_coach; feedback_by_cycle or feedback_by_coach). The last contact is
 * the latest of a time log's date, an observation's and a feedback's (UTC dates).
 * cycle, log, obs: the condition naming the row's cycles (alias c), time logs (t) and observations (o);
 * fb: a subquery of the latest created_at of the row's feedback. */
#define CASELOAD_FIGURES(cycle, log, obs, fb)                                                        \
	" CROSS JOIN LATERAL (SELECT"                                                                \
	" (SELECT count(*) FROM cycles c WHERE c.district_id = $1 AND " cycle                        \
	" AND c.status NOT IN ('completed', 'cancelled')) AS open_cycles,"                           \
	" greatest((SELECT max(t.logged_on) FROM time_logs t WHERE t.district_id = $1 AND " log ")," \
	" ((SELECT max(o.observed_at) FROM observations o WHERE o.district_id = $1 AND " obs ")"     \
	" AT TIME ZONE 'UTC')::date, ((" fb ") AT TIME ZONE 'UTC')::date) AS last_contact,"          \
	" (SELECT coalesce(sum(t.minutes), 0) FROM time_logs t WHERE t.district_id = $1 AND " log    \
	" AND t.logged_on >= month_start()) AS minutes) AS f"

/* The latest feedback of a relationship, through its cycles. */
#define RELATIONSHIP_FEEDBACK                                                              \
	"SELECT max(fb.created_at) FROM cycles rc JOIN feedback fb ON fb.district_id = $1" \
	" AND fb.cycle_id = rc.id WHERE rc.district_id = $1 AND rc.relationship_id = r.id"

/* The latest feedback of a coach. */
#define COACH_FEEDBACK \
	"SELECT max(fb.created_at) FROM feedback fb WHERE fb.district_id = $1 AND fb.coach_id = k.coach_id"

/* One row per active relationship, newest first; $5 the coach (NULL: every coach of the district). */
static const struct hg_stmt caseload_page_stmt = {
	"coaching_caseload_page",
	"SELECT json_build_object('relationship_id', r.id, 'coach_id', r.coach_id, 'teacher_id', r.teacher_id,"
	" 'given_name', e.given_name, 'family_name', e.family_name, 'kind', r.kind,"
	" 'starts_on', to_char(r.starts_on, 'YYYY-MM-DD'), 'open_cycles', f.open_cycles,"
	" 'last_contact_on', to_char(f.last_contact, 'YYYY-MM-DD'), 'minutes_this_month', f.minutes)::text,"
	" (extract(epoch FROM r.created_at) * 1000000)::bigint, r.id"
	" FROM (SELECT * FROM relationships r WHERE r.district_id = $1 AND r.status = 'active'"
	" AND ($4::uuid IS NULL OR (r.created_at, r.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" AND ($5::uuid IS NULL OR r.coach_id = $5::uuid)"
	" ORDER BY r.created_at DESC, r.id DESC LIMIT $2) AS r"
	" LEFT JOIN roster_educators e ON e.district_id = $1 AND e.educator_id = r.teacher_id" CASELOAD_FIGURES(
		"c.relationship_id = r.id", "t.relationship_id = r.id", "o.relationship_id = r.id",
		RELATIONSHIP_FEEDBACK) " ORDER BY r.created_at DESC, r.id DESC",
	5};

const struct hg_entity caseload_entity = {
	.name = "caseload",
	.page = &caseload_page_stmt,
};

/* One row per coach with an active relationship, by coach id; $5 the coach (NULL: every coach). The key is
 * always 0: the coach id alone orders the pages. */
static const struct hg_stmt coach_page_stmt = {
	"coaching_coach_caseload_page",
	"SELECT json_build_object('coach_id', k.coach_id, 'teachers', k.teachers, 'active_relationships', k.n,"
	" 'open_cycles', f.open_cycles, 'last_contact_on', to_char(f.last_contact, 'YYYY-MM-DD'),"
	" 'minutes_this_month', f.minutes)::text, 0::bigint, k.coach_id"
	" FROM (SELECT r.coach_id, count(DISTINCT r.teacher_id) AS teachers, count(*) AS n FROM relationships r"
	" WHERE r.district_id = $1 AND r.status = 'active'"
	" AND ($4::uuid IS NULL OR (0::bigint, r.coach_id) < ($3::bigint, $4::uuid))"
	" AND ($5::uuid IS NULL OR r.coach_id = $5::uuid)"
	" GROUP BY r.coach_id ORDER BY r.coach_id DESC LIMIT $2) AS k" CASELOAD_FIGURES(
		"c.coach_id = k.coach_id", "t.coach_id = k.coach_id", "o.coach_id = k.coach_id",
		COACH_FEEDBACK) " ORDER BY k.coach_id DESC",
	5};

const struct hg_entity coach_caseload_entity = {
	.name = "caseload",
	.page = &coach_page_stmt,
};
