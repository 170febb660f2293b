/* credit.h - credit requests for learning done elsewhere (pure). */
#ifndef CATALOG_CREDIT_H
#define CATALOG_CREDIT_H

#include <jansson.h>
#include <stdint.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/status.h"
#include "common/validate.h"

struct hg_record_call;

/* A credit request's statuses (the ?status= filter of a list). */
extern const char *const credit_statuses[];

/*
 * Validate a credit request: title, provider (1-200), description (≤ 2000),
 * start_date ≤ end_date (YYYY-MM-DD), end_date not after in->today + 1 (the
 * learning has happened), hours (0 < h ≤ 1000, two decimals), evidence_url
 * (http/https). A new normalised object or NULL with every problem in errs.
 */
json_t *credit_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/* {"decision": "approved"|"denied", "reason": 1-1000 characters} → a new {"status", "reason"}, or NULL with errs. */
json_t *credit_validate_decision(json_t *body, const struct hg_input *in, json_t *errs);

/* May who read a request made by educator? (the educator, or a district admin) */
int credit_may_read(const struct hg_principal *who, const char *educator);

/* May who decide a request made by educator? Admins only, and never their own (HG_FORBIDDEN). */
enum hg_status credit_may_decide(const struct hg_principal *who, const char *educator);

/* May a request in status be decided? (pending only; else HG_CONFLICT) */
enum hg_status credit_decidable(const char *status);

/* ---- the rules the CRUD kit calls ---- */

const struct hg_reason *credit_rule_read(const struct hg_principal *who, json_t *record, json_t *state);
/* A decision under the row lock (state: {"educator_id", "status"}). */
const struct hg_reason *credit_rule_decide(const struct hg_principal *who, json_t *state, json_t *changes);
/* A list's arguments: the educator (others than district admins see their own only), then the status. */
const struct hg_reason *credit_list_args(const struct hg_principal *who, const char *const *values,
					 struct hg_record_call *call);

#endif
