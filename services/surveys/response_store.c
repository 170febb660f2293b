/* response_store.c - responses in PostgreSQL: one transaction per submission, under the survey row's lock.
 *
 * The lock makes submissions to one survey one at a time: the response count is exact, the mixing bins fill
 * in order, and the questions cannot change under a submission. One response per educator is the primary key
 * of `participants` (a second is a 23505: already_responded), so a retry or a race never counts twice.
 *
 * Anonymous answer sets carry no educator, no time and a random id; each submission rewrites its bin (and the
 * previous full one while its own is not full) in random order with fresh random ids, so the rows last written
 * together -- one transaction id, neighbouring physical places -- are never fewer than RESPONSE_MIX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/outbox.h"
#include "services/surveys/question.h"
#include "services/surveys/reasons.h"
#include "services/surveys/response.h"
#include "services/surveys/surveys_store.h"

/* The survey under its lock, the educator's place in the read model (school of the audience first). */
static const struct hg_stmt lock_stmt = {
	"response_lock_survey",
	"SELECT s.status, s.mode, coalesce((extract(epoch FROM s.opens_at) * 1000000)::bigint, 0),"
	" coalesce((extract(epoch FROM s.closes_at) * 1000000)::bigint, 0), s.questions::text, s.responses,"
	" coalesce(in_audience(e, s.audience), false), sch.school_id, sc.locale, sc.poverty_level, sc.title_i::text,"
	" (SELECT r FROM unnest(ARRAY['teacher', 'coach', 'school_leader', 'district_admin']) AS r"
	" WHERE r = ANY (e.roles) LIMIT 1), career_stage(e.started_teaching_on),"
	" to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'), min_cell($1)"
	" FROM surveys s"
	" LEFT JOIN roster_educators e ON e.district_id = s.district_id AND e.educator_id = $3"
	" LEFT JOIN LATERAL (SELECT x AS school_id FROM unnest(e.school_ids) WITH ORDINALITY AS u (x, i)"
	" WHERE NOT s.audience ? 'schools' OR x::text IN (SELECT jsonb_array_elements_text(s.audience->'schools'))"
	" ORDER BY i LIMIT 1) sch ON true"
	" LEFT JOIN roster_schools sc ON sc.district_id = s.district_id AND sc.school_id = sch.school_id"
	" WHERE s.district_id = $1 AND s.id = $2 FOR NO KEY UPDATE OF s",
	3};

static const struct hg_stmt participant_stmt = {
	"response_participant_insert",
	"INSERT INTO participants (district_id, survey_id, educator_id, responded_on, answers)"
	" VALUES ($1, $2, $3, (now() AT TIME ZONE 'UTC')::date, $4::jsonb)",
	4};

static const struct hg_stmt answers_stmt = {
	"response_answers_insert",
	"INSERT INTO answer_sets (district_id, survey_id, bin, school_id, locale, poverty_level, title_i, role,"
	" career_stage, answers) VALUES ($1, $2, $3, $4, $5, $6, $7::boolean, $8, $9, $10::jsonb)",
	10};

static const struct hg_stmt count_stmt = {
	"response_count", "UPDATE surveys SET responses = responses + 1 WHERE district_id = $1 AND id = $2", 2};

static const struct hg_stmt bins_stmt = {"response_bins",
					 "SELECT id FROM answer_sets WHERE district_id = $1 AND survey_id = $2"
					 " AND bin BETWEEN $3 AND $4 ORDER BY id",
					 4};

static const struct hg_stmt rewrite_stmt = {
	"response_rewrite",
	"UPDATE answer_sets SET id = gen_random_uuid() WHERE district_id = $1 AND survey_id = $2 AND id = $3", 3};

static const struct hg_stmt school_count_stmt = {
	"response_school_count",
	"SELECT count(*) FROM answer_sets WHERE district_id = $1 AND survey_id = $2 AND school_id = $3", 3};

/* A confidential respondent reads their response; an anonymous survey has nothing to read back. */
static const struct hg_stmt mine_stmt = {
	"response_mine",
	"SELECT json_build_object('survey_id', s.id, 'educator_id', p.educator_id,"
	" 'responded_on', to_char(p.responded_on, 'YYYY-MM-DD'), 'answers', p.answers)::text,"
	" json_build_object('mode', s.mode, 'status', s.status)::text"
	" FROM surveys s LEFT JOIN participants p"
	" ON p.district_id = s.district_id AND p.survey_id = s.id AND p.educator_id = $3"
	" WHERE s.district_id = $1 AND s.id = $2",
	3};

const struct hg_entity response_entity = {
	.name = "response",
	.get = &mine_stmt,
	.read_rule = response_rule_read,
};

static char *value_or_null(PGresult *res, int col) { return PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col); }

