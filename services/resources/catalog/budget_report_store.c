/* budget_report_store.c - the budget reports of a fiscal year in PostgreSQL: spent and committed against
 * allocation per source and category, cost per participant and per completed clock hour per activity, cost per
 * school. Sums are exact (bigint cents summed as numeric); a ratio is rounded half up to a cent once, at the end.
 *
 * A year's costs are those charged to its funding sources. Participants of an activity are the educators with
 * attendance at one of its sessions; its completed hours the clock hours of its completions. A school's cost is
 * its teachers' substitute releases plus, for each participant of the school, the activity's other costs (every
 * line not a release) divided by the activity's participants; an educator of two schools counts for both. */
#include <stdio.h>

#include "services/resources/catalog/budget_store.h"

static const struct hg_stmt sources_stmt = {
	"catalog_budget_report_sources",
	"SELECT json_build_object('sources', coalesce(json_agg(json_build_object('funding_source_id', f.id, 'name',"
	" f.name, 'allocation_cents', f.allocation_cents, 'spent_cents', f.spent_cents, 'committed_cents',"
	" f.committed_cents, 'available_cents', f.allocation_cents - f.spent_cents - f.committed_cents,"
	" 'allowed_categories', f.allowed_categories, 'allowed_activity_types', f.allowed_activity_types,"
	" 'categories', (SELECT coalesce(json_agg(json_build_object('category', k.category, 'spent_cents', k.spent,"
	" 'committed_cents', k.committed) ORDER BY k.category), '[]') FROM (SELECT c.category,"
	" coalesce(sum(c.amount_cents) FILTER (WHERE c.kind = 'actual'), 0) AS spent,"
	" coalesce(sum(c.amount_cents) FILTER (WHERE c.kind = 'planned'), 0) AS committed"
	" FROM catalog_costs c WHERE c.district_id = $1 AND c.funding_source_id = f.id GROUP BY c.category) k))"
	" ORDER BY f.name, f.id), '[]'),"
	" 'totals', json_build_object('allocation_cents', coalesce(sum(f.allocation_cents), 0), 'spent_cents',"
	" coalesce(sum(f.spent_cents), 0), 'committed_cents', coalesce(sum(f.committed_cents), 0), 'available_cents',"
	" coalesce(sum(f.allocation_cents - f.spent_cents - f.committed_cents), 0)))::text"
	" FROM catalog_funding_sources f WHERE f.district_id = $1 AND f.fiscal_year = $2::integer",
	2};

/* The year's costs per activity, its participants and completed hours (shared by both reports). */
#define YEAR_CTES                                                                                                   \
	"WITH costs AS (SELECT c.activity_id, sum(c.amount_cents) AS total,"                                        \
	" coalesce(sum(c.amount_cents) FILTER (WHERE c.kind = 'actual'), 0) AS spent,"                              \
	" coalesce(sum(c.amount_cents) FILTER (WHERE c.kind = 'planned'), 0) AS committed,"                         \
	" coalesce(sum(c.amount_cents) FILTER (WHERE c.release_id IS NULL), 0) AS shared"                           \
	" FROM catalog_costs c JOIN catalog_funding_sources f ON f.district_id = c.district_id"                     \
	" AND f.id = c.funding_source_id WHERE c.district_id = $1 AND f.fiscal_year = $2::integer"                  \
	" GROUP BY c.activity_id),"                                                                                 \
	" att AS (SELECT DISTINCT t.activity_id, t.educator_id FROM catalog_attendance t"                           \
	" WHERE t.district_id = $1 AND t.activity_id IN (SELECT activity_id FROM costs)),"                          \
	" part AS (SELECT activity_id, count(*) AS n FROM att GROUP BY activity_id),"                               \
	" hours AS (SELECT m.activity_id, coalesce(sum(m.clock_hours), 0) AS h, count(*) AS completions"            \
	" FROM catalog_completions m WHERE m.district_id = $1 AND m.activity_id IN (SELECT activity_id FROM costs)" \
	" GROUP BY m.activity_id) "

static const struct hg_stmt activities_stmt = {
	"catalog_budget_report_activities",
	YEAR_CTES
	"SELECT coalesce(json_agg(json_build_object('activity_id', a.id, 'title', a.title, 'type', a.type,"
	" 'spent_cents', costs.spent, 'committed_cents', costs.committed, 'cost_cents', costs.total,"
	" 'participants', coalesce(part.n, 0), 'completions', coalesce(hours.completions, 0),"
	" 'completed_clock_hours', coalesce(hours.h, 0)::numeric(12, 2)::text,"
	" 'cost_per_participant_cents', CASE WHEN part.n > 0 THEN round(costs.total::numeric / part.n)::bigint END,"
	" 'cost_per_clock_hour_cents', CASE WHEN hours.h > 0 THEN round(costs.total::numeric / hours.h)::bigint END)"
	" ORDER BY a.title, a.id), '[]')::text"
	" FROM costs JOIN catalog_activities a ON a.id = costs.activity_id"
	" LEFT JOIN part ON part.activity_id = costs.activity_id LEFT JOIN hours ON hours.activity_id = costs.activity_id",
	2};

