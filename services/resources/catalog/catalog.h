/* catalog.h - PD catalog: what every catalog noun shares (pure; no HTTP, no SQL).
 *
 * The catalog's domain files (activity.c, session.c, registration.c, attendance.c, credit.c, transcript.c,
 * roster_model.c) validate request bodies into normalised JSON objects for the store and decide the rules
 * (state machines, seats, check-in window, completion) as pure functions that return NULL or a reason of
 * services/resources/reasons.h; the *_store.c files run the SQL (and call the rules under the row locks) and
 * the *_handlers.c files speak HTTP.
 */
#ifndef CATALOG_H
#define CATALOG_H

#include "common/auth.h"

/* Is who a district admin (the PD office)? */
int catalog_is_admin(const struct hg_principal *who);

/* Are two UUID strings the same id (case-insensitive)? */
int catalog_same_id(const char *a, const char *b);

#endif
