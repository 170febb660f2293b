/* import_store.c - an import's transaction in PostgreSQL (SQL only; no HTTP). */
#include "services/roster/import_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/outbox.h"
#include "common/xmalloc.h"

static const struct hg_stmt timeout_stmt = {"roster_import_timeout", "SELECT set_config('statement_timeout', $1, true)",
					    1};

/* Imports of one district run one at a time. */
static const struct hg_stmt lock_stmt = {
	"roster_import_lock", "SELECT pg_advisory_xact_lock(hashtextextended('roster.import:' || $1, 0))", 1};

static const struct hg_stmt org_keys_stmt = {"roster_org_keys", "SELECT sourced_id FROM orgs WHERE district_id = $1",
					     1};
static const struct hg_stmt session_keys_stmt = {"roster_session_keys",
						 "SELECT sourced_id FROM academic_sessions WHERE district_id = $1", 1};
static const struct hg_stmt educator_keys_stmt = {"roster_educator_keys",
						  "SELECT sourced_id FROM educators WHERE district_id = $1", 1};

static const struct hg_stmt savepoint_stmt = {"roster_dry_run_savepoint", "SAVEPOINT roster_dry_run", 0};
static const struct hg_stmt rollback_stmt = {"roster_dry_run_rollback", "ROLLBACK TO SAVEPOINT roster_dry_run", 0};

/*
 * Each apply statement takes $1 district, $2 the records as a JSON array,
 * $3 the file's mode, and returns one row per changed row: its status before
 * (NULL when new), whether it was in the file, and its JSON.
 */
static const struct hg_stmt apply_orgs_stmt = {
	"roster_apply_orgs",
	"WITH input AS ("
	"  SELECT * FROM ROWS FROM (json_to_recordset($2::json) AS (sourced_id text, type text, name text,"
	"    identifier text, parent_sourced_id text, deleted boolean)) WITH ORDINALITY"
	"    AS x(sourced_id, type, name, identifier, parent_sourced_id, deleted, n)"
	"), cur AS (SELECT * FROM orgs WHERE district_id = $1::uuid"
	"), want AS ("
	"  SELECT c.id, coalesce(i.sourced_id, c.sourced_id) AS sourced_id, c.status AS old_status,"
	"         i.sourced_id IS NOT NULL AS in_input, i.n,"
	"         CASE WHEN i.deleted IS FALSE THEN i.type ELSE c.type END AS type,"
	"         CASE WHEN i.deleted IS FALSE THEN i.name ELSE c.name END AS name,"
	"         CASE WHEN i.deleted IS FALSE THEN i.identifier ELSE c.identifier END AS identifier,"
	"         CASE WHEN i.deleted IS FALSE THEN i.parent_sourced_id ELSE c.parent_sourced_id END"
	"           AS parent_sourced_id,"
	"         CASE WHEN i.sourced_id IS NOT NULL THEN CASE WHEN i.deleted THEN 'inactive' ELSE 'active' END"
	"              WHEN $3::text = 'bulk' THEN 'inactive' ELSE c.status END AS status"
	"  FROM cur c FULL JOIN input i ON i.sourced_id = c.sourced_id"
	"), ins AS ("
	"  INSERT INTO orgs (district_id, sourced_id, type, name, identifier, parent_sourced_id, status)"
	"  SELECT $1::uuid, w.sourced_id, w.type, w.name, w.identifier, w.parent_sourced_id, w.status"
	"  FROM want w WHERE w.id IS NULL AND w.status = 'active' ORDER BY w.n"
	"  RETURNING NULL::text AS old_status, true AS in_input, type, school_json(orgs)::text AS data"
	"), upd AS ("
	"  UPDATE orgs o SET type = w.type, name = w.name, identifier = w.identifier,"
	"         parent_sourced_id = w.parent_sourced_id, status = w.status, version = o.version + 1,"
	"         updated_at = clock_timestamp()"
	"  FROM want w WHERE o.id = w.id"
	"    AND (o.type, o.name, o.identifier, o.parent_sourced_id, o.status)"
	"        IS DISTINCT FROM (w.type, w.name, w.identifier, w.parent_sourced_id, w.status)"
	"  RETURNING w.old_status, w.in_input, o.type, school_json(o)::text AS data"
	") SELECT old_status, in_input, type, data FROM ins UNION ALL SELECT old_status, in_input, type, data FROM upd",
	3};

