/* catalog_store.h - the PD catalog in PostgreSQL (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district: a row of another
 * district is indistinguishable from a missing one (HG_NOT_FOUND). Writes and
 * their events commit together (hg_outbox_write in the same transaction).
 *
 * Locks, always taken in this order so transactions cannot deadlock: the
 * activity row, then a session row (both FOR NO KEY UPDATE, which does not
 * block the foreign-key checks of inserts that reference them). Every change
 * to a session's registrations holds that session's row lock, which is what
 * serialises the seats and the waitlist (never oversold, arrival order kept).
 *
 * When a call fails because of the state of things (HG_CONFLICT, HG_INVALID,
 * HG_FORBIDDEN), *why (where a function has one) is a static sentence for
 * the problem's detail, or NULL for the generic one.
 */
#ifndef RESOURCES_CATALOG_STORE_H
#define RESOURCES_CATALOG_STORE_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdint.h>

#include "auth.h"
#include "cursor.h"
#include "db.h"

/* ---- shared helpers (catalog_store.c) ---- */


/* A bigint column. */
int64_t catalog_int_column(PGresult *res, int row, int col);

/*
 * Run a read-only statement on a pooled connection; row 0 column 0 (JSON)
 * into *out (new reference). HG_NOT_FOUND when there is no row.
 */
enum hg_status catalog_read_one(struct hg_db_pool *pool, const struct hg_stmt *stmt, const char *const *params,
				json_t **out);

/*
 * Run a page statement whose rows are (json, key bigint, id uuid) and that
 * was asked for limit + 1 rows: *items a new array of at most limit objects,
 * *next (caller frees) the cursor after the last one when more follow.
 */
enum hg_status catalog_read_page(struct hg_db_pool *pool, const struct hg_stmt *stmt, const char *const *params,
				 long limit, json_t **items, char **next);

/* Cursor parameters as text ("" → NULL param): key and id buffers of 24 and 37 bytes. */
void catalog_cursor_params(const struct hg_cursor *after, char *key, char *id, const char **key_param,
			   const char **id_param);

/*
 * Record a completion for every educator (ids: PostgreSQL array literal, or
 * NULL for everyone who attended a session of the activity) who now meets
 * the activity's completion rule and has none yet, each with its
 * activity.completed event. Runs inside the caller's transaction, which must
 * hold the activity's row lock (so concurrent attendance cannot both miss
 * the moment the rule is met).
 */
enum hg_status catalog_completions_evaluate(struct hg_db_conn *conn, const char *district_id, const char *activity_id,
					    const char *ids);

/* Lock an activity (FOR NO KEY UPDATE) and read its status; HG_NOT_FOUND when it is not in the district. */
enum hg_status catalog_activity_lock(struct hg_db_conn *conn, const char *district_id, const char *activity_id,
				     char *status, size_t status_len);

/* ---- activities (catalog_activity_store.c) ---- */

enum hg_status catalog_activity_create(struct hg_db_pool *pool, const struct hg_principal *who, json_t *fields,
				       json_t **out);
/* One activity of who's district, whatever its status (visibility is the caller's rule). */
enum hg_status catalog_activity_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				    json_t **out);
/* A page, newest first, of activities whose status is in statuses (a PostgreSQL text[] literal). */
enum hg_status catalog_activity_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *statuses,
				     const struct hg_cursor *after, long limit, json_t **items, char **next);
/*
 * Apply validated changes (which may include "status") under the row lock:
 * HG_PRECONDITION_FAILED when if_match is stale, HG_CONFLICT with *why for
 * an archived activity or an impossible status move. A change that changes
 * nothing returns the current state and writes no event.
 */
enum hg_status catalog_activity_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				       json_t *changes, const char *if_match, json_t **out, const char **why);

/* ---- sessions (catalog_session_store.c) ---- */

/* Schedule a session of an activity that is not archived (HG_CONFLICT); code is its check-in code. */
enum hg_status catalog_session_create(struct hg_db_pool *pool, const struct hg_principal *who,
				      const char *activity_id, json_t *fields, const char *code, json_t **out,
				      const char **why);
/*
 * One session (with its check_in_code: the caller removes it for those who
 * may not see it); *activity_status (16 bytes) is its activity's status.
 */
enum hg_status catalog_session_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				   json_t **out, char *activity_status);
/* A page of an activity's sessions, earliest first (each with its check_in_code). */
enum hg_status catalog_session_list(struct hg_db_pool *pool, const struct hg_principal *who,
				    const char *activity_id, const struct hg_cursor *after, long limit,
				    json_t **items, char **next);
/* Move a session to completed or cancelled (see catalog_session_transition); cancelling re-evaluates completions. */
enum hg_status catalog_session_set_status(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
					  const char *status, const char *if_match, json_t **out, const char **why);

/* ---- registrations (catalog_registration_store.c) ---- */

/* Register educator for a session: registered or waitlisted in arrival order. */
enum hg_status catalog_registration_create(struct hg_db_pool *pool, const struct hg_principal *who,
					   const char *session_id, const char *educator, json_t **out,
					   const char **why);
/* One registration and its session's facilitators (new array). */
enum hg_status catalog_registration_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
					json_t **out, json_t **facilitators);
/* Cancel; a freed seat goes to the first waitlisted educator, exactly once. */
enum hg_status catalog_registration_cancel(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
					   const char *if_match, const char **why);
/* A page of a session's registrations in arrival order (statuses: text[] literal). */
enum hg_status catalog_registration_list(struct hg_db_pool *pool, const struct hg_principal *who,
					 const char *session_id, const char *statuses, const struct hg_cursor *after,
					 long limit, json_t **items, char **next);

/* ---- attendance (catalog_attendance_store.c) ---- */

/* Mark educators (ids: a JSON array of UUIDs) present; *out {"recorded":[...], "already_recorded":[ids]}. */
enum hg_status catalog_attendance_record(struct hg_db_pool *pool, const struct hg_principal *who,
					 const char *session_id, json_t *ids, json_t **out, const char **why);
/* Check who in with the session's code; *created says whether this call recorded it. */
enum hg_status catalog_checkin(struct hg_db_pool *pool, const struct hg_principal *who, const char *session_id,
			       const char *code, json_t **out, int *created, const char **why);

/* ---- credit requests (catalog_credit_store.c) ---- */

enum hg_status catalog_credit_create(struct hg_db_pool *pool, const struct hg_principal *who, json_t *fields,
				     json_t **out);
enum hg_status catalog_credit_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				  json_t **out);
/* A page, newest first; educator NULL = everyone's (admins), status NULL = any. */
enum hg_status catalog_credit_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *educator,
				   const char *status, const struct hg_cursor *after, long limit, json_t **items,
				   char **next);
enum hg_status catalog_credit_decide(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				     const char *decision, const char *reason, json_t **out, const char **why);

/* ---- transcripts (catalog_transcript_store.c) ---- */

/*
 * The transcript of educator between two dates (days since the epoch,
 * inclusive): *entries a page (newest first), *totals an object of credit
 * type → {"credits", "entries"} over the whole period.
 */
enum hg_status catalog_transcript_read(struct hg_db_pool *pool, const struct hg_principal *who, const char *educator,
				       int64_t from_days, int64_t to_days, const struct hg_cursor *after, long limit,
				       json_t **entries, char **next, json_t **totals);

/* Do who and educator share a school in the roster read model? */
enum hg_status catalog_shares_school(struct hg_db_pool *pool, const struct hg_principal *who, const char *educator,
				     int *shares);

#endif
