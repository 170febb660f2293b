/* credential_store.c - awarded credentials in PostgreSQL: the award (in the review's transaction), the public
 * read, revocation, and the revoked bits of a status list. */
#include <stdio.h>
#include <string.h>

#include "common/db.h"
#include "common/outbox.h"
#include "services/resources/credentials/credential.h"
#include "services/resources/credentials/credentials_store.h"
#include "services/resources/credentials/submission.h"
#include "services/resources/reasons.h"

/*
 * The award of submission $2 (awarded in this transaction): the next index of the district's status list (under
 * the counter row's lock), what was certified copied as it is now, the recipient hashed with a fresh salt
 * (OB 3.0 IdentityObject: "sha256$" + hex of the identity followed by the salt; an email lower-cased, else the
 * educator's id), and the credit. One award per submission (unique): a second insert adds nothing.
 */
static const struct hg_stmt award_stmt = {
	"credential_award_insert",
	"WITH counter AS ("
	" INSERT INTO credential_status_counters AS k (district_id, next_index) VALUES ($1, 1)"
	" ON CONFLICT (district_id) DO UPDATE SET next_index = k.next_index + 1 RETURNING k.next_index - 1 AS idx),"
	" src AS (SELECT s.id, s.definition_id, s.educator_id, s.scores, s.awarded_at, s.recipient, d.name,"
	" d.description, d.criteria, d.credit_type, d.credits, c.id AS cid, c.name AS cname, c.description AS cdesc,"
	" c.alignment, c.version AS cversion, replace(gen_random_uuid()::text, '-', '') AS salt"
	" FROM credential_submissions s JOIN credential_definitions d ON d.id = s.definition_id"
	" JOIN credential_competencies c ON c.id = d.competency_id"
	" WHERE s.district_id = $1 AND s.id = $2 AND s.status = 'awarded')"
	" INSERT INTO credential_awards (district_id, submission_id, definition_id, educator_id, achievement, recipient,"
	" credit_type, credits, status_index, awarded_at)"
	" SELECT $1, src.id, src.definition_id, src.educator_id,"
	" jsonb_build_object('definition', jsonb_build_object('id', src.definition_id, 'name', src.name,"
	" 'description', src.description, 'criteria', src.criteria), 'competency', jsonb_build_object('id', src.cid,"
	" 'name', src.cname, 'description', src.cdesc, 'alignment', src.alignment, 'version', src.cversion),"
	" 'scores', src.scores),"
	" CASE WHEN src.recipient ? 'did' THEN jsonb_build_object('did', src.recipient->>'did')"
	" ELSE jsonb_build_object('type', CASE WHEN src.recipient ? 'email' THEN 'emailAddress' ELSE 'identifier' END,"
	" 'hash', 'sha256$' || encode(sha256(convert_to(coalesce(lower(src.recipient->>'email'),"
	" src.educator_id::text) || src.salt, 'UTF8')), 'hex'), 'salt', src.salt) END,"
	" src.credit_type, src.credits, counter.idx, src.awarded_at FROM src, counter"
	" ON CONFLICT (submission_id) DO NOTHING"
	" RETURNING credential_award_json(credential_awards)::text",
	2};

enum hg_status credential_store_award(struct hg_db_conn *conn, const struct hg_record_call *call, json_t *state,
				      json_t *record)
{
	json_t *rows = NULL;
	enum hg_status st;
	(void)state;
	if (strcmp(json_string_value(json_object_get(record, "status")), "awarded") != 0)
		return HG_OK;
	const char *params[2] = {call->who->district_id, json_string_value(json_object_get(record, "id"))};
	st = hg_tx_rows_with_events(conn, &award_stmt, params, call->who->district_id, "credential.issued", NULL,
				    &rows);
	/* The answer names the credential the review issued. */
	if (st == HG_OK && json_array_size(rows) == 1)
		json_object_set(record, "credential_id", json_object_get(json_array_get(rows, 0), "id"));
	json_decref(rows);
	return st;
}

/* The public read: any district's credential by its id (the id is the secret a holder shares). */
static const struct hg_stmt public_stmt = {
	"credential_award_public", "SELECT credential_award_json(a)::text FROM credential_awards a WHERE a.id = $1", 1};

enum hg_status credential_store_get_public(struct hg_db_pool *pool, const char *id, json_t **award)
{
	struct hg_db_conn *conn = NULL;
	const char *params[1] = {id};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_tx_row(conn, &public_stmt, params, award);
	hg_db_release(pool, conn);
	return st;
}

/* The status indices revoked in list $2 of district $1 (an array, maybe empty). */
static const struct hg_stmt revoked_stmt = {
	"credential_award_revoked",
	"SELECT coalesce(json_agg(a.status_index ORDER BY a.status_index), '[]')::text FROM credential_awards a"
	" WHERE a.district_id = $1 AND a.revoked_at IS NOT NULL AND a.status_index >= $2::bigint * 131072"
	" AND a.status_index < ($2::bigint + 1) * 131072",
	2};

enum hg_status credential_store_revoked(struct hg_db_pool *pool, const char *district, long list, json_t **indices)
{
	struct hg_db_conn *conn = NULL;
	char n[24];
	snprintf(n, sizeof(n), "%ld", list);
	const char *params[2] = {district, n};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_tx_row(conn, &revoked_stmt, params, indices);
	hg_db_release(pool, conn);
	return st;
}

/* ---- revocation: an update of the award, by a district admin ---- */

static const struct hg_stmt get_stmt = {
	"credential_award_get",
	"SELECT credential_award_json(a)::text FROM credential_awards a WHERE a.district_id = $1 AND a.id = $2", 2};

static const struct hg_stmt lock_stmt = {
	"credential_award_lock",
	"SELECT 1, json_build_object('status', CASE WHEN revoked_at IS NULL THEN 'active' ELSE 'revoked' END)::text"
	" FROM credential_awards WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

static const struct hg_stmt revoke_stmt = {
	"credential_award_revoke",
	"UPDATE credential_awards SET revoked_at = clock_timestamp(), revoked_by = $4, revocation_reason = d->>'reason'"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING credential_award_json(credential_awards)::text",
	4};

const struct hg_entity credential_revoke_entity = {
	.name = "credential",
	.get = &get_stmt,
	.lock = &lock_stmt,
	.update = &revoke_stmt,
	.updated = "credential.revoked",
	.change_rule = credential_rule_revoke,
};