static const struct hg_stmt apply_sessions_stmt = {
	"roster_apply_sessions",
	"WITH input AS ("
	"  SELECT * FROM ROWS FROM (json_to_recordset($2::json) AS (sourced_id text, title text, type text,"
	"    start_date date, end_date date, parent_sourced_id text, school_year integer, deleted boolean))"
	"    WITH ORDINALITY AS x(sourced_id, title, type, start_date, end_date, parent_sourced_id, school_year,"
	"                         deleted, n)"
	"), cur AS (SELECT * FROM academic_sessions WHERE district_id = $1::uuid"
	"), want AS ("
	"  SELECT c.id, coalesce(i.sourced_id, c.sourced_id) AS sourced_id, c.status AS old_status,"
	"         i.sourced_id IS NOT NULL AS in_input, i.n,"
	"         CASE WHEN i.deleted IS FALSE THEN i.title ELSE c.title END AS title,"
	"         CASE WHEN i.deleted IS FALSE THEN i.type ELSE c.type END AS type,"
	"         CASE WHEN i.deleted IS FALSE THEN i.start_date ELSE c.start_date END AS start_date,"
	"         CASE WHEN i.deleted IS FALSE THEN i.end_date ELSE c.end_date END AS end_date,"
	"         CASE WHEN i.deleted IS FALSE THEN i.parent_sourced_id ELSE c.parent_sourced_id END"
	"           AS parent_sourced_id,"
	"         CASE WHEN i.deleted IS FALSE THEN i.school_year ELSE c.school_year END AS school_year,"
	"         CASE WHEN i.sourced_id IS NOT NULL THEN CASE WHEN i.deleted THEN 'inactive' ELSE 'active' END"
	"              WHEN $3::text = 'bulk' THEN 'inactive' ELSE c.status END AS status"
	"  FROM cur c FULL JOIN input i ON i.sourced_id = c.sourced_id"
	"), ins AS ("
	"  INSERT INTO academic_sessions (district_id, sourced_id, title, type, start_date, end_date,"
	"                                 parent_sourced_id, school_year, status)"
	"  SELECT $1::uuid, w.sourced_id, w.title, w.type, w.start_date, w.end_date, w.parent_sourced_id,"
	"         w.school_year, w.status"
	"  FROM want w WHERE w.id IS NULL AND w.status = 'active' ORDER BY w.n"
	"  RETURNING NULL::text AS old_status, true AS in_input,"
	"            academic_session_json(academic_sessions)::text AS data"
	"), upd AS ("
	"  UPDATE academic_sessions s SET title = w.title, type = w.type, start_date = w.start_date,"
	"         end_date = w.end_date, parent_sourced_id = w.parent_sourced_id, school_year = w.school_year,"
	"         status = w.status, version = s.version + 1, updated_at = clock_timestamp()"
	"  FROM want w WHERE s.id = w.id"
	"    AND (s.title, s.type, s.start_date, s.end_date, s.parent_sourced_id, s.school_year, s.status)"
	"        IS DISTINCT FROM (w.title, w.type, w.start_date, w.end_date, w.parent_sourced_id, w.school_year,"
	"                          w.status)"
	"  RETURNING w.old_status, w.in_input, academic_session_json(s)::text AS data"
	") SELECT old_status, in_input, NULL::text, data FROM ins"
	"  UNION ALL SELECT old_status, in_input, NULL::text, data FROM upd",
	3};

