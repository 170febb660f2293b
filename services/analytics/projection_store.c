/* projection_store.c - events into the read models: one statement per kind, in the consumer's transaction.
 * Entities carry a version and change only for a newer one (a stale or replayed event changes nothing); facts
 * (attendance, completions, outside credit) are written once by their key. */
#include <string.h>

#include "common/consumer.h"
#include "services/analytics/analytics_store.h"
#include "services/analytics/projection.h"
#include "services/analytics/recommend_store.h"

static const struct hg_stmt school_stmt = {
	"analytics_school",
	"INSERT INTO schools (district_id, school_id, name, status, locale, title_i, poverty_level, version)"
	" VALUES ($1, $2, $3, $4, $5, $6::boolean, $7, $8)"
	" ON CONFLICT (district_id, school_id) DO UPDATE SET name = excluded.name, status = excluded.status,"
	" locale = excluded.locale, title_i = excluded.title_i, poverty_level = excluded.poverty_level,"
	" version = excluded.version WHERE schools.version < excluded.version",
	8};

/* roles and school ids arrive as JSON arrays ($5, $6); NULL keeps what the row holds. */
static const struct hg_stmt educator_stmt = {
	"analytics_educator",
	"INSERT INTO educators (district_id, educator_id, status, version, roles, school_ids, started_teaching_on)"
	" VALUES ($1, $2, $3, $4, coalesce(ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), '{}'),"
	" coalesce(ARRAY(SELECT jsonb_array_elements_text($6::jsonb))::uuid[], '{}'), $7::date)"
	" ON CONFLICT (district_id, educator_id) DO UPDATE SET status = excluded.status, version = excluded.version,"
	" roles = CASE WHEN $5::jsonb IS NULL THEN educators.roles ELSE excluded.roles END,"
	" school_ids = CASE WHEN $6::jsonb IS NULL THEN educators.school_ids ELSE excluded.school_ids END,"
	" started_teaching_on = excluded.started_teaching_on WHERE educators.version < excluded.version",
	7};

static const struct hg_stmt activity_stmt = {
	"analytics_activity",
	"INSERT INTO activities (district_id, activity_id, title, type, credit_type, credits, delivery_method,"
	" instructional_delivery_mode, status, version) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7, $8, $9, $10)"
	" ON CONFLICT (district_id, activity_id) DO UPDATE SET title = excluded.title, type = excluded.type,"
	" credit_type = excluded.credit_type, credits = excluded.credits,"
	" delivery_method = excluded.delivery_method,"
	" instructional_delivery_mode = excluded.instructional_delivery_mode, status = excluded.status,"
	" version = excluded.version WHERE activities.version < excluded.version",
	10};

static const struct hg_stmt session_stmt = {
	"analytics_session",
	"INSERT INTO sessions (district_id, session_id, activity_id, starts_at, ends_at, status, version)"
	" VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6, $7)"
	" ON CONFLICT (district_id, session_id) DO UPDATE SET starts_at = excluded.starts_at,"
	" ends_at = excluded.ends_at, status = excluded.status, version = excluded.version"
	" WHERE sessions.version < excluded.version",
	7};

static const struct hg_stmt attendance_stmt = {
	"analytics_attendance",
	"INSERT INTO attendance (district_id, session_id, activity_id, educator_id, recorded_at)"
	" VALUES ($1, $2, $3, $4, $5::timestamptz) ON CONFLICT DO NOTHING",
	5};

static const struct hg_stmt completion_stmt = {
	"analytics_completion",
	"INSERT INTO completions (district_id, completion_id, activity_id, educator_id, credit_type, credits,"
	" completed_at) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::timestamptz) ON CONFLICT DO NOTHING",
	7};

static const struct hg_stmt credit_stmt = {
	"analytics_outside_credit",
	"INSERT INTO outside_credits (district_id, request_id, educator_id, hours, end_date)"
	" VALUES ($1, $2, $3, $4::numeric, $5::date) ON CONFLICT DO NOTHING",
	5};

