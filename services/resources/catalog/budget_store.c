/* budget_store.c - PD budgets in PostgreSQL: funding sources (an entity the CRUD kit runs), charges and
 * releases (transactions of their own), the substitute settings, the releases list and the reports.
 *
 * A charge locks its funding source's row (FOR NO KEY UPDATE) and judges it with the pure rule of budget.c
 * under that lock, then inserts the cost and adds it to the source's spent or committed counter in one
 * statement: charges to one source are serialised by the lock, so two racing for the last of an allocation are
 * judged one after the other and the second sees the first. The source's lock is the only lock a charge or a
 * release takes (activities, sessions and registrations are read, not locked), so it adds no edge to the
 * catalog's lock order (catalog_store.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/outbox.h"
#include "services/resources/catalog/budget.h"
#include "services/resources/catalog/budget_store.h"
#include "services/resources/reasons.h"

/* ---- funding sources (the CRUD kit) ---- */

#define RESTRICTION(field)                                                                                        \
	"CASE WHEN jsonb_typeof(d->'" field "') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(d->'" field \
	"')) END"

static const struct hg_stmt source_insert_stmt = {
	"catalog_funding_source_insert",
	"INSERT INTO catalog_funding_sources (district_id, created_by, name, fiscal_year, allocation_cents,"
	" allowed_categories, allowed_activity_types)"
	" SELECT $1, $2, d->>'name', (d->>'fiscal_year')::integer, (d->>'allocation_cents')::bigint,"
	" " RESTRICTION("allowed_categories") ", " RESTRICTION(
		"allowed_activity_types") " FROM (SELECT $3::jsonb AS d) AS input"
					  " RETURNING catalog_funding_source_json(catalog_funding_sources)::text",
	3};

static const struct hg_stmt source_get_stmt = {
	"catalog_funding_source_get",
	"SELECT catalog_funding_source_json(f)::text FROM catalog_funding_sources f"
	" WHERE f.district_id = $1 AND f.id = $2",
	2};

/* Newest first; $5 the fiscal year's text when not NULL (a year that is no number matches nothing). */
static const struct hg_stmt source_page_stmt = {
	"catalog_funding_source_page",
	"SELECT catalog_funding_source_json(f)::text, (extract(epoch FROM f.created_at) * 1000000)::bigint, f.id"
	" FROM catalog_funding_sources f WHERE f.district_id = $1"
	" AND (f.created_at, f.id) < (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" AND ($5::text IS NULL OR f.fiscal_year::text = $5::text)"
	" ORDER BY f.created_at DESC, f.id DESC LIMIT $2",
	5};