/* Staff role rows are not shown by the API: they are kept in step (bulk: replaced; delta: per row). */
static const struct hg_stmt apply_roles_stmt = {
	"roster_apply_roles",
	"WITH input AS ("
	"  SELECT * FROM json_to_recordset($2::json) AS x(sourced_id text, user_sourced_id text, role text,"
	"                                                 hg_role text, org_sourced_id text, deleted boolean)"
	"), gone AS ("
	"  DELETE FROM staff_roles r WHERE r.district_id = $1::uuid AND ("
	"     ($3::text = 'bulk' AND NOT EXISTS (SELECT 1 FROM input i WHERE i.sourced_id = r.sourced_id"
	"                                        AND NOT i.deleted))"
	"     OR EXISTS (SELECT 1 FROM input i WHERE i.sourced_id = r.sourced_id AND i.deleted))"
	"  RETURNING 1"
	"), put AS ("
	"  INSERT INTO staff_roles AS r (district_id, sourced_id, user_sourced_id, role, hg_role, org_sourced_id)"
	"  SELECT $1::uuid, sourced_id, user_sourced_id, role, hg_role, org_sourced_id FROM input WHERE NOT deleted"
	"  ON CONFLICT (district_id, sourced_id) DO UPDATE SET user_sourced_id = EXCLUDED.user_sourced_id,"
	"     role = EXCLUDED.role, hg_role = EXCLUDED.hg_role, org_sourced_id = EXCLUDED.org_sourced_id"
	"  WHERE (r.user_sourced_id, r.role, r.hg_role, r.org_sourced_id)"
	"        IS DISTINCT FROM (EXCLUDED.user_sourced_id, EXCLUDED.role, EXCLUDED.hg_role, EXCLUDED.org_sourced_id)"
	"  RETURNING 1"
	") SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM put)",
	3};

/* Educators: user fields from users.csv; roles, schools and status derived from the staff roles. */
static const struct hg_stmt apply_educators_stmt = {
	"roster_apply_educators",
	"WITH input AS ("
	"  SELECT * FROM ROWS FROM (json_to_recordset($2::json) AS (sourced_id text, given_name text,"
	"    family_name text, email text, username text, user_master_identifier text, enabled boolean,"
	"    deleted boolean)) WITH ORDINALITY AS x(sourced_id, given_name, family_name, email, username,"
	"                                          user_master_identifier, enabled, deleted, n)"
	"), cur AS (SELECT * FROM educators WHERE district_id = $1::uuid"
	"), derived AS ("
	"  SELECT r.user_sourced_id AS sourced_id, array_agg(DISTINCT r.hg_role ORDER BY r.hg_role) AS roles,"
	"         array_agg(DISTINCT o.id ORDER BY o.id) FILTER (WHERE o.type = 'school' AND o.status = 'active')"
	"           AS school_ids"
	"  FROM staff_roles r LEFT JOIN orgs o ON o.district_id = r.district_id AND o.sourced_id = r.org_sourced_id"
	"  WHERE r.district_id = $1::uuid GROUP BY r.user_sourced_id"
	"), want AS ("
	"  SELECT c.id, coalesce(i.sourced_id, c.sourced_id) AS sourced_id, c.status AS old_status,"
	"         i.sourced_id IS NOT NULL AS in_input, i.n,"
	"         CASE WHEN i.deleted IS FALSE THEN i.given_name ELSE c.given_name END AS given_name,"
	"         CASE WHEN i.deleted IS FALSE THEN i.family_name ELSE c.family_name END AS family_name,"
	"         CASE WHEN i.deleted IS FALSE THEN i.email ELSE c.email END AS email,"
	"         CASE WHEN i.deleted IS FALSE THEN i.username ELSE c.username END AS username,"
	"         CASE WHEN i.deleted IS FALSE THEN i.user_master_identifier ELSE c.user_master_identifier END"
	"           AS user_master_identifier,"
	"         CASE WHEN i.sourced_id IS NOT NULL THEN i.enabled AND NOT i.deleted"
	"              WHEN $3::text = 'bulk' THEN false ELSE c.user_active END AS user_active,"
	"         coalesce(d.roles, '{}') AS roles, coalesce(d.school_ids, '{}') AS school_ids"
	"  FROM cur c FULL JOIN input i ON i.sourced_id = c.sourced_id"
	"  LEFT JOIN derived d ON d.sourced_id = coalesce(i.sourced_id, c.sourced_id)"
	"), fin AS ("
	"  SELECT w.*, CASE WHEN w.user_active AND cardinality(w.roles) > 0 THEN 'active' ELSE 'inactive' END"
	"    AS status FROM want w"
	"), ins AS ("
	"  INSERT INTO educators (district_id, sourced_id, given_name, family_name, email, username,"
	"                         user_master_identifier, user_active, roles, school_ids, status)"
	"  SELECT $1::uuid, f.sourced_id, f.given_name, f.family_name, f.email, f.username, f.user_master_identifier,"
	"         f.user_active, f.roles, f.school_ids, f.status"
	"  FROM fin f WHERE f.id IS NULL AND f.in_input AND f.status = 'active' ORDER BY f.n"
	"  RETURNING NULL::text AS old_status, true AS in_input, educator_json(educators)::text AS data"
	"), upd AS ("
	"  UPDATE educators e SET given_name = f.given_name, family_name = f.family_name, email = f.email,"
	"         username = f.username, user_master_identifier = f.user_master_identifier,"
	"         user_active = f.user_active, roles = f.roles, school_ids = f.school_ids, status = f.status,"
	"         version = e.version + 1, updated_at = clock_timestamp()"
	"  FROM fin f WHERE e.id = f.id"
	"    AND (e.given_name, e.family_name, e.email, e.username, e.user_master_identifier, e.user_active, e.roles,"
	"         e.school_ids, e.status)"
	"        IS DISTINCT FROM (f.given_name, f.family_name, f.email, f.username, f.user_master_identifier,"
	"                          f.user_active, f.roles, f.school_ids, f.status)"
	"  RETURNING f.old_status, f.in_input, educator_json(e)::text AS data"
	") SELECT old_status, in_input, NULL::text, data FROM ins"
	"  UNION ALL SELECT old_status, in_input, NULL::text, data FROM upd",
	3};

