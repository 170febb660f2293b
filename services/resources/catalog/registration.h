/* registration.h - registration for a session, the waitlist, who may do what (pure). */
#ifndef CATALOG_REGISTRATION_H
#define CATALOG_REGISTRATION_H

#include <jansson.h>
#include <stdint.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/status.h"
#include "common/validate.h"

struct hg_record_call;

/* Longest waitlist of one session; a registration beyond it is refused (409). */
#define CATALOG_WAITLIST_MAX 1000

/* A registration's statuses (the ?status= filter of a list). */
extern const char *const registration_statuses[];
/* A registration's approvals (the ?approval= filter of "my registrations"). */
extern const char *const registration_approvals[];

/*
 * Whom does a registration body register? body may be NULL (no body: the
 * caller themself) or {"educator_id": uuid}. Another educator than the
 * caller needs the district_admin role (HG_FORBIDDEN). HG_INVALID with errs
 * filled for a bad body. educator receives the lower-case id (37 bytes).
 */
enum hg_status registration_target(const struct hg_principal *who, json_t *body, json_t *errs, char *educator);

/*
 * Where does the next arrival go, given the session's seats? "registered"
 * while registered < capacity, else "waitlisted" while the waitlist has
 * room; HG_CONFLICT when it is full. *status is static.
 */
enum hg_status registration_place(long capacity, long registered, long waitlisted, const char **status);

/* May who cancel the registration of educator? (the educator, or a district admin) */
int registration_may_cancel(const struct hg_principal *who, const char *educator);

/* May who read the registration of educator for a session with these facilitators (JSON array)? */
int registration_may_read(const struct hg_principal *who, const char *educator, json_t *facilitators);

/* May who list a session's registrations? (its facilitators and district admins) */
int registration_may_list(const struct hg_principal *who, json_t *facilitators);

/* The ?status= filter of a registration list as a text[] literal (static); NULL when it is not a status. */
const char *registration_list_statuses(const char *filter);

/* A session as the registration rules see it, read under its row lock. */
struct registration_session {
	long capacity, registered, waitlisted;
	long long next_seq;
	char status[16], activity_status[16], activity_id[37];
	int64_t ends_us;
	int requires_approval; /* the activity's: registrations await a school leader's approval */
};

/*
 * The approval a new registration by who awaits: "pending" when the activity requires approval and who is not
 * a district admin (the PD office registering someone has approved it), else NULL (none). Static.
 */
const char *registration_approval(const struct hg_principal *who, const struct registration_session *s);

/* Validate {"decision": "approved"|"declined", "reason"} (reason 1-1000, required to decline): a new
 * {"approval", "reason"}, or NULL with every problem in errs. */
json_t *registration_validate_decision(json_t *body, const struct hg_input *in, json_t *errs);

/*
 * May who decide the registration of educator (status, approval: its own; leads: who is an active school leader
 * sharing an active school assignment with the educator) of the locked session at now_us? NULL, or the refusal:
 * forbidden (not an admin nor such a leader, or their own), then already cancelled, not pending, session over.
 */
const struct hg_reason *registration_rule_decide(const struct hg_principal *who, const char *educator, int leads,
						 const char *status, const char *approval,
						 const struct registration_session *s, int64_t now_us);

/* May who register on the locked session at now_us? NULL, or why not (hidden, closed, full). *place: where. */
const struct hg_reason *registration_rule_create(const struct hg_principal *who, const struct registration_session *s,
						 int64_t now_us, const char **place);

/*
 * May who cancel a registration of educator, now in status, of the locked session at now_us? NULL, or the
 * refusal (forbidden for others; then already cancelled, or the session is over).
 */
const struct hg_reason *registration_rule_cancel(const struct hg_principal *who, const char *educator,
						 const char *status, const struct registration_session *s,
						 int64_t now_us);

/* ---- the rules the CRUD kit calls ---- */

/* Reading one registration (state: its session's {"facilitators"}). */
const struct hg_reason *registration_rule_read(const struct hg_principal *who, json_t *record, json_t *state);
/* Listing a session's registrations (state: {"activity_status", "facilitators"}). */
const struct hg_reason *registration_rule_parent(const struct hg_principal *who, json_t *record, json_t *state);
/* The ?upcoming= filter of "my registrations". */
extern const char *const registration_upcoming_choices[];
/*
 * GET /v1/catalog/registrations (values: ?educator_id=, ?school_id=, ?status=, ?upcoming=, ?approval=): the
 * statement's arguments educator, school, status, upcoming ("true" or NULL), scope, who->sub and approval. The scope
 * says whose registrations who may see: "all" (district admins), "school" (school leaders: their own and those of
 * educators sharing a school with them, a ?school_id= only of their own schools), "self" (everyone else:
 * ?educator_id= only their own id, no ?school_id=; else the refusal).
 */
const struct hg_reason *registration_mine_args(const struct hg_principal *who, const char *const *values,
					       struct hg_record_call *call);
/* A list's statement argument: the statuses of ?status= as a text[] literal. */
const struct hg_reason *registration_list_args(const struct hg_principal *who, const char *const *values,
					       struct hg_record_call *call);

#endif
