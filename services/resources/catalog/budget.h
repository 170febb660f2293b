/* budget.h - PD budgets: funding sources, the costs charged to them, substitute releases (pure: validation,
 * the charge rule, the release's half days, amounts as text).
 *
 * Amounts are integer cents everywhere (JSON integers named *_cents; CSV decimal text with two places), never
 * floating point. */
#ifndef CATALOG_BUDGET_H
#define CATALOG_BUDGET_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

#define BUDGET_MAX_ALLOCATION_CENTS 100000000000000LL /* one trillion dollars */
#define BUDGET_MAX_COST_CENTS 10000000000LL           /* one hundred million dollars a line */
#define BUDGET_MAX_DAILY_RATE_CENTS 10000000LL

/* The cost categories (NULL-terminated): facilitator_fees, substitute_coverage, materials, stipends, travel,
 * platforms. */
extern const char *const budget_categories[];
/* planned (committed) or actual (spent). */
extern const char *const budget_kinds[];

/* A new funding source: name (1-100), fiscal_year (2000-2100), allocation_cents (0-10^14), optional
 * allowed_categories and allowed_activity_types (null or 1.. distinct known values). New object or NULL. */
json_t *budget_validate_source_create(json_t *body, const struct hg_input *in, json_t *errs);
/* A change of a source: any of name, allocation_cents, allowed_categories, allowed_activity_types. */
json_t *budget_validate_source_patch(json_t *body, const struct hg_input *in, json_t *errs);
/* A charge: activity_id, optional session_id, category, kind (default planned), amount_cents (1-10^10),
 * description (<= 500), override (boolean, default false) with override_reason (1-1000, required with it). */
json_t *budget_validate_charge(json_t *body, const struct hg_input *in, json_t *errs);
/* The district's substitute settings: daily_rate_cents, school_day_start and school_day_end ("HH:MM", end
 * after start), time_zone (an IANA name; the store checks that PostgreSQL knows it). */
json_t *budget_validate_settings(json_t *body, const struct hg_input *in, json_t *errs);
/* A release for a registration: funding_source_id, optional school_id, kind, override, override_reason. */
json_t *budget_validate_release(json_t *body, const struct hg_input *in, json_t *errs);

/*
 * May a charge of amount_cents in category, for an activity of activity_type, go to a source whose state is
 * {"allocation_cents", "spent_cents", "committed_cents", "allowed_categories", "allowed_activity_types"}?
 * Every restriction it breaks is appended to broken (reason codes; a category first, then the activity type,
 * then an overdraft). Returns the first refusal, or NULL. *field: the body's field a restriction names
 * ("category", "activity_id"; "" for an overdraft).
 */
const struct hg_reason *budget_charge_check(json_t *state, const char *activity_type, const char *category,
					    int64_t amount_cents, json_t *broken, const char **field);

/* A source's change under its lock (state: {"spent_cents", "committed_cents"}): the allocation never falls below
 * what has been charged. */
const struct hg_reason *budget_rule_source_change(const struct hg_principal *who, json_t *state, json_t *changes);

/* Half days of a release for one school day: overlap_min minutes of the session in a school day of day_min
 * minutes → 0 (none), 1 (up to half the day), 2 (more). */
int budget_release_half_days(int64_t overlap_min, int64_t day_min);
/* The cost of half_days at daily_rate_cents, rounded half up to a cent (an odd rate's half day). */
int64_t budget_release_cents(int64_t half_days, int64_t daily_rate_cents);
/* ?fiscal_year= : a year 2000-2100 into *out; 0 when absent or not one. */
int budget_fiscal_year(const char *text, long *out);
/* The report of budget_store_report as CSV for a business office (a new string): one row per source (category
 * "total") and per source and category, amounts in dollars with two decimals. */
char *budget_report_csv(json_t *report);

/* Cents as decimal text with two places ("-12.05"); out of at least 24 bytes. */
void budget_format_cents(int64_t cents, char *out, size_t len);

#endif