static const struct hg_stmt report_stmt = {
	"roster_import_report",
	"INSERT INTO imports (district_id, created_by, dry_run, report, finished_at)"
	" VALUES ($1, $2, $3, $4::json, clock_timestamp()) RETURNING import_json(imports)::text",
	4};

/* A background import: its row, running since the 202, is finished by the import's own transaction. */
static const struct hg_stmt report_async_stmt = {
	"roster_import_report_async",
	"UPDATE imports SET report = $4::json, state = 'succeeded', phase = 'done',"
	" progress = coalesce(progress, '{}'::jsonb) || jsonb_build_object('records_applied', $5::bigint),"
	" heartbeat_at = clock_timestamp(), finished_at = clock_timestamp()"
	" WHERE district_id = $1 AND id = $2 AND dry_run = $3 AND state = 'running' RETURNING import_json(imports)::text",
	5};

/* Held by a background import's transaction while it runs: its process is alive (import_abandoned). */
static const struct hg_stmt run_lock_stmt = {
	"roster_import_run_lock", "SELECT pg_advisory_xact_lock(hashtextextended('roster.import.run:' || $1, 0))", 1};

#define ABANDONED_DETAIL "the import stopped without finishing (its process ended); nothing was applied"

/* A running import whose process died is marked interrupted by the first reader. */
static const struct hg_stmt import_get_stmt = {
	"roster_import_get",
	"WITH swept AS ("
	"  UPDATE imports i SET state = 'interrupted', phase = 'done', finished_at = clock_timestamp(),"
	"         error = jsonb_build_object('detail', '" ABANDONED_DETAIL "')"
	"  WHERE i.district_id = $1 AND i.id = $2 AND import_abandoned(i) RETURNING i.*"
	") SELECT import_json(s)::text FROM swept s"
	" UNION ALL SELECT import_json(i)::text FROM imports i WHERE i.district_id = $1 AND i.id = $2"
	"   AND NOT EXISTS (SELECT 1 FROM swept)",
	2};

static const struct hg_stmt abandon_stmt = {
	"roster_import_abandon",
	"UPDATE imports i SET state = 'interrupted', phase = 'done', finished_at = clock_timestamp(),"
	" error = jsonb_build_object('detail', '" ABANDONED_DETAIL "')"
	" WHERE i.district_id = $1 AND i.state = 'running' AND import_abandoned(i)",
	1};

