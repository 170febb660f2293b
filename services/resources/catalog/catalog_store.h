/* catalog_store.h - the PD catalog in PostgreSQL (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district: a row of another
 * district is indistinguishable from a missing one (HG_NOT_FOUND). Writes and
 * their events commit together (hg_outbox_write in the same transaction).
 * Activities, sessions, registrations (reads) and credit requests are
 * entities the CRUD kit runs (common/record.h); registering, cancelling,
 * attendance and transcripts have transactions of their own here.
 *
 * Locks, always taken in this order so transactions cannot deadlock: the
 * roster read model's rows of the educators a write names (FOR SHARE; the
 * roster consumer updates one, then locks sessions to withdraw a deactivated
 * educator), then the activity row, then a session row (both FOR NO KEY
 * UPDATE, which does not block the foreign-key checks of inserts that
 * reference them). A new session's facilitators are checked under its
 * activity's lock, which holds no session. Every change
 * to a session's registrations holds that session's row lock, which is what
 * serialises the seats and the waitlist (never oversold, arrival order kept).
 *
 * The stores' own transactions answer through a struct hg_record_call like
 * the kit's: call->record, and call->why when a rule refused (a reason of
 * services/resources/reasons.h; the status is then its status).
 */
#ifndef CATALOG_STORE_H
#define CATALOG_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common/auth.h"
#include "common/db.h"
#include "common/etag.h"
#include "common/outbox.h"
#include "common/page.h"
#include "common/reason.h"
#include "common/record.h"

/* ---- entities (the CRUD kit) ---- */

extern const struct hg_entity activity_entity;          /* activity_store.c */
extern const struct hg_entity proposal_entity;          /* activity_store.c: proposals and their decisions */
extern const struct hg_entity session_entity;           /* session_store.c: the activity's id is args[0] */
extern const struct hg_entity registration_entity;      /* registration_store.c: reads only */
extern const struct hg_entity registration_mine_entity; /* registration_store.c: "my registrations" (a list) */
extern const struct hg_entity credit_entity;            /* credit_store.c */

/* ---- completions (completion_store.c) ---- */

/* Lock an activity (FOR NO KEY UPDATE) and read its status; HG_NOT_FOUND when it is not in the district. */
enum hg_status completion_store_lock_activity(struct hg_db_conn *conn, const char *district_id, const char *activity_id,
					      char *status, size_t status_len);

/*
 * Record a completion for every educator (ids: PostgreSQL array literal, or
 * NULL for everyone who attended a session of the activity) who now meets
 * the activity's completion rule and has none yet, each with its
 * activity.completed event. Runs inside the caller's transaction, which must
 * hold the activity's row lock (so concurrent attendance cannot both miss
 * the moment the rule is met).
 */
enum hg_status completion_store_evaluate(struct hg_db_conn *conn, const char *district_id, const char *activity_id,
					 const char *ids);

/* ---- registrations (registration_store.c) ---- */

/* Register educator for a session: registered or waitlisted in arrival order (call->record). */
enum hg_status registration_store_create(struct hg_db_pool *pool, struct hg_record_call *call, const char *session_id,
					 const char *educator);
/* Cancel registration call->id (call->if_match); a freed seat goes to the first waitlisted educator, once. */
enum hg_status registration_store_cancel(struct hg_db_pool *pool, struct hg_record_call *call);
/*
 * Approve or decline (approval) the pending registration call->id (call->if_match), by a district admin or a
 * school leader of one of the educator's schools; reason may be NULL to approve. A declined registration is
 * cancelled and its seat goes to the first waitlisted educator, once (registration.declined, then
 * registration.promoted); an approved one keeps its place (registration.approved). call->record: the registration.
 */
enum hg_status registration_store_decide(struct hg_db_pool *pool, struct hg_record_call *call, const char *approval,
					 const char *reason);

/*
 * Inside the caller's transaction (the roster consumer's, which has just made educator inactive): cancel
 * each of the educator's registrations of a session still open (registering and not ended; the record of
 * sessions over stays), each with its registration.cancelled event; a freed seat goes to the first
 * waitlisted educator by arrival, once, with its registration.promoted event. Sessions are locked one at a
 * time in id order.
 */
enum hg_status registration_store_withdraw(struct hg_db_conn *conn, const char *district_id, const char *educator);

/*
 * Inside the caller's transaction, which holds the session's row lock (a session change): cancel every live
 * registration of the session, in arrival order, each with its registration.cancelled event, and empty its
 * counters. *changed: whether any was.
 */
enum hg_status registration_store_cancel_all(struct hg_db_conn *conn, const char *district_id, const char *session_id,
					     int *changed);
/*
 * The same for a session whose capacity may have grown: the free seats go to the first waitlisted educators by
 * arrival, once each, with a registration.promoted event each; the counters follow. *changed: whether any moved.
 */
enum hg_status registration_store_fill(struct hg_db_conn *conn, const char *district_id, const char *session_id,
				       int *changed);

/* ---- attendance (attendance_store.c) ---- */

/* Mark educators (ids: a JSON array of UUIDs) present; call->record {"recorded":[...], "already_recorded":[ids]}. */
enum hg_status attendance_store_record(struct hg_db_pool *pool, struct hg_record_call *call, const char *session_id,
				       json_t *ids);
/* Check call->who in with the session's code; call->changed says whether this call recorded it. */
enum hg_status attendance_store_checkin(struct hg_db_pool *pool, struct hg_record_call *call, const char *session_id,
					const char *code);

/* ---- transcripts (transcript_store.c) ---- */

/*
 * The transcript of educator between two dates (days since the epoch,
 * inclusive): page (newest first), *totals an object of credit type →
 * {"credits", "entries"} over the whole period.
 */
enum hg_status transcript_store_read(struct hg_db_pool *pool, const struct hg_principal *who, const char *educator,
				     int64_t from_days, int64_t to_days, struct hg_page *page, json_t **totals);

#endif
