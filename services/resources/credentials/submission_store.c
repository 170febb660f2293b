/* submission_store.c - micro-credential submissions in PostgreSQL: the entities the CRUD kit runs (a
 * submission, and each move of its state machine as an update of its own). */
#include <stdio.h>
#include <string.h>

#include "common/db.h"
#include "services/resources/catalog/roster_model_store.h"
#include "services/resources/credentials/credentials_store.h"
#include "services/resources/credentials/submission.h"
#include "services/resources/reasons.h"

/* One history entry of a submission: what was submitted at an attempt ($3 d: the evidence). */
#define SUBMITTED_ENTRY(attempt)                                                                            \
	"jsonb_build_object('event', 'submitted', 'attempt', " attempt ", 'evidence', d->'evidence', 'at'," \
	" rfc3339(clock_timestamp()))"

static const struct hg_stmt insert_stmt = {
	"credential_submission_insert",
	"INSERT INTO credential_submissions (district_id, educator_id, definition_id, evidence, recipient, history)"
	" SELECT $1, $2, (d->>'definition_id')::uuid, d->'evidence', d->'recipient',"
	" jsonb_build_array(" SUBMITTED_ENTRY(
		"1") ") FROM (SELECT $3::jsonb AS d) AS input"
		     " RETURNING credential_submission_json(credential_submissions)::text",
	3};

/* What the rules need: the submitter, and the definition's reviewers, criteria and evidence kinds. */
#define SUBMISSION_STATE                                                                                      \
	"json_build_object('status', s.status, 'educator_id', s.educator_id, 'reviewer_ids', d.reviewer_ids," \
	" 'criteria', d.criteria, 'evidence_required', d.evidence_required)::text"

static const struct hg_stmt get_stmt = {
	"credential_submission_get",
	"SELECT credential_submission_json(s)::text, " SUBMISSION_STATE " FROM credential_submissions s"
	" JOIN credential_definitions d ON d.id = s.definition_id WHERE s.district_id = $1 AND s.id = $2",
	2};

/* Newest first; $5 one educator's (admins), $6 what the caller submitted or reviews (others), $7 status,
 * $8 definition. */
static const struct hg_stmt page_stmt = {
	"credential_submission_page",
	"SELECT credential_submission_json(s)::text, (extract(epoch FROM s.created_at) * 1000000)::bigint, s.id"
	" FROM credential_submissions s JOIN credential_definitions d ON d.id = s.definition_id"
	" WHERE s.district_id = $1"
	" AND (s.created_at, s.id) < (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" AND ($5::uuid IS NULL OR s.educator_id = $5::uuid)"
	" AND ($6::uuid IS NULL OR s.educator_id = $6::uuid OR $6::uuid = ANY (d.reviewer_ids))"
	" AND ($7::text IS NULL OR s.status = $7::text) AND ($8::uuid IS NULL OR s.definition_id = $8::uuid)"
	" ORDER BY s.created_at DESC, s.id DESC LIMIT $2",
	8};

static const struct hg_stmt lock_stmt = {
	"credential_submission_lock",
	"SELECT s.version, " SUBMISSION_STATE " FROM credential_submissions s"
	" JOIN credential_definitions d ON d.id = s.definition_id WHERE s.district_id = $1 AND s.id = $2"
	" FOR NO KEY UPDATE OF s",
	2};

static const struct hg_stmt resubmit_stmt = {
	"credential_submission_resubmit",
	"UPDATE credential_submissions SET status = 'submitted', attempt = attempt + 1, evidence = d->'evidence',"
	" history = history || jsonb_build_array(" SUBMITTED_ENTRY(
		"attempt + 1") "),"
			       " version = version + 1, updated_at = clock_timestamp()"
			       " FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
			       " RETURNING credential_submission_json(credential_submissions)::text",
	3};

static const struct hg_stmt withdraw_stmt = {
	"credential_submission_withdraw",
	"UPDATE credential_submissions SET status = 'withdrawn',"
	" history = history || jsonb_build_array(jsonb_build_object('event', 'withdrawn', 'attempt', attempt, 'at',"
	" rfc3339(clock_timestamp()))), version = version + 1, updated_at = clock_timestamp()"
	" WHERE district_id = $1 AND id = $2"
	" RETURNING credential_submission_json(credential_submissions)::text",
	2};