static const struct hg_stmt start_stmt = {
	"roster_import_start",
	"INSERT INTO imports (district_id, created_by, dry_run, report, state, phase, progress)"
	" VALUES ($1, $2, $3, $4::json, 'running', 'queued',"
	"         '{\"records_read\": 0, \"records_applied\": 0, \"estimated_total\": null}')"
	" RETURNING import_json(imports)::text",
	4};

static const struct hg_stmt progress_stmt = {
	"roster_import_progress",
	"UPDATE imports SET phase = $3, progress = $4::jsonb, heartbeat_at = clock_timestamp()"
	" WHERE district_id = $1 AND id = $2 AND state = 'running'",
	4};

static const struct hg_stmt fail_stmt = {
	"roster_import_fail",
	"UPDATE imports SET state = $3, phase = 'done', error = $4::jsonb, heartbeat_at = clock_timestamp(),"
	" finished_at = clock_timestamp() WHERE district_id = $1 AND id = $2 AND state = 'running'",
	4};

/* ---- helpers ---- */

static enum hg_status load_keys(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *district,
				struct roster_strmap *keys)
{
	PGresult *res = NULL;
	const char *params[1] = {district};
	enum hg_status st = hg_db_exec(conn, stmt, params, &res);
	roster_strmap_cleanup(keys);
	if (st == HG_OK)
		for (int i = 0; i < PQntuples(res); i++)
			roster_strmap_add(keys, PQgetvalue(res, i, 0), 1, NULL);
	PQclear(res);
	return st;
}

static json_t *str_or_null(const char *s) { return s != NULL ? json_string(s) : json_null(); }

/*
 * Append item to arr; a record that cannot be encoded (never expected: every
 * value was checked to be UTF-8) must fail the import, not vanish from it --
 * a missing record in a bulk file would be deactivated.
 */
static int append(json_t *arr, json_t *item)
{
	if (item == NULL) {
		hg_log(HG_LOG_ERROR, "an import record cannot be encoded as JSON");
		return -1;
	}
	return json_array_append_new(arr, item);
}

/* The array as text (caller frees), or NULL when a record failed. */
static char *records_text(json_t *arr, int failed)
{
	char *text = failed ? NULL : json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return text;
}

static char *orgs_json(const struct roster_batch *b)
{
	json_t *arr = json_array();
	int failed = 0;
	for (size_t i = 0; i < b->norgs && !failed; i++) {
		const struct batch_org *o = &b->orgs[i];
		failed = append(arr, json_pack("{s:s, s:s, s:s, s:o, s:o, s:b}", "sourced_id", o->sourced_id, "type",
					       o->type, "name", o->name, "identifier", str_or_null(o->identifier),
					       "parent_sourced_id", str_or_null(o->parent), "deleted", o->deleted));
	}
	return records_text(arr, failed);
}

static char *sessions_json(const struct roster_batch *b)
{
	json_t *arr = json_array();
	int failed = 0;
	for (size_t i = 0; i < b->nsessions && !failed; i++) {
		const struct batch_session *s = &b->sessions[i];
		failed = append(arr,
				json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:i, s:b}", "sourced_id", s->sourced_id,
					  "title", s->title, "type", s->type, "start_date", str_or_null(s->start),
					  "end_date", str_or_null(s->end), "parent_sourced_id", str_or_null(s->parent),
					  "school_year", s->school_year, "deleted", s->deleted));
	}
	return records_text(arr, failed);
}

static char *roles_json(const struct roster_batch *b)
{
	json_t *arr = json_array();
	int failed = 0;
	for (size_t i = 0; i < b->nroles && !failed; i++) {
		const struct batch_role *r = &b->roles[i];
		failed = append(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "sourced_id", r->sourced_id,
					       "user_sourced_id", r->user, "role", r->role, "hg_role", r->hg_role,
					       "org_sourced_id", r->org, "deleted", r->deleted));
	}
	return records_text(arr, failed);
}

