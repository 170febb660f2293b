/* budget_release_store.c - substitute releases in PostgreSQL: the district's settings (daily rate, school day),
 * a registration's release charged to a funding source, and the releases per school and date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/outbox.h"
#include "services/resources/catalog/budget.h"
#include "services/resources/catalog/budget_store.h"
#include "services/resources/reasons.h"

/* ---- settings ---- */

static const struct hg_stmt settings_get_stmt = {
	"catalog_budget_settings_get",
	"SELECT catalog_budget_settings_json(s)::text FROM catalog_budget_settings s WHERE s.district_id = $1", 1};

static const struct hg_stmt zone_stmt = {"catalog_budget_zone", "SELECT 1 FROM pg_timezone_names WHERE name = $1", 1};

static const struct hg_stmt settings_put_stmt = {
	"catalog_budget_settings_put",
	"INSERT INTO catalog_budget_settings (district_id, updated_by, daily_rate_cents, school_day_start,"
	" school_day_end, time_zone)"
	" SELECT $1, $2, (d->>'daily_rate_cents')::bigint, (d->>'school_day_start')::time,"
	" (d->>'school_day_end')::time, d->>'time_zone' FROM (SELECT $3::jsonb AS d) AS input"
	" ON CONFLICT (district_id) DO UPDATE SET daily_rate_cents = EXCLUDED.daily_rate_cents,"
	" school_day_start = EXCLUDED.school_day_start, school_day_end = EXCLUDED.school_day_end,"
	" time_zone = EXCLUDED.time_zone, updated_by = EXCLUDED.updated_by, updated_at = clock_timestamp(),"
	" version = catalog_budget_settings.version + 1"
	" RETURNING catalog_budget_settings_json(catalog_budget_settings)::text",
	3};

enum hg_status budget_store_settings_get(struct hg_db_pool *pool, const struct hg_principal *who, json_t **out)
{
	struct hg_db_conn *conn = NULL;
	const char *params[1] = {who->district_id};
	*out = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_tx_row(conn, &settings_get_stmt, params, out);
	hg_db_release(pool, conn);
	return st;
}

