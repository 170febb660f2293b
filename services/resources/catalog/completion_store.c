/* completion_store.c - completions of PD activities in PostgreSQL: recorded when attendance meets the rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/catalog_store.h"

static const struct hg_stmt activity_lock_stmt = {
	"catalog_activity_lock",
	"SELECT status, completion_rule, coalesce(completion_min_sessions, 0), title FROM catalog_activities"
	" WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

enum hg_status completion_store_lock_activity(struct hg_db_conn *conn, const char *district_id, const char *activity_id,
					      char *status, size_t status_len)
{
	PGresult *res = NULL;
	const char *params[2] = {district_id, activity_id};
	enum hg_status st = hg_db_exec(conn, &activity_lock_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st == HG_OK)
		snprintf(status, status_len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return st;
}

/*
 * Per educator who attended a session of the activity and has no completion
 * yet: sessions attended and sessions held (cancelled ones count for
 * neither).
 */
static const struct hg_stmt progress_stmt = {
	"catalog_completion_progress",
	"SELECT t.educator_id, count(*) FILTER (WHERE s.status <> 'cancelled'),"
	" (SELECT count(*) FROM catalog_sessions x WHERE x.district_id = $1 AND x.activity_id = $2"
	"  AND x.status <> 'cancelled')"
	" FROM catalog_attendance t JOIN catalog_sessions s ON s.id = t.session_id"
	" WHERE t.district_id = $1 AND t.activity_id = $2"
	" AND ($3::uuid[] IS NULL OR t.educator_id = ANY ($3::uuid[]))"
	" AND NOT EXISTS (SELECT 1 FROM catalog_completions c WHERE c.activity_id = $2 AND c.educator_id = t.educator_id)"
	" GROUP BY t.educator_id ORDER BY t.educator_id",
	3};

/* The primary key (activity, educator) makes a second completion impossible: ON CONFLICT does nothing. */
static const struct hg_stmt complete_stmt = {
	"catalog_completion_insert",
	"INSERT INTO catalog_completions (district_id, activity_id, educator_id, credit_type, credits, clock_hours)"
	" SELECT a.district_id, a.id, $3, a.credit_type, a.credits,"
	" coalesce(a.clock_hours, CASE WHEN a.credit_type = 'Hours' THEN a.credits END) FROM catalog_activities a"
	" WHERE a.district_id = $1 AND a.id = $2"
	" ON CONFLICT (activity_id, educator_id) DO NOTHING"
	" RETURNING catalog_completion_json(catalog_completions)::text",
	3};

enum hg_status completion_store_evaluate(struct hg_db_conn *conn, const char *district_id, const char *activity_id,
					 const char *ids)
{
	PGresult *rule = NULL, *progress = NULL, *done = NULL;
	const char *lock_params[2] = {district_id, activity_id};
	const char *params[3] = {district_id, activity_id, ids};
	enum hg_status st;

	/* Already locked by the caller: this re-reads the rule under that lock. */
	st = hg_db_exec(conn, &activity_lock_stmt, lock_params, &rule);
	if (st != HG_OK)
		goto out;
	if (PQntuples(rule) == 0) {
		st = HG_NOT_FOUND;
		goto out;
	}
	st = hg_db_exec(conn, &progress_stmt, params, &progress);
	if (st != HG_OK)
		goto out;
	const char *kind = PQgetvalue(rule, 0, 1);
	long min_sessions = (long)hg_db_int(rule, 0, 2);
	for (int i = 0; i < PQntuples(progress) && st == HG_OK; i++) {
		long attended = (long)hg_db_int(progress, i, 1);
		long held = (long)hg_db_int(progress, i, 2);
		if (!completion_met(kind, min_sessions, attended, held))
			continue;
		const char *insert_params[3] = {district_id, activity_id, PQgetvalue(progress, i, 0)};
		st = hg_db_exec(conn, &complete_stmt, insert_params, &done);
		if (st == HG_OK && PQntuples(done) == 1) {
			json_t *completion = hg_db_json(done, 0, 0);
			if (completion == NULL) {
				st = HG_INTERNAL;
			} else {
				json_object_set_new(completion, "activity_title", json_string(PQgetvalue(rule, 0, 3)));
				json_object_set_new(completion, "sessions_attended", json_integer(attended));
				st = hg_outbox_write(conn, district_id, "activity.completed",
						     json_string_value(json_object_get(completion, "id")), completion);
				json_decref(completion);
			}
		}
		PQclear(done);
		done = NULL;
	}
out:
	PQclear(rule);
	PQclear(progress);
	PQclear(done);
	return st;
}