static char *users_json(const struct roster_batch *b)
{
	json_t *arr = json_array();
	int failed = 0;
	for (size_t i = 0; i < b->nusers && !failed; i++) {
		const struct batch_user *u = &b->users[i];
		failed = append(arr, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:b}", "sourced_id", u->sourced_id,
					       "given_name", u->given, "family_name", u->family, "email",
					       str_or_null(u->email), "username", str_or_null(u->username),
					       "user_master_identifier", str_or_null(u->user_master_identifier),
					       "enabled", u->enabled, "deleted", u->deleted));
	}
	return records_text(arr, failed);
}

/*
 * Run one apply statement and turn its rows into counts and events. entity
 * names the events ("school"); only_type, when given, limits events to rows
 * of that org type. n_input is how many records the file gave.
 */
static enum hg_status apply(struct hg_db_conn *conn, struct import_job *job, const struct hg_stmt *stmt, char *records,
			    enum oneroster_mode mode, size_t n_input, enum import_entity which, const char *entity,
			    const char *only_type)
{
	PGresult *res = NULL;
	const char *params[3] = {job->who->district_id, records, roster_mode_name(mode)};
	struct import_counts *counts = &job->counts[which];
	long changed_in_input = 0;
	char type[64];
	enum hg_status st = records != NULL ? hg_db_exec(conn, stmt, params, &res) : HG_INTERNAL;

	if (st != HG_OK)
		goto out;
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *data = hg_db_json(res, i, 3);
		if (data == NULL) {
			st = HG_INTERNAL;
			goto out;
		}
		const char *old = PQgetisnull(res, i, 0) ? NULL : PQgetvalue(res, i, 0);
		enum roster_change change = roster_change_of(old, json_string_value(json_object_get(data, "status")));
		roster_count(counts, change);
		if (PQgetvalue(res, i, 1)[0] == 't') {
			changed_in_input++;
			job->records_applied++;
			if (job->progress != NULL && (job->records_applied & 255) == 0)
				job->progress(job, "applying");
		}
		if (job->stop) { /* the service stops: give up at once (rolled back) */
			json_decref(data);
			st = HG_UNAVAILABLE;
			goto out;
		}
		if (!job->dry_run && (only_type == NULL || strcmp(PQgetvalue(res, i, 2), only_type) == 0)) {
			int64_t t0 = hg_clock_mono_us();
			st = hg_outbox_write(conn, job->who->district_id,
					     roster_event_type(entity, change, type, sizeof(type)),
					     json_string_value(json_object_get(data, "id")), data);
			job->events_us += hg_clock_mono_us() - t0;
		}
		json_decref(data);
		if (st != HG_OK)
			goto out;
	}
	counts->unchanged = (long)n_input - changed_in_input;
	job->records_applied += counts->unchanged;
	if (job->progress != NULL)
		job->progress(job, "applying");
	if (job->stop)
		st = HG_UNAVAILABLE;
out:
	PQclear(res);
	free(records);
	return st;
}

static enum hg_status apply_roles(struct hg_db_conn *conn, struct import_job *job)
{
	const struct roster_batch *b = &job->batch;
	char *records = roles_json(b);
	const char *params[3] = {job->who->district_id, records, roster_mode_name(b->modes[OR_ROLES])};
	enum hg_status st = records != NULL ? hg_db_exec(conn, &apply_roles_stmt, params, NULL) : HG_INTERNAL;
	free(records);
	return st;
}

/* ---- the transaction ---- */

static enum hg_status import_tx(struct hg_db_conn *conn, void *arg)
{
	struct import_job *job = arg;
	const char *district = job->who->district_id;
	const struct roster_batch *b = &job->batch;
	PGresult *res = NULL;
	char timeout[32], *body_text = NULL;
	json_t *body = NULL;
	enum hg_status st;