/* Rewrite the mixing bins of response n in the order of their (random) ids, each with a new random id. */
static enum hg_status mix(struct hg_db_conn *conn, const char *district, const char *survey, long n)
{
	long first, last;
	char lo[24], hi[24];
	PGresult *res = NULL;
	response_bins_to_mix(n, &first, &last);
	snprintf(lo, sizeof(lo), "%ld", first);
	snprintf(hi, sizeof(hi), "%ld", last);
	const char *params[4] = {district, survey, lo, hi};
	enum hg_status st = hg_db_exec(conn, &bins_stmt, params, &res);
	for (int i = 0; st == HG_OK && i < PQntuples(res); i++) {
		const char *one[3] = {district, survey, PQgetvalue(res, i, 0)};
		st = hg_db_exec(conn, &rewrite_stmt, one, NULL);
	}
	PQclear(res);
	return st;
}

struct submit_ctx {
	struct hg_record_call *call;
	const char *survey_id;
	json_t *answers; /* as sent (borrowed) */
	json_t *errs;    /* out: the answers' problems (a 422) */
};

static enum hg_status submit_tx(struct hg_db_conn *conn, void *arg)
{
	struct submit_ctx *c = arg;
	struct hg_record_call *call = c->call;
	const struct hg_principal *who = call->who;
	const char *params[3] = {who->district_id, c->survey_id, who->sub};
	struct response_survey s;
	PGresult *res = NULL, *count = NULL;
	json_t *questions = NULL, *answers = NULL, *data = NULL;
	char *answers_text = NULL;
	char bin[24];
	enum hg_status st;

	hg_record_call_reset(call);
	json_array_clear(c->errs);
	st = hg_db_exec(conn, &lock_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st != HG_OK)
		goto out;
	memset(&s, 0, sizeof(s));
	snprintf(s.status, sizeof(s.status), "%s", PQgetvalue(res, 0, 0));
	snprintf(s.mode, sizeof(s.mode), "%s", PQgetvalue(res, 0, 1));
	s.opens_us = hg_db_int(res, 0, 2);
	s.closes_us = hg_db_int(res, 0, 3);
	s.responses = (long)hg_db_int(res, 0, 5);
	s.in_audience = strcmp(PQgetvalue(res, 0, 6), "t") == 0;
	const struct hg_reason *why = response_rule_submit(who, &s, hg_clock_now_us());
	if (why != NULL) {
		st = hg_record_refuse(call, why);
		goto out;
	}
	questions = hg_db_json(res, 0, 4);
	if (questions == NULL) {
		st = HG_INTERNAL;
		goto out;
	}
	answers = question_validate_answers(questions, c->answers, c->errs);
	if (answers == NULL) {
		st = HG_INVALID;
		goto out;
	}
	int anonymous = strcmp(s.mode, "anonymous") == 0;
	answers_text = json_dumps(answers, JSON_COMPACT);
	const char *p_params[4] = {who->district_id, c->survey_id, who->sub, anonymous ? NULL : answers_text};
	st = hg_db_exec(conn, &participant_stmt, p_params, NULL);
	if (st == HG_CONFLICT)
		call->why = SURVEYS_REFUSE(R_ALREADY_RESPONDED);
	if (st != HG_OK)
		goto out;
	snprintf(bin, sizeof(bin), "%ld", anonymous ? response_bin(s.responses) : 0L);
	const char *school = value_or_null(res, 7);
	const char *a_params[10] = {who->district_id,
				    c->survey_id,
				    bin,
				    school,
				    value_or_null(res, 8),
				    value_or_null(res, 9),
				    value_or_null(res, 10),
				    value_or_null(res, 11),
				    value_or_null(res, 12),
				    answers_text};
	st = hg_db_exec(conn, &answers_stmt, a_params, NULL);
	if (st == HG_OK)
		st = hg_db_exec(conn, &count_stmt, params, NULL);
	if (st == HG_OK && anonymous)
		st = mix(conn, who->district_id, c->survey_id, s.responses);
	long at_school = 0;
	if (st == HG_OK && school != NULL) {
		const char *c_params[3] = {who->district_id, c->survey_id, school};
		st = hg_db_exec(conn, &school_count_stmt, c_params, &count);
		if (st == HG_OK)
			at_school = (long)hg_db_int(count, 0, 0);
	}
	if (st != HG_OK)
		goto out;
	const char *today = PQgetvalue(res, 0, 13);
	data = response_event_data(s.mode, c->survey_id, who->sub, today, school, at_school,
				   (long)hg_db_int(res, 0, 14));
	st = hg_outbox_write(conn, who->district_id, "response.submitted", c->survey_id, data);
	if (st != HG_OK)
		goto out;
	/* What the respondent is answered (and what an Idempotency-Key stores with them): an anonymous
	 * response's answers are not in it. */
	call->record = json_object();
	json_object_set_new(call->record, "survey_id", json_string(c->survey_id));
	json_object_set_new(call->record, "mode", json_string(s.mode));
	json_object_set_new(call->record, "responded_on", json_string(today));
	if (!anonymous)
		json_object_set(call->record, "answers", answers);
	call->changed = 1;
out:
	free(answers_text);
	json_decref(data);
	json_decref(answers);
	json_decref(questions);
	PQclear(count);
	PQclear(res);
	return st;
}

enum hg_status response_store_submit(struct hg_db_pool *pool, struct hg_record_call *call, const char *survey_id,
				     json_t *answers, json_t *errs)
{
	struct submit_ctx c = {call, survey_id, answers, errs};
	return hg_record_tx(pool, call, submit_tx, &c);
}