static enum hg_status settings_tx(struct hg_db_conn *conn, void *arg)
{
	struct hg_record_call *call = arg;
	PGresult *res = NULL;
	char *text = NULL;
	hg_record_call_reset(call);
	const char *zparams[1] = {json_string_value(json_object_get(call->fields, "time_zone"))};
	enum hg_status st = hg_db_exec(conn, &zone_stmt, zparams, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = hg_record_refuse_field(call, RESOURCES_REFUSE(R_TIME_ZONE_UNKNOWN), "time_zone");
	PQclear(res);
	if (st != HG_OK)
		return st;
	text = json_dumps(call->fields, JSON_COMPACT);
	const char *params[3] = {call->who->district_id, call->who->sub, text};
	st = hg_tx_row(conn, &settings_put_stmt, params, &call->record);
	free(text);
	if (st != HG_OK)
		return st;
	call->changed = 1;
	return hg_outbox_write(conn, call->who->district_id, "budget_settings.updated", call->who->district_id,
			       call->record);
}

enum hg_status budget_store_settings_put(struct hg_db_pool *pool, struct hg_record_call *call)
{
	return hg_record_tx(pool, call, settings_tx, call);
}

/* ---- a release ---- */

static const struct hg_stmt rate_stmt = {
	"catalog_release_rate", "SELECT daily_rate_cents FROM catalog_budget_settings WHERE district_id = $1", 1};

static const struct hg_stmt registration_stmt = {
	"catalog_release_registration",
	"SELECT r.status, r.session_id, r.activity_id, r.educator_id,"
	" EXISTS (SELECT 1 FROM catalog_releases x WHERE x.registration_id = r.id)"
	" FROM catalog_registrations r WHERE r.district_id = $1 AND r.id = $2",
	2};

static const struct hg_stmt schools_stmt = {
	"catalog_release_schools",
	"SELECT school_id FROM roster_educator_schools WHERE district_id = $1 AND educator_id = $2 ORDER BY school_id",
	2};

/* Each school day (Monday to Friday, local time) the session touches: its date, the minutes of the session
 * within the school day, and the school day's minutes. */
static const struct hg_stmt days_stmt = {
	"catalog_release_days",
	"SELECT to_char(d, 'YYYY-MM-DD'),"
	" greatest(0, extract(epoch FROM least(x.e, d + st.school_day_end) - greatest(x.b, d + st.school_day_start)))::bigint"
	" / 60, (extract(epoch FROM st.school_day_end - st.school_day_start) / 60)::bigint"
	" FROM catalog_budget_settings st JOIN catalog_sessions s ON s.district_id = st.district_id,"
	" LATERAL (SELECT s.starts_at AT TIME ZONE st.time_zone AS b, s.ends_at AT TIME ZONE st.time_zone AS e) x,"
	" LATERAL generate_series(date_trunc('day', x.b), date_trunc('day', x.e), interval '1 day') d"
	" WHERE st.district_id = $1 AND s.id = $2 AND extract(isodow FROM d) < 6 ORDER BY d",
	2};

static const struct hg_stmt new_id_stmt = {"catalog_release_new_id", "SELECT gen_random_uuid()::text", 0};

static const struct hg_stmt release_insert_stmt = {
	"catalog_release_insert",
	"INSERT INTO catalog_releases (id, district_id, registration_id, session_id, activity_id, educator_id,"
	" school_id, first_date, last_date, days, half_days, daily_rate_cents, amount_cents, cost_id, created_by)"
	" SELECT (d->>'id')::uuid, $1, (d->>'registration_id')::uuid, (d->>'session_id')::uuid,"
	" (d->>'activity_id')::uuid, (d->>'educator_id')::uuid, (d->>'school_id')::uuid,"
	" (d->'days'->0->>'date')::date, (d->'days'->-1->>'date')::date, d->'days', (d->>'half_days')::integer,"
	" (d->>'daily_rate_cents')::bigint, (d->>'amount_cents')::bigint, (d->>'cost_id')::uuid, $3"
	" FROM (SELECT $2::jsonb AS d) AS input RETURNING catalog_release_json(catalog_releases)::text",
	3};

struct release_ctx {
	struct hg_record_call *call;
	const char *registration_id;
};

/* The school the release is for: the one named (one of the educator's), or the educator's only school. */
static enum hg_status release_school(struct hg_db_conn *conn, struct hg_record_call *call, const char *educator,
				     char *school)
{
	PGresult *res = NULL;
	const char *named = json_string_value(json_object_get(call->fields, "school_id"));
	const char *params[2] = {call->who->district_id, educator};
	enum hg_status st = hg_db_exec(conn, &schools_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	int n = PQntuples(res), found = 0;
	for (int i = 0; named != NULL && i < n; i++)
		found |= strcmp(PQgetvalue(res, i, 0), named) == 0;
	if (named != NULL && !found)
		st = hg_record_refuse_field(call, RESOURCES_REFUSE(R_RELEASE_SCHOOL_UNKNOWN), "school_id");
	else if (named == NULL && n != 1)
		st = hg_record_refuse_field(call, RESOURCES_REFUSE(R_RELEASE_SCHOOL_REQUIRED), "school_id");
	else
		snprintf(school, 37, "%s", named != NULL ? named : PQgetvalue(res, 0, 0));
out:
	PQclear(res);
	return st;
}

/* The session's school days as [{"date", "portion"}] and their half days. */
static enum hg_status release_days(struct hg_db_conn *conn, const struct hg_record_call *call, const char *session,
				   json_t **days, int64_t *half_days)
{
	PGresult *res = NULL;
	const char *params[2] = {call->who->district_id, session};
	*days = json_array();
	*half_days = 0;
	enum hg_status st = hg_db_exec(conn, &days_stmt, params, &res);
	for (int i = 0; st == HG_OK && i < PQntuples(res); i++) {
		int half = budget_release_half_days(hg_db_int(res, i, 1), hg_db_int(res, i, 2));
		if (half == 0)
			continue;
		*half_days += half;
		json_array_append_new(*days, json_pack("{s:s, s:s}", "date", PQgetvalue(res, i, 0), "portion",
						       half == 2 ? "full" : "half"));
	}
	PQclear(res);
	return st;
}

static enum hg_status release_tx(struct hg_db_conn *conn, void *arg)
{
	struct release_ctx *c = arg;
	struct hg_record_call *call = c->call;
	const char *district = call->who->district_id;
	PGresult *res = NULL;
	json_t *days = NULL, *charge = NULL, *release = NULL, *cost = NULL;
	char status[16] = "", session[37] = "", activity[37] = "", educator[37] = "", school[37] = "", id[37] = "";
	char rate_text[24] = "";
	int64_t half_days = 0, exists = 0;
	int found = 0;
	char *text = NULL;

	hg_record_call_reset(call);
	const char *params[2] = {district, c->registration_id};
	enum hg_status st = hg_db_exec(conn, &registration_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st != HG_OK)
		goto out;
	snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 0));
	snprintf(session, sizeof(session), "%s", PQgetvalue(res, 0, 1));
	snprintf(activity, sizeof(activity), "%s", PQgetvalue(res, 0, 2));
	snprintf(educator, sizeof(educator), "%s", PQgetvalue(res, 0, 3));
	exists = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
	PQclear(res);
	res = NULL;
	if (exists) {
		st = hg_record_refuse(call, RESOURCES_REFUSE(R_RELEASE_EXISTS));
		goto out;
	}
	if (strcmp(status, "registered") != 0) {
		st = hg_record_refuse(call, RESOURCES_REFUSE(R_RELEASE_NOT_REGISTERED));
		goto out;
	}
	st = hg_db_exec(conn, &rate_stmt, params, &res);
	found = st == HG_OK && PQntuples(res) > 0;
	if (found)
		snprintf(rate_text, sizeof(rate_text), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if (st == HG_OK && !found)
		st = hg_record_refuse(call, RESOURCES_REFUSE(R_BUDGET_SETTINGS_MISSING));
	if (st == HG_OK)
		st = release_school(conn, call, educator, school);
	if (st == HG_OK)
		st = release_days(conn, call, session, &days, &half_days);
	if (st == HG_OK && half_days == 0)
		st = hg_record_refuse(call, RESOURCES_REFUSE(R_RELEASE_OUTSIDE_SCHOOL_HOURS));
	if (st != HG_OK)
		goto out;
	int64_t rate = strtoll(rate_text, NULL, 10), amount = budget_release_cents(half_days, rate);
	st = hg_db_exec(conn, &new_id_stmt, NULL, &res);
	if (st != HG_OK || PQntuples(res) != 1) {
		st = st != HG_OK ? st : HG_INTERNAL;
		goto out;
	}
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	charge = json_pack("{s:s, s:s, s:s, s:O, s:I, s:s, s:O, s:O, s:s}", "activity_id", activity, "session_id",
			   session, "category", "substitute_coverage", "kind", json_object_get(call->fields, "kind"),
			   "amount_cents", (json_int_t)amount, "description", "substitute release", "override",
			   json_object_get(call->fields, "override"), "override_reason",
			   json_object_get(call->fields, "override_reason"), "release_id", id);
	st = budget_store_charge_in_tx(conn, call,
				       json_string_value(json_object_get(call->fields, "funding_source_id")), charge);
	if (st != HG_OK)
		goto out;
	cost = call->record;
	call->record = NULL;
	release =
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:I, s:I, s:I, s:O}", "id", id, "registration_id",
			  c->registration_id, "session_id", session, "activity_id", activity, "educator_id", educator,
			  "school_id", school, "days", days, "half_days", (json_int_t)half_days, "daily_rate_cents",
			  (json_int_t)rate, "amount_cents", (json_int_t)amount, "cost_id", json_object_get(cost, "id"));
	text = json_dumps(release, JSON_COMPACT);
	const char *iparams[3] = {district, text, call->who->sub};
	st = hg_tx_row(conn, &release_insert_stmt, iparams, &call->record);
	if (st == HG_CONFLICT)
		call->why = RESOURCES_REFUSE(R_RELEASE_EXISTS);
	if (st == HG_OK)
		st = hg_outbox_write(conn, district, "release.recorded", id, call->record);