static const struct hg_stmt source_lock_stmt = {
	"catalog_funding_source_lock",
	"SELECT version, json_build_object('spent_cents', spent_cents, 'committed_cents', committed_cents)::text"
	" FROM catalog_funding_sources WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

static const struct hg_stmt source_update_stmt = {
	"catalog_funding_source_update",
	"UPDATE catalog_funding_sources SET name = coalesce(d->>'name', name),"
	" allocation_cents = coalesce((d->>'allocation_cents')::bigint, allocation_cents),"
	" allowed_categories = CASE WHEN d ? 'allowed_categories' THEN " RESTRICTION(
		"allowed_categories") " ELSE allowed_categories END,"
				      " allowed_activity_types = CASE WHEN d ? 'allowed_activity_types' THEN " RESTRICTION(
					      "allowed_activity_types") " ELSE allowed_activity_types END,"
									" updated_at = clock_timestamp(), version = version + 1"
									" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
									" RETURNING catalog_funding_source_json(catalog_funding_sources)::text",
	3};

const struct hg_entity funding_source_entity = {
	.name = "funding source",
	.insert = &source_insert_stmt,
	.get = &source_get_stmt,
	.page = &source_page_stmt,
	.lock = &source_lock_stmt,
	.update = &source_update_stmt,
	.created = "funding_source.created",
	.updated = "funding_source.updated",
	.change_rule = budget_rule_source_change,
};

/* ---- the costs charged to a source (a list; {id} is the source) ---- */

static const struct hg_stmt cost_parent_stmt = {
	"catalog_cost_parent", "SELECT '{}'::text FROM catalog_funding_sources WHERE district_id = $1 AND id = $2", 2};

static const struct hg_stmt cost_get_stmt = {"catalog_cost_get",
					     "SELECT catalog_cost_json(c)::text FROM catalog_costs c"
					     " WHERE c.district_id = $1 AND c.id = $2",
					     2};

/* Newest first; $5 the source, $6 an activity when not NULL. */
static const struct hg_stmt cost_page_stmt = {
	"catalog_cost_page",
	"SELECT catalog_cost_json(c)::text, (extract(epoch FROM c.created_at) * 1000000)::bigint, c.id"
	" FROM catalog_costs c WHERE c.district_id = $1 AND c.funding_source_id = $5::uuid"
	" AND (c.created_at, c.id) < (coalesce('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	" 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
	" AND ($6::uuid IS NULL OR c.activity_id = $6::uuid)"
	" ORDER BY c.created_at DESC, c.id DESC LIMIT $2",
	6};

const struct hg_entity cost_entity = {
	.name = "cost",
	.parent_name = "funding source",
	.get = &cost_get_stmt,
	.page = &cost_page_stmt,
	.parent = &cost_parent_stmt,
};

/* ---- a charge ---- */

static const struct hg_stmt activity_type_stmt = {
	"catalog_cost_activity_type", "SELECT type FROM catalog_activities WHERE district_id = $1 AND id = $2", 2};

static const struct hg_stmt session_of_stmt = {
	"catalog_cost_session_of",
	"SELECT 1 FROM catalog_sessions WHERE district_id = $1 AND id = $2 AND activity_id = $3", 3};

static const struct hg_stmt charge_lock_stmt = {
	"catalog_cost_source_lock",
	"SELECT json_build_object('allocation_cents', allocation_cents, 'spent_cents', spent_cents,"
	" 'committed_cents', committed_cents, 'allowed_categories', allowed_categories,"
	" 'allowed_activity_types', allowed_activity_types)::text"
	" FROM catalog_funding_sources WHERE district_id = $1 AND id = $2 FOR NO KEY UPDATE",
	2};

/* The cost and the source's counter in one statement: $3 source, $4 the charge (jsonb). */
static const struct hg_stmt charge_insert_stmt = {
	"catalog_cost_insert",
	"WITH c AS (INSERT INTO catalog_costs (district_id, created_by, funding_source_id, activity_id, session_id,"
	" category, kind, amount_cents, description, overridden, override_reason, release_id)"
	" SELECT $1, $2, $3, (d->>'activity_id')::uuid, (d->>'session_id')::uuid, d->>'category', d->>'kind',"
	" (d->>'amount_cents')::bigint, coalesce(d->>'description', ''),"
	" ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'overridden', '[]'))), d->>'override_reason',"
	" (d->>'release_id')::uuid FROM (SELECT $4::jsonb AS d) AS input"
	" RETURNING catalog_cost_json(catalog_costs)::text AS j, kind, amount_cents),"
	" u AS (UPDATE catalog_funding_sources f"
	" SET spent_cents = f.spent_cents + CASE WHEN c.kind = 'actual' THEN c.amount_cents ELSE 0 END,"
	" committed_cents = f.committed_cents + CASE WHEN c.kind = 'planned' THEN c.amount_cents ELSE 0 END,"
	" updated_at = clock_timestamp() FROM c WHERE f.district_id = $1 AND f.id = $3)"
	" SELECT j FROM c",
	4};

/* Read one text value of stmt's first row into out; *found whether there was a row. */
static enum hg_status read_text(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
				char *out, size_t len, int *found)
{
	PGresult *res = NULL;
	enum hg_status st = hg_db_exec(conn, stmt, params, &res);
	*found = st == HG_OK && PQntuples(res) > 0;
	if (*found && out != NULL)
		snprintf(out, len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return st;
}

enum hg_status budget_store_charge_in_tx(struct hg_db_conn *conn, struct hg_record_call *call, const char *source_id,
					 json_t *charge)
{
	const struct hg_principal *who = call->who;
	const char *activity = json_string_value(json_object_get(charge, "activity_id"));
	const char *session = json_string_value(json_object_get(charge, "session_id"));
	char type[64] = "";
	int found = 0;
	json_t *source = NULL, *broken = json_array(), *fields = NULL;
	char *text = NULL;
	const char *field;

	/* The source first (404 when it is not the district's), then what the charge names. */
	const char *lparams[2] = {who->district_id, source_id};
	enum hg_status st = hg_tx_row(conn, &charge_lock_stmt, lparams, &source);
	const char *aparams[3] = {who->district_id, activity, NULL};
	if (st == HG_OK)
		st = read_text(conn, &activity_type_stmt, aparams, type, sizeof(type), &found);
	if (st == HG_OK && !found)
		st = hg_record_refuse_field(call, RESOURCES_REFUSE(R_COST_ACTIVITY_UNKNOWN), "activity_id");
	if (st == HG_OK && session != NULL) {
		const char *sparams[3] = {who->district_id, session, activity};
		st = read_text(conn, &session_of_stmt, sparams, NULL, 0, &found);
		if (st == HG_OK && !found)
			st = hg_record_refuse_field(call, RESOURCES_REFUSE(R_COST_SESSION_NOT_OF_ACTIVITY),
						    "session_id");
	}
	if (st != HG_OK)
		goto out;
	const struct hg_reason *why =
		budget_charge_check(source, type, json_string_value(json_object_get(charge, "category")),
				    json_integer_value(json_object_get(charge, "amount_cents")), broken, &field);
	if (why != NULL && !json_is_true(json_object_get(charge, "override"))) {
		st = field[0] ? hg_record_refuse_field(call, why, field) : hg_record_refuse(call, why);
		goto out;
	}
	/* Allowed, or overridden by a district admin: the restrictions set aside are recorded with the cost. */
	fields = json_deep_copy(charge);
	json_object_set(fields, "overridden", broken);
	if (json_array_size(broken) == 0)
		json_object_set_new(fields, "override_reason", json_null());
	json_object_del(fields, "override");
	text = json_dumps(fields, JSON_COMPACT);
	const char *iparams[4] = {who->district_id, who->sub, source_id, text};
	json_decref(call->record);
	call->record = NULL;
	st = hg_tx_row(conn, &charge_insert_stmt, iparams, &call->record);
	if (st != HG_OK)
		goto out;
	call->changed = 1;
	st = hg_outbox_write(conn, who->district_id, "cost.charged",
			     json_string_value(json_object_get(call->record, "id")), call->record);
out:
	free(text);
	json_decref(fields);
	json_decref(source);
	json_decref(broken);
	return st;
}

struct charge_ctx {
	struct hg_record_call *call;
	const char *source_id;
};

static enum hg_status charge_tx(struct hg_db_conn *conn, void *arg)
{
	struct charge_ctx *c = arg;
	hg_record_call_reset(c->call);
	return budget_store_charge_in_tx(conn, c->call, c->source_id, c->call->fields);
}

enum hg_status budget_store_charge(struct hg_db_pool *pool, struct hg_record_call *call, const char *source_id)
{
	struct charge_ctx c = {call, source_id};
	return hg_record_tx(pool, call, charge_tx, &c);
}
