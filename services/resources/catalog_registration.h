/* catalog_registration.h - registration for a session, the waitlist, who may do what (pure). */
#ifndef RESOURCES_CATALOG_REGISTRATION_H
#define RESOURCES_CATALOG_REGISTRATION_H

#include <jansson.h>

#include "auth.h"
#include "status.h"

/* Longest waitlist of one session; a registration beyond it is refused (409). */
#define CATALOG_WAITLIST_MAX 1000

/*
 * Whom does a registration body register? body may be NULL (no body: the
 * caller themself) or {"educator_id": uuid}. Another educator than the
 * caller needs the district_admin role (HG_FORBIDDEN). HG_INVALID with errs
 * filled for a bad body. educator receives the lower-case id (37 bytes).
 */
enum hg_status catalog_registration_target(const struct hg_principal *who, json_t *body, json_t *errs,
					   char *educator);

/*
 * Where does the next arrival go, given the session's seats? "registered"
 * while registered < capacity, else "waitlisted" while the waitlist has
 * room; HG_CONFLICT when it is full. *status is static.
 */
enum hg_status catalog_registration_place(long capacity, long registered, long waitlisted, const char **status);

/* May who cancel the registration of educator? (the educator, or a district admin) */
int catalog_registration_may_cancel(const struct hg_principal *who, const char *educator);

/* May who read the registration of educator for a session with these facilitators (JSON array)? */
int catalog_registration_may_read(const struct hg_principal *who, const char *educator, json_t *facilitators);

/* May who list a session's registrations? (its facilitators and district admins) */
int catalog_registration_may_list(const struct hg_principal *who, json_t *facilitators);

/* The ?status= filter of a registration list as a text[] literal (static); NULL when it is not a status. */
const char *catalog_registration_list_statuses(const char *filter);

#endif
