/* session.h - sessions of a PD activity: validation, status, check-in (pure). */
#ifndef CATALOG_SESSION_H
#define CATALOG_SESSION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

#define CATALOG_CAPACITY_MAX 10000
#define CATALOG_FACILITATORS_MAX 20
#define CATALOG_SESSION_MAX_US (31LL * 86400 * 1000000) /* longest session: 31 days */
/* Check-in opens this long before a session starts and closes when it ends. */
#define CATALOG_CHECKIN_EARLY_US (30LL * 60 * 1000000)
#define CATALOG_CODE_LEN 8

/*
 * Validate a session body: starts_at < ends_at (RFC 3339, at most 31 days
 * apart), location and/or online_url (at least one), capacity 1..10000,
 * facilitators (≤ 20 distinct educator UUIDs). A new normalised object or
 * NULL with every problem in errs. The object carries a new check_in_code
 * (session_checkin_code_new) for the store.
 */
json_t *session_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/*
 * Validate a session PATCH: any of status ("completed" | "cancelled"), starts_at, ends_at, location, online_url
 * (null clears one; not both), capacity; at least one. A new object of the given fields (times also as
 * starts_us / ends_us, microseconds since the epoch, for the rules) or NULL.
 */
json_t *session_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/*
 * May a session move from `from` to `to`? registering → completed and
 * registering → cancelled; staying put is allowed (no change). NULL, or the
 * refusal.
 */
const struct hg_reason *session_transition(const char *from, const char *to);

/* Is who a facilitator of a session whose facilitators are the JSON array facilitators? */
int session_is_facilitator(const struct hg_principal *who, json_t *facilitators);

/* Hide a session's check_in_code (set it to null) unless who is a district admin or one of its facilitators. */
void session_redact(const struct hg_principal *who, json_t *session);

/* Fill code (CATALOG_CODE_LEN + 1 bytes) with a new random check-in code (A-Z and 2-9 without look-alikes). */
void session_checkin_code_new(char *code);

/*
 * Does a code typed by an educator match the session's? Case and
 * surrounding spaces are ignored; the comparison takes the same time
 * wherever the first difference is.
 */
int session_checkin_code_matches(const char *typed, const char *code);

/*
 * Is check-in open at now? From CATALOG_CHECKIN_EARLY_US before the start
 * until the end (all microseconds since the epoch). Returns -1 too early,
 * 0 open, 1 too late.
 */
int session_checkin_window(int64_t starts_us, int64_t ends_us, int64_t now_us);

/* ---- the rules the CRUD kit calls ---- */

/* A new session of an activity (state: the activity's {"status"}): not of an archived one. */
const struct hg_reason *session_rule_create(const struct hg_principal *who, json_t *state, json_t *changes);
/*
 * A change under the session's lock (state: status, capacity, registered_count, starts_us, ends_us, location,
 * online_url): a status move as session_transition; other fields only of a registering session (409), capacity
 * never below the registered count (409); a change to nothing new is unchanged.
 */
const struct hg_reason *session_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);
/*
 * The session after changes (state as above) is still a session: ends after it starts, at most 31 days long, has
 * a location or an online_url. NULL, or the refusal (HG_INVALID) and *field the body's field it is about.
 */
const struct hg_reason *session_check_change(json_t *state, json_t *changes, const char **field);
/* A session is hidden when its activity is (state: {"activity_status"}). */
const struct hg_reason *session_rule_read(const struct hg_principal *who, json_t *record, json_t *state);
/* session.cancelled, session.completed, or session.changed (time, place or capacity). */
const char *session_event_type(json_t *state, json_t *changes);
/* The session without its check-in code: codes never travel in events (new reference). */
json_t *session_event_data(json_t *record);

#endif