static const struct hg_stmt cycle_stmt = {
	"analytics_cycle",
	"INSERT INTO coaching_cycles (district_id, cycle_id, coach_id, teacher_id, status, goal_met, started_at,"
	" closed_at, version) VALUES ($1, $2, $3, $4, $5, $6::boolean, $7::timestamptz, $8::timestamptz, $9)"
	" ON CONFLICT (district_id, cycle_id) DO UPDATE SET status = excluded.status, goal_met = excluded.goal_met,"
	" closed_at = excluded.closed_at, version = excluded.version WHERE coaching_cycles.version < excluded.version",
	9};

static const struct hg_stmt feedback_stmt = {
	"analytics_feedback",
	"INSERT INTO coaching_feedback (district_id, feedback_id, cycle_id, coach_id, teacher_id,"
	" minutes_since_observation, given_at) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::timestamptz)"
	" ON CONFLICT DO NOTHING",
	7};

static const struct hg_stmt time_log_stmt = {
	"analytics_time_log",
	"INSERT INTO coaching_time (district_id, log_id, coach_id, teacher_id, minutes, logged_on)"
	" VALUES ($1, $2, $3, $4, $5::numeric, $6::date) ON CONFLICT DO NOTHING",
	6};

static const struct hg_stmt survey_stmt = {
	"analytics_survey",
	"INSERT INTO surveys (district_id, survey_id, title, purpose, mode, status, audience_size, opened_at,"
	" closed_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7::integer, $8::timestamptz, $9::timestamptz, $10)"
	" ON CONFLICT (district_id, survey_id) DO UPDATE SET title = excluded.title, purpose = excluded.purpose,"
	" mode = excluded.mode, status = excluded.status, audience_size = excluded.audience_size,"
	" opened_at = excluded.opened_at, closed_at = excluded.closed_at, version = excluded.version"
	" WHERE surveys.version < excluded.version",
	10};

static const struct hg_stmt results_stmt = {
	"analytics_survey_results",
	"INSERT INTO survey_results (district_id, survey_id, closed_at, invited, responded, respondents, satisfaction,"
	" confidence_change, topics) VALUES ($1, $2, $3::timestamptz, $4::integer, $5::integer, $6::integer,"
	" $7::numeric, $8::numeric, $9::jsonb) ON CONFLICT DO NOTHING",
	9};

/* The meeting whole (attendance as a JSON array, $6): a newer version replaces it, attendance and all. */
static const struct hg_stmt plc_meeting_stmt = {
	"analytics_plc_meeting",
	"INSERT INTO plc_meetings (district_id, meeting_id, plc_id, held_on, minutes, attendance, activity_id, version)"
	" VALUES ($1, $2, $3, $4::date, $5::numeric, ARRAY(SELECT jsonb_array_elements_text($6::jsonb))::uuid[],"
	" $7::uuid, $8) ON CONFLICT (district_id, meeting_id) DO UPDATE SET plc_id = excluded.plc_id,"
	" held_on = excluded.held_on, minutes = excluded.minutes, attendance = excluded.attendance,"
	" activity_id = excluded.activity_id, version = excluded.version WHERE plc_meetings.version < excluded.version",
	8};

static const struct hg_stmt *const statements[P_KIND_COUNT] = {
	[P_SCHOOL] = &school_stmt,           [P_EDUCATOR] = &educator_stmt,     [P_ACTIVITY] = &activity_stmt,
	[P_SESSION] = &session_stmt,         [P_ATTENDANCE] = &attendance_stmt, [P_COMPLETION] = &completion_stmt,
	[P_CREDIT] = &credit_stmt,           [P_CYCLE] = &cycle_stmt,           [P_FEEDBACK] = &feedback_stmt,
	[P_TIME_LOG] = &time_log_stmt,       [P_SURVEY] = &survey_stmt,         [P_RESULTS] = &results_stmt,
	[P_PLC_MEETING] = &plc_meeting_stmt,
};

enum hg_status projection_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg)
{
	struct projection p;
	char why[256];
	enum hg_status st;

	(void)arg;
	st = projection_read(topic, event, &p, why, sizeof(why));
	if (st != HG_OK)
		hg_consumer_reject_reason("%s", why);
	else if (p.kind != P_IGNORE)
		st = hg_db_exec(conn, statements[p.kind], p.params, NULL);
	if (st == HG_OK) /* and what recommendations keep of it (recommend_store.c) */
		st = recommend_store_apply(conn, topic, event, p.district_id);
	projection_cleanup(&p);
	return st;
}
