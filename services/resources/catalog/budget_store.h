/* budget_store.h - PD budgets in PostgreSQL (SQL only; no HTTP): funding sources, the costs charged to them,
 * the district's substitute settings, releases, and the budget reports. Every statement is scoped by the
 * caller's district. Amounts are bigint cents. */
#ifndef BUDGET_STORE_H
#define BUDGET_STORE_H

#include <jansson.h>

#include "common/auth.h"
#include "common/db.h"
#include "common/page.h"
#include "common/record.h"

extern const struct hg_entity funding_source_entity; /* budget_store.c */
extern const struct hg_entity cost_entity;           /* budget_store.c: the costs of a source (args[0]) */

/*
 * Charge call->fields (validated by budget_validate_charge) to source_id, in one transaction: the source locked,
 * the activity (and session) checked, the restrictions and the allocation judged (a refusal, or with override
 * the broken restrictions recorded), the cost inserted and counted on the source, its cost.charged event.
 * call->record: the cost.
 */
enum hg_status budget_store_charge(struct hg_db_pool *pool, struct hg_record_call *call, const char *source_id);
/* The same inside the caller's transaction (a release's), for charge (a validated charge, plus "release_id"). */
enum hg_status budget_store_charge_in_tx(struct hg_db_conn *conn, struct hg_record_call *call, const char *source_id,
					 json_t *charge);

/* The district's substitute settings (HG_NOT_FOUND when none) into *out (new reference). */
enum hg_status budget_store_settings_get(struct hg_db_pool *pool, const struct hg_principal *who, json_t **out);
/* Set them (call->fields: budget_validate_settings'); call->record the settings; budget_settings.updated. */
enum hg_status budget_store_settings_put(struct hg_db_pool *pool, struct hg_record_call *call);

/*
 * Record the release of registration_id (call->fields: budget_validate_release's): the educator's school, the
 * school days the session overlaps in the district's school hours (half or full days), their cost at the daily
 * rate charged to the funding source as substitute_coverage (budget_store_charge_in_tx), the release; events
 * cost.charged and release.recorded. call->record: the release.
 */
enum hg_status budget_store_release(struct hg_db_pool *pool, struct hg_record_call *call, const char *registration_id);

/*
 * A page of releases (by first date, then id), of school (or every school when NULL) touching date (days
 * since the epoch, or any when date is NULL); leader: a school leader's educator id (only their schools), NULL
 * for a district admin. HG_FORBIDDEN when leader names a school that is not theirs.
 */
enum hg_status budget_store_releases(struct hg_db_pool *pool, const struct hg_principal *who, const char *leader,
				     const char *school, const char *date, struct hg_page *page);

/* The budget report of a fiscal year (docs/resources.md "Budgets"): *out new {"fiscal_year", "totals", "sources",
 * "activities", "schools"}. */
enum hg_status budget_store_report(struct hg_db_pool *pool, const struct hg_principal *who, long fiscal_year,
				   json_t **out);
/* Cost per school for a fiscal year: *out a new array of school rows; leader as for budget_store_releases. */
enum hg_status budget_store_report_schools(struct hg_db_pool *pool, const struct hg_principal *who, long fiscal_year,
					   const char *leader, json_t **out);

#endif