	json_decref(job->report); /* a retried transaction starts over */
	job->report = NULL;
	memset(job->counts, 0, sizeof(job->counts));
	job->parse_us = job->apply_us = job->events_us = 0;
	int64_t t0 = hg_clock_mono_us();
	snprintf(timeout, sizeof(timeout), "%ld", job->settings->import_timeout_ms);
	const char *timeout_params[1] = {timeout};
	const char *district_params[1] = {district};
	const char *run_params[1] = {job->import_id};
	if ((job->import_id != NULL && (st = hg_db_exec(conn, &run_lock_stmt, run_params, NULL)) != HG_OK) ||
	    (st = hg_db_exec(conn, &timeout_stmt, timeout_params, NULL)) != HG_OK ||
	    (st = hg_db_exec(conn, &lock_stmt, district_params, NULL)) != HG_OK ||
	    (st = load_keys(conn, &org_keys_stmt, district, &job->keys.orgs)) != HG_OK ||
	    (st = load_keys(conn, &session_keys_stmt, district, &job->keys.sessions)) != HG_OK ||
	    (st = load_keys(conn, &educator_keys_stmt, district, &job->keys.educators)) != HG_OK)
		goto out;
	st = job->parse(job);
	job->parse_us = hg_clock_mono_us() - t0;
	if (st == HG_OK && job->stop)
		st = HG_UNAVAILABLE;
	if (st != HG_OK)
		goto out;
	t0 = hg_clock_mono_us();
	job->records_applied = 0;
	job->estimated_total = (long)(b->norgs + b->nsessions + b->nusers);
	if (job->progress != NULL)
		job->progress(job, "applying");

	if (job->dry_run && (st = hg_db_exec(conn, &savepoint_stmt, NULL, NULL)) != HG_OK)
		goto out;
	if (b->modes[OR_ORGS] != OR_ABSENT && (st = apply(conn, job, &apply_orgs_stmt, orgs_json(b), b->modes[OR_ORGS],
							  b->norgs, IMPORT_ORGS, "school", "school")) != HG_OK)
		goto out;
	if (b->modes[OR_SESSIONS] != OR_ABSENT &&
	    (st = apply(conn, job, &apply_sessions_stmt, sessions_json(b), b->modes[OR_SESSIONS], b->nsessions,
			IMPORT_SESSIONS, "academic_session", NULL)) != HG_OK)
		goto out;
	if (b->modes[OR_ROLES] != OR_ABSENT && (st = apply_roles(conn, job)) != HG_OK)
		goto out;
	/* Always: a change of orgs or roles changes educators' schools and roles. */
	if ((st = apply(conn, job, &apply_educators_stmt, users_json(b), b->modes[OR_USERS], b->nusers,
			IMPORT_EDUCATORS, "educator", NULL)) != HG_OK)
		goto out;
	if (job->dry_run && (st = hg_db_exec(conn, &rollback_stmt, NULL, NULL)) != HG_OK)
		goto out;
	job->apply_us = hg_clock_mono_us() - t0 - job->events_us;

	body = job->report_body(job);
	body_text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	char applied[24];
	snprintf(applied, sizeof(applied), "%ld", job->records_applied);
	if (job->import_id != NULL) {
		const char *params[5] = {district, job->import_id, job->dry_run ? "true" : "false", body_text, applied};
		st = hg_db_exec(conn, &report_async_stmt, params, &res);
		if (st == HG_OK && PQntuples(res) != 1)
			st = HG_CONFLICT; /* no longer running: marked interrupted meanwhile */
	} else {
		const char *params[4] = {district, job->who->sub, job->dry_run ? "true" : "false", body_text};
		st = hg_db_exec(conn, &report_stmt, params, &res);
	}
	if (st != HG_OK)
		goto out;
	job->report = hg_db_json(res, 0, 0);
	st = job->report != NULL ? HG_OK : HG_INTERNAL;
out:
	PQclear(res);
	free(body_text);
	json_decref(body);
	return st;
}

struct run_ctx {
	struct hg_record_call *call;
	struct import_job *job;
};

/* The import's transaction, answering through the call like every write (its record: the report). */
static enum hg_status run_tx(struct hg_db_conn *conn, void *arg)
{
	struct run_ctx *c = arg;
	hg_record_call_reset(c->call);
	enum hg_status st = import_tx(conn, c->job);
	if (st == HG_OK) {
		c->call->record = json_incref(c->job->report);
		c->call->changed = 1;
	}
	return st;
}

