/* roster_model_store.c - the roster read model in PostgreSQL: applying educator events, and school scoping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "common/roster_event.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/roster_model_store.h"
#include "services/resources/reasons.h"

/* Only a newer version changes the row: a stale or replayed event returns no row. */
static const struct hg_stmt upsert_stmt = {
	"roster_educator_upsert",
	"INSERT INTO roster_educators (district_id, educator_id, status, version) VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (district_id, educator_id) DO UPDATE SET status = excluded.status, version = excluded.version,"
	" updated_at = clock_timestamp() WHERE roster_educators.version < excluded.version RETURNING 1",
	4};

static const struct hg_stmt clear_stmt = {
	"roster_schools_clear", "DELETE FROM roster_educator_schools WHERE district_id = $1 AND educator_id = $2", 2};

static const struct hg_stmt assign_stmt = {
	"roster_schools_assign",
	"INSERT INTO roster_educator_schools (district_id, educator_id, school_id)"
	" SELECT DISTINCT $1::uuid, $2::uuid, unnest($3::uuid[]) ON CONFLICT DO NOTHING",
	3};

/* Both active, and at least one school in common, in the caller's district. */
static const struct hg_stmt shares_stmt = {
	"roster_shares_school",
	"SELECT EXISTS (SELECT 1 FROM roster_educator_schools l"
	" JOIN roster_educator_schools e ON e.district_id = l.district_id AND e.school_id = l.school_id"
	" JOIN roster_educators le ON le.district_id = l.district_id AND le.educator_id = l.educator_id"
	" JOIN roster_educators ee ON ee.district_id = e.district_id AND ee.educator_id = e.educator_id"
	" WHERE l.district_id = $1 AND l.educator_id = $2 AND e.educator_id = $3"
	" AND le.status = 'active' AND ee.status = 'active')",
	3};

/* The rows of ids in the district, locked against a concurrent change of their status. */
static const struct hg_stmt active_stmt = {
	"roster_educators_lock",
	"SELECT educator_id::text, status FROM roster_educators WHERE district_id = $1 AND educator_id = ANY ($2::uuid[])"
	" ORDER BY educator_id FOR SHARE",
	2};

enum hg_status roster_model_store_lock_active(struct hg_db_conn *conn, const char *district_id, json_t *ids,
					      const struct hg_reason **why, size_t *bad)
{
	PGresult *res = NULL;
	char *lit;
	size_t i;
	json_t *id;
	enum hg_status st;

	*why = NULL;
	*bad = 0;
	if (json_array_size(ids) == 0)
		return HG_OK;
	lit = hg_db_uuid_array(ids);
	const char *params[2] = {district_id, lit};
	st = hg_db_exec(conn, &active_stmt, params, &res);
	free(lit);
	if (st == HG_OK)
		json_array_foreach(ids, i, id) {
			const struct hg_reason *found = RESOURCES_REFUSE(R_EDUCATOR_NOT_ON_ROSTER);
			for (int r = 0; r < PQntuples(res); r++)
				if (strcasecmp(PQgetvalue(res, r, 0), json_string_value(id)) == 0)
					found = strcmp(PQgetvalue(res, r, 1), "active") == 0
							? NULL
							: RESOURCES_REFUSE(R_EDUCATOR_INACTIVE);
			if (found != NULL) {
				*why = found;
				*bad = i;
				break;
			}
		}
	PQclear(res);
	return st;
}

enum hg_status roster_model_store_refuse(struct hg_record_call *call, const struct hg_reason *why, const char *field,
					 int indexed, size_t bad)
{
	char name[64];
	if (indexed)
		snprintf(name, sizeof(name), "%s[%zu]", field, bad);
	else
		snprintf(name, sizeof(name), "%s", field);
	return hg_record_refuse_field(call, why, name);
}

enum hg_status roster_model_store_require_active(struct hg_db_conn *conn, struct hg_record_call *call, json_t *ids,
						 const char *field, int indexed)
{
	const struct hg_reason *why;
	size_t bad;
	enum hg_status st = roster_model_store_lock_active(conn, call->who->district_id, ids, &why, &bad);
	if (st == HG_OK && why != NULL)
		st = roster_model_store_refuse(call, why, field, indexed, bad);
	return st;
}

enum hg_status roster_model_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg)
{
	struct hg_roster_educator ed;
	PGresult *res = NULL;
	char version[24], *schools = NULL;
	enum hg_status st;

	(void)arg;
	if (strcmp(topic, HG_ROSTER_TOPIC) != 0)
		return HG_OK;
	st = hg_roster_event_parse(event, &ed);
	if (st == HG_NOT_FOUND)
		return HG_OK; /* not an event this read model follows */
	if (st != HG_OK) {
		hg_log(HG_LOG_WARN, "roster event %s does not describe an educator; rejected",
		       json_string_value(json_object_get(event, "id")));
		return st;
	}
	snprintf(version, sizeof(version), "%lld", ed.version);
	const char *params[4] = {ed.district_id, ed.educator_id, ed.status, version};
	st = hg_db_exec(conn, &upsert_stmt, params, &res);
	if (st != HG_OK || PQntuples(res) == 0)
		goto out; /* stale: a newer version is already applied */
	/* A deactivated educator leaves the sessions still open (roster_model_store.h). */
	if (strcmp(ed.status, "active") != 0)
		st = registration_store_withdraw(conn, ed.district_id, ed.educator_id);
	if (st == HG_OK)
		st = hg_db_exec(conn, &clear_stmt, params, NULL);
	if (st != HG_OK || ed.school_ids == NULL || json_array_size(ed.school_ids) == 0)
		goto out;
	schools = hg_db_uuid_array(ed.school_ids);
	const char *assign[3] = {ed.district_id, ed.educator_id, schools};
	st = hg_db_exec(conn, &assign_stmt, assign, NULL);
out:
	free(schools);
	PQclear(res);
	return st;
}

enum hg_status roster_model_store_shares_school(struct hg_db_pool *pool, const struct hg_principal *who,
						const char *educator, int *shares)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	const char *params[3] = {who->district_id, who->sub, educator};
	enum hg_status st = hg_db_acquire(pool, &conn);

	*shares = 0;
	if (st == HG_OK)
		st = hg_db_exec(conn, &shares_stmt, params, &res);
	if (st == HG_OK)
		*shares = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	hg_db_release(pool, conn);
	return st;
}