static const struct hg_stmt schools_stmt = {
	"catalog_budget_report_schools",
	YEAR_CTES
	", sub AS (SELECT r.school_id, sum(r.amount_cents) AS cents FROM catalog_releases r"
	" JOIN catalog_costs c ON c.id = r.cost_id JOIN catalog_funding_sources f ON f.district_id = c.district_id"
	" AND f.id = c.funding_source_id WHERE r.district_id = $1 AND f.fiscal_year = $2::integer"
	" GROUP BY r.school_id),"
	" sch AS (SELECT es.school_id, count(DISTINCT att.educator_id) AS participants,"
	" sum(costs.shared::numeric / part.n) AS shared"
	" FROM att JOIN roster_educator_schools es ON es.district_id = $1 AND es.educator_id = att.educator_id"
	" JOIN costs ON costs.activity_id = att.activity_id JOIN part ON part.activity_id = att.activity_id"
	" GROUP BY es.school_id),"
	" mine AS (SELECT es.school_id FROM roster_educator_schools es JOIN roster_educators e"
	" ON e.district_id = es.district_id AND e.educator_id = es.educator_id"
	" WHERE es.district_id = $1 AND es.educator_id = $3::uuid AND e.status = 'active')"
	" SELECT coalesce(json_agg(json_build_object('school_id', s.school_id, 'participants',"
	" coalesce(sch.participants, 0), 'substitute_cents', coalesce(sub.cents, 0), 'shared_cents',"
	" round(coalesce(sch.shared, 0))::bigint, 'cost_cents', coalesce(sub.cents, 0) + round(coalesce(sch.shared, 0))::bigint,"
	" 'cost_per_participant_cents', CASE WHEN sch.participants > 0 THEN"
	" round((coalesce(sub.cents, 0) + coalesce(sch.shared, 0)) / sch.participants)::bigint END)"
	" ORDER BY s.school_id), '[]')::text"
	" FROM (SELECT school_id FROM sub UNION SELECT school_id FROM sch) s"
	" LEFT JOIN sub ON sub.school_id = s.school_id LEFT JOIN sch ON sch.school_id = s.school_id"
	" WHERE $3::uuid IS NULL OR s.school_id IN (SELECT school_id FROM mine)",
	3};

enum hg_status budget_store_report_schools(struct hg_db_pool *pool, const struct hg_principal *who, long fiscal_year,
					   const char *leader, json_t **out)
{
	struct hg_db_conn *conn = NULL;
	char year[16];
	snprintf(year, sizeof(year), "%ld", fiscal_year);
	const char *params[3] = {who->district_id, year, leader};
	*out = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_tx_row(conn, &schools_stmt, params, out);
	hg_db_release(pool, conn);
	return st;
}

/* One snapshot for the three parts, so their sums agree with each other. */
struct report_ctx {
	const struct hg_principal *who;
	const char *year;
	json_t *out;
};

static enum hg_status report_tx(struct hg_db_conn *conn, void *arg)
{
	struct report_ctx *c = arg;
	json_t *activities = NULL, *schools = NULL;
	const char *params[3] = {c->who->district_id, c->year, NULL};
	json_decref(c->out);
	c->out = NULL;
	enum hg_status st = hg_tx_row(conn, &sources_stmt, params, &c->out);
	if (st == HG_OK)
		st = hg_tx_row(conn, &activities_stmt, params, &activities);
	if (st == HG_OK)
		st = hg_tx_row(conn, &schools_stmt, params, &schools);
	if (st == HG_OK) {
		json_object_set_new(c->out, "activities", activities);
		json_object_set_new(c->out, "schools", schools);
		activities = schools = NULL;
	}
	json_decref(activities);
	json_decref(schools);
	return st;
}

enum hg_status budget_store_report(struct hg_db_pool *pool, const struct hg_principal *who, long fiscal_year,
				   json_t **out)
{
	char year[16];
	snprintf(year, sizeof(year), "%ld", fiscal_year);
	struct report_ctx c = {who, year, NULL};
	enum hg_status st = hg_db_tx(pool, "REPEATABLE READ READ ONLY", report_tx, &c);
	if (st != HG_OK) {
		json_decref(c.out);
		c.out = NULL;
	}
	*out = c.out;
	return st;
}