out:
	PQclear(res);
	free(text);
	json_decref(days);
	json_decref(charge);
	json_decref(release);
	json_decref(cost);
	return st;
}

enum hg_status budget_store_release(struct hg_db_pool *pool, struct hg_record_call *call, const char *registration_id)
{
	struct release_ctx c = {call, registration_id};
	return hg_record_tx(pool, call, release_tx, &c);
}

/* ---- releases per school and date ---- */

#define LEADER_SCHOOLS                                                                \
	"SELECT es.school_id FROM roster_educator_schools es JOIN roster_educators e" \
	" ON e.district_id = es.district_id AND e.educator_id = es.educator_id"       \
	" WHERE es.district_id = $1 AND es.educator_id = $7::uuid AND e.status = 'active'"

/* By first date then id; $5 school, $6 a day (days since the epoch) the release covers, $7 a leader. */
static const struct hg_stmt releases_page_stmt = {
	"catalog_releases_page",
	"SELECT catalog_release_json(r)::text, (r.first_date - date '1970-01-01')::bigint, r.id"
	" FROM catalog_releases r WHERE r.district_id = $1"
	" AND (r.first_date, r.id) > (coalesce(date '1970-01-01' + $3::integer, '-infinity'::date),"
	" coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'))"
	" AND ($5::uuid IS NULL OR r.school_id = $5::uuid)"
	" AND ($6::integer IS NULL OR date '1970-01-01' + $6::integer BETWEEN r.first_date AND r.last_date)"
	" AND ($7::uuid IS NULL OR r.school_id IN (" LEADER_SCHOOLS "))"
	" ORDER BY r.first_date, r.id LIMIT $2",
	7};

/* Does leader ($3), active, lead school ($2)? */
static const struct hg_stmt leads_stmt = {
	"catalog_releases_leads",
	"SELECT 1 FROM roster_educator_schools es JOIN roster_educators e"
	" ON e.district_id = es.district_id AND e.educator_id = es.educator_id"
	" WHERE es.district_id = $1 AND es.school_id = $2::uuid AND es.educator_id = $3::uuid AND e.status = 'active'",
	3};

enum hg_status budget_store_releases(struct hg_db_pool *pool, const struct hg_principal *who, const char *leader,
				     const char *school, const char *date, struct hg_page *page)
{
	struct hg_db_conn *conn = NULL;
	struct hg_page_params pp;
	PGresult *res = NULL;
	hg_page_params(page, &pp);
	const char *params[7] = {who->district_id, pp.limit, pp.key_param, pp.id_param, school, date, leader};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK && leader != NULL && school != NULL) {
		const char *lparams[3] = {who->district_id, school, leader};
		st = hg_db_exec(conn, &leads_stmt, lparams, &res);
		if (st == HG_OK && PQntuples(res) == 0)
			st = HG_FORBIDDEN;
		PQclear(res);
	}
	if (st == HG_OK)
		st = hg_tx_page(conn, &releases_page_stmt, params, page);
	hg_db_release(pool, conn);
	return st;
}
