/* catalog_credit.h - credit requests for learning done elsewhere (pure). */
#ifndef RESOURCES_CATALOG_CREDIT_H
#define RESOURCES_CATALOG_CREDIT_H

#include <jansson.h>
#include <stdint.h>

#include "auth.h"
#include "status.h"

/*
 * Validate a credit request: title, provider (1-200), description (≤ 2000),
 * start_date ≤ end_date (YYYY-MM-DD), end_date not after today_days + 1
 * (days since the epoch; the learning has happened), hours (0 < h ≤ 1000,
 * two decimals), evidence_url (http/https). A new normalised object or NULL
 * with every problem in errs.
 */
json_t *catalog_credit_validate_create(json_t *body, int64_t today_days, json_t *errs);

/* {"decision": "approved"|"denied", "reason": 1-1000 characters}; borrowed outputs, or 0 with errs. */
int catalog_credit_validate_decision(json_t *body, json_t *errs, const char **decision, const char **reason);

/* May who read a request made by educator? (the educator, or a district admin) */
int catalog_credit_may_read(const struct hg_principal *who, const char *educator);

/* May who decide a request made by educator? Admins only, and never their own (HG_FORBIDDEN). */
enum hg_status catalog_credit_may_decide(const struct hg_principal *who, const char *educator);

/* May a request in status be decided? (pending only; else HG_CONFLICT) */
enum hg_status catalog_credit_decidable(const char *status);

#endif
