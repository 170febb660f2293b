/* catalog_session.h - sessions of a PD activity: validation, status, check-in (pure). */
#ifndef RESOURCES_CATALOG_SESSION_H
#define RESOURCES_CATALOG_SESSION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "status.h"

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
 * NULL with every problem in errs.
 */
json_t *catalog_session_validate_create(json_t *body, json_t *errs);

/* Validate a session PATCH: {"status": "completed" | "cancelled"}. *status borrowed from body. */
int catalog_session_validate_patch(json_t *body, json_t *errs, const char **status);

/*
 * May a session move from `from` to `to`? registering → completed and
 * registering → cancelled; staying put is allowed (no change). Otherwise
 * HG_CONFLICT with *why.
 */
enum hg_status catalog_session_transition(const char *from, const char *to, const char **why);

/* Is who a facilitator of a session whose facilitators are the JSON array facilitators? */
int catalog_is_facilitator(const struct hg_principal *who, json_t *facilitators);

/* Hide a session's check_in_code (set it to null) unless who is a district admin or one of its facilitators. */
void catalog_session_redact(const struct hg_principal *who, json_t *session);

/* Fill code (CATALOG_CODE_LEN + 1 bytes) with a new random check-in code (A-Z and 2-9 without look-alikes). */
void catalog_checkin_code_new(char *code);

/*
 * Does a code typed by an educator match the session's? Case and
 * surrounding spaces are ignored; the comparison takes the same time
 * wherever the first difference is.
 */
int catalog_checkin_code_matches(const char *typed, const char *code);

/*
 * Is check-in open at now? From CATALOG_CHECKIN_EARLY_US before the start
 * until the end (all microseconds since the epoch). Returns -1 too early,
 * 0 open, 1 too late.
 */
int catalog_checkin_window(int64_t starts_us, int64_t ends_us, int64_t now_us);

#endif