/* The review by $4: the status it moves to, the scores and feedback, kept in history too. */
static const struct hg_stmt review_stmt = {
	"credential_submission_review",
	"UPDATE credential_submissions SET status = d->>'status', scores = d->'scores', feedback = d->>'feedback',"
	" reviewed_by = $4, reviewed_at = clock_timestamp(),"
	" awarded_at = CASE WHEN d->>'status' = 'awarded' THEN clock_timestamp() END,"
	" history = history || jsonb_build_array(jsonb_build_object('event', d->>'status', 'attempt', attempt,"
	" 'scores', d->'scores', 'feedback', d->>'feedback', 'by', $4::uuid, 'at', rfc3339(clock_timestamp()))),"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING credential_submission_json(credential_submissions)::text",
	4};

/* The definition the submission is for: the district's (FOR SHARE until the commit), with its status and kinds. */
static const struct hg_stmt definition_stmt = {
	"credential_submission_definition",
	"SELECT json_build_object('status', status, 'evidence_required', evidence_required)::text"
	" FROM credential_definitions WHERE district_id = $1 AND id = $2::uuid FOR SHARE",
	2};

static enum hg_status check_create(struct hg_db_conn *conn, struct hg_record_call *call)
{
	json_t *ids = json_pack("[s]", call->who->sub), *def = NULL;
	const char *params[2] = {call->who->district_id,
				 json_string_value(json_object_get(call->fields, "definition_id"))};
	/* The submitter is an active educator of the district's roster (educator_id: the caller). */
	enum hg_status st = roster_model_store_require_active(conn, call, ids, "educator_id", 0);
	json_decref(ids);
	if (st != HG_OK)
		return st;
	st = hg_tx_row(conn, &definition_stmt, params, &def);
	if (st == HG_NOT_FOUND)
		st = hg_record_refuse_field(call, RESOURCES_REFUSE(R_DEFINITION_UNKNOWN), "definition_id");
	else if (st == HG_OK && strcmp(json_string_value(json_object_get(def, "status")), "active") != 0)
		st = hg_record_refuse(call, RESOURCES_REFUSE(R_DEFINITION_RETIRED));
	else if (st == HG_OK && !submission_evidence_covers(json_object_get(call->fields, "evidence"),
							    json_object_get(def, "evidence_required")))
		st = hg_record_refuse_field(call, RESOURCES_REFUSE(R_EVIDENCE_MISSING), "evidence");
	json_decref(def);
	return st;
}

/* A resubmission's evidence holds every kind the definition requires. */
static enum hg_status check_resubmit(struct hg_db_conn *conn, struct hg_record_call *call)
{
	(void)conn;
	if (!submission_evidence_covers(json_object_get(call->fields, "evidence"),
					json_object_get(call->state, "evidence_required")))
		return hg_record_refuse_field(call, RESOURCES_REFUSE(R_EVIDENCE_MISSING), "evidence");
	return HG_OK;
}

/* The scores fit the definition's criteria; an award meets every passing level. */
static enum hg_status check_review(struct hg_db_conn *conn, struct hg_record_call *call)
{
	char field[32] = "scores";
	long bad;
	(void)conn;
	const struct hg_reason *why = submission_check_scores(
		json_object_get(call->fields, "scores"), json_object_get(call->state, "criteria"),
		strcmp(json_string_value(json_object_get(call->fields, "status")), "awarded") == 0, &bad);
	if (why == NULL)
		return HG_OK;
	if (bad >= 0)
		snprintf(field, sizeof(field), "scores[%ld]", bad);
	return hg_record_refuse_field(call, why, field);
}

const struct hg_entity submission_entity = {
	.name = "submission",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.created = "submission.submitted",
	.conflict = &resources_reasons[R_SUBMISSION_EXISTS],
	.check_create = check_create,
	.read_rule = submission_rule_read,
};

const struct hg_entity submission_resubmit_entity = {
	.name = "submission",
	.get = &get_stmt,
	.lock = &lock_stmt,
	.update = &resubmit_stmt,
	.updated = "submission.resubmitted",
	.change_rule = submission_rule_submitter,
	.read_rule = submission_rule_read,
	.check_update = check_resubmit,
};

const struct hg_entity submission_withdraw_entity = {
	.name = "submission",
	.get = &get_stmt,
	.lock = &lock_stmt,
	.update = &withdraw_stmt,
	.updated = "submission.withdrawn",
	.change_rule = submission_rule_submitter,
	.read_rule = submission_rule_read,
};

const struct hg_entity submission_review_entity = {
	.name = "submission",
	.get = &get_stmt,
	.lock = &lock_stmt,
	.update = &review_stmt,
	.event_type = submission_review_event,
	.change_rule = submission_rule_review,
	.read_rule = submission_rule_read,
	.check_update = check_review,
	.after_update = credential_store_award,
};