enum hg_status import_store_run(struct hg_db_pool *pool, struct hg_record_call *call, struct import_job *job)
{
	struct run_ctx c = {call, job};
	return hg_record_tx(pool, call, run_tx, &c);
}

/* Run one statement on a pooled connection (autocommit). */
static enum hg_status run(struct hg_db_pool *pool, const struct hg_stmt *stmt, const char *const *params)
{
	struct hg_db_conn *conn = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_db_exec(conn, stmt, params, NULL);
	hg_db_release(pool, conn);
	return st;
}

struct start_ctx {
	struct hg_record_call *call;
	const char *const *params;
};

static enum hg_status start_tx(struct hg_db_conn *conn, void *arg)
{
	struct start_ctx *c = arg;
	hg_record_call_reset(c->call);
	const char *district_params[1] = {c->params[0]};
	enum hg_status st = hg_db_exec(conn, &abandon_stmt, district_params, NULL);
	if (st == HG_OK)
		st = hg_tx_row(conn, &start_stmt, c->params, &c->call->record);
	c->call->changed = st == HG_OK;
	return st;
}

enum hg_status import_store_start(struct hg_db_pool *pool, struct hg_record_call *call, const struct import_job *job)
{
	json_t *report = job->report_body(job); /* only its files are known yet */
	json_t *body = json_pack("{s:O}", "files", json_object_get(report, "files"));
	json_decref(report);
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	const char *params[4] = {call->who->district_id, call->who->sub, job->dry_run ? "true" : "false", text};
	struct start_ctx c = {call, params};
	enum hg_status st = text != NULL ? hg_record_tx(pool, call, start_tx, &c) : HG_INTERNAL;
	free(text);
	json_decref(body);
	return st;
}

enum hg_status import_store_progress(struct hg_db_pool *pool, const struct import_job *job, const char *phase)
{
	json_t *p = json_pack("{s:I, s:I}", "records_read", (json_int_t)job->records_read, "records_applied",
			      (json_int_t)job->records_applied);
	json_object_set_new(p, "estimated_total",
			    job->estimated_total >= 0 ? json_integer(job->estimated_total) : json_null());
	char *text = json_dumps(p, JSON_COMPACT);
	const char *params[4] = {job->who->district_id, job->import_id, phase, text};
	enum hg_status st = run(pool, &progress_stmt, params);
	free(text);
	json_decref(p);
	return st;
}

enum hg_status import_store_fail(struct hg_db_pool *pool, const struct import_job *job, const char *state,
				 json_t *error)
{
	char *text = json_dumps(error, JSON_COMPACT);
	const char *params[4] = {job->who->district_id, job->import_id, state, text};
	enum hg_status st = run(pool, &fail_stmt, params);
	free(text);
	return st;
}

/* Newest first (keyset: the creation time in microseconds, then the id); abandoned ones swept as they are listed. */
static const struct hg_stmt import_page_stmt = {
	"roster_import_list",
	"WITH swept AS ("
	"  UPDATE imports i SET state = 'interrupted', phase = 'done', finished_at = clock_timestamp(),"
	"         error = jsonb_build_object('detail', '" ABANDONED_DETAIL "')"
	"  WHERE i.district_id = $1 AND i.state = 'running' AND import_abandoned(i) RETURNING i AS r"
	"), listed AS ("
	"  SELECT r, (extract(epoch FROM (r).created_at) * 1000000)::bigint AS k, (r).id AS id FROM swept"
	"  UNION ALL SELECT i, (extract(epoch FROM i.created_at) * 1000000)::bigint, i.id FROM imports i"
	"  WHERE i.district_id = $1 AND NOT EXISTS (SELECT 1 FROM swept s WHERE (s.r).id = i.id)"
	") SELECT import_json(r)::text, k, id FROM listed"
	" WHERE $3::bigint IS NULL OR (k, id) < ($3::bigint, $4::uuid) ORDER BY k DESC, id DESC LIMIT $2",
	4};

const struct hg_entity import_entity = {
	.name = "import",
	.get = &import_get_stmt,
	.page = &import_page_stmt,
};
