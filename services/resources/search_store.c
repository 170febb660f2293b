/* search_store.c - listing and searching library resources in PostgreSQL. */
#include "search_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/*
 * The filters every listing shares: $1 district, $2 type, $3 subject, $4 grade_band, $5 topic,
 * $6 license, $7 review_overdue (NULL: any). An absent filter is a NULL parameter; the statements run
 * with custom plans (see begin_custom_plans), so the planner drops those conditions and uses the
 * indexes that fit the ones given. The array filters use @>, which the GIN index on the tags serves.
 */
#define FILTERS                                                                                         \
	" r.district_id = $1 AND r.deleted_at IS NULL"                                                  \
	" AND ($2::text IS NULL OR r.type = $2::text)"                                                  \
	" AND ($3::text IS NULL OR r.subjects @> ARRAY[$3::text])"                                      \
	" AND ($4::text IS NULL OR r.grade_bands @> ARRAY[$4::text])"                                   \
	" AND ($5::text IS NULL OR r.topics @> ARRAY[$5::text])"                                        \
	" AND ($6::text IS NULL OR r.license = $6::text)"                                               \
	" AND ($7::boolean IS NULL OR (r.review_due_on <= current_date) = $7::boolean)"

/* The cursor's created_at (microseconds since the epoch, $9) as a timestamptz. */
#define CURSOR_TIME "('epoch'::timestamptz + $9::bigint * interval '1 microsecond')"
#define MICROS(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

/* Newest first: the page index (district, created_at DESC, id DESC) walks in order. */
static const struct hg_stmt newest_stmt = {
	"library_list_newest",
	"SELECT library_resource_json(r)::text, " MICROS("r.created_at") ", r.id"
	" FROM library_resources r WHERE" FILTERS
	" AND ($10::uuid IS NULL OR (r.created_at, r.id) < (" CURSOR_TIME ", $10::uuid))"
	" ORDER BY r.created_at DESC, r.id DESC LIMIT $8",
	10};

/*
 * By relevance: rank every match (only the key columns, not the rows), keep the page, then build the
 * JSON of those rows alone. The rank is a float4; the cursor carries its exact bits back ($12).
 */
static const struct hg_stmt relevance_stmt = {
	"library_list_relevance",
	"WITH page AS ("
	" SELECT m.id, m.created_at, m.rank FROM ("
	"  SELECT r.id, r.created_at, ts_rank(r.search, query) AS rank"
	"  FROM library_resources r, websearch_to_tsquery('english', $11::text) AS query"
	"  WHERE" FILTERS " AND r.search @@ query) m"
	" WHERE $12::real IS NULL OR (m.rank, m.created_at, m.id) < ($12::real, " CURSOR_TIME ", $10::uuid)"
	" ORDER BY m.rank DESC, m.created_at DESC, m.id DESC LIMIT $8)"
	" SELECT library_resource_json(r)::text, " MICROS("page.created_at") ", page.id, page.rank::text"
	" FROM page JOIN library_resources r ON r.id = page.id"
	" ORDER BY page.rank DESC, page.created_at DESC, page.id DESC",
	12};

/* Facet values of one kind over the matching set m: the most frequent first (ties in byte order of the
 * value, whatever the database's collation), at most 50. */
#define FACET(expr, from)                                                                               \
	"(SELECT coalesce(json_object_agg(v, n ORDER BY n DESC, v COLLATE \"C\"), '{}') FROM"              \
	" (SELECT " expr " AS v, count(*) AS n FROM " from                                              \
	" GROUP BY 1 ORDER BY 2 DESC, " expr " COLLATE \"C\" LIMIT 50) f)"

static const struct hg_stmt facets_stmt = {
	"library_facets",
	"WITH m AS MATERIALIZED ("
	" SELECT r.type, r.subjects, r.grade_bands, r.topics, r.license FROM library_resources r"
	" WHERE" FILTERS
	" AND ($8::text IS NULL OR r.search @@ websearch_to_tsquery('english', $8::text)))"
	" SELECT json_build_object('total', (SELECT count(*) FROM m), 'facets', json_build_object("
	" 'type', " FACET("type", "m") ","
	" 'subject', " FACET("s", "m, unnest(m.subjects) AS s") ","
	" 'grade_band', " FACET("g", "m, unnest(m.grade_bands) AS g") ","
	" 'topic', " FACET("t", "m, unnest(m.topics) AS t") ","
	" 'license', " FACET("license", "m WHERE license IS NOT NULL") "))::text",
	8};

/*
 * Listing statements are prepared once per connection; after five runs PostgreSQL may switch to a
 * generic plan, which cannot drop the conditions of absent filters. Custom plans for this transaction only.
 */
static const struct hg_stmt custom_plans_stmt = {
	"library_custom_plans", "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)", 0};

static json_t *json_column(PGresult *res, int row, int col)
{
	json_error_t jerr;
	json_t *v = json_loads(PQgetvalue(res, row, col), 0, &jerr);
	if (v == NULL)
		hg_log(HG_LOG_ERROR, "database returned invalid JSON: %s", jerr.text);
	return v;
}

struct list_ctx {
	const struct hg_principal *who;
	const struct search_query *q;
	json_t *items;
	char *next;
	json_t *facets;
};

static void ctx_reset(struct list_ctx *c)
{
	json_decref(c->items);
	json_decref(c->facets);
	free(c->next);
	c->items = c->facets = NULL;
	c->next = NULL;
}

static enum hg_status page_tx(struct hg_db_conn *conn, void *arg)
{
	struct list_ctx *c = arg;
	const struct search_query *q = c->q;
	const char *overdue = q->review_overdue < 0 ? NULL : q->review_overdue ? "true" : "false";
	char lim[24], key[24], rank[32];
	const char *params[12] = {c->who->district_id, q->type, q->subject, q->grade_band, q->topic, q->license,
				  overdue, lim, NULL, NULL, q->q, NULL};
	PGresult *res = NULL;
	enum hg_status st;

	ctx_reset(c); /* a retried transaction starts over */
	/* One row more than asked tells whether another page follows. */
	snprintf(lim, sizeof(lim), "%ld", q->limit + 1);
	if (q->has_cursor) {
		snprintf(key, sizeof(key), "%lld", (long long)q->after.created_us);
		snprintf(rank, sizeof(rank), "%.9g", (double)q->after.rank); /* 9 digits: exact for a float */
		params[8] = key;
		params[9] = q->after.id;
		params[11] = rank;
	}
	st = hg_db_exec(conn, &custom_plans_stmt, NULL, NULL);
	if (st != HG_OK)
		goto out;
	int relevance = search_query_order(q) == SEARCH_RELEVANCE;
	st = hg_db_exec(conn, relevance ? &relevance_stmt : &newest_stmt, params, &res);
	if (st != HG_OK)
		goto out;

	int n = PQntuples(res);
	int shown = n > q->limit ? (int)q->limit : n;
	c->items = json_array();
	for (int i = 0; i < shown; i++) {
		json_t *item = json_column(res, i, 0);
		if (item == NULL) {
			st = HG_INTERNAL;
			goto out;
		}
		json_array_append_new(c->items, item);
	}
	if (n > q->limit && shown > 0) {
		struct search_cursor cur = {.order = search_query_order(q), .query_hash = search_query_hash(q)};
		cur.created_us = strtoll(PQgetvalue(res, shown - 1, 1), NULL, 10);
		snprintf(cur.id, sizeof(cur.id), "%s", PQgetvalue(res, shown - 1, 2));
		cur.rank = relevance ? strtof(PQgetvalue(res, shown - 1, 3), NULL) : 0.0f;
		c->next = search_cursor_encode(&cur);
	}
	PQclear(res);
	res = NULL;

	if (q->facets) {
		const char *fparams[8] = {c->who->district_id, q->type, q->subject, q->grade_band,
					  q->topic,            q->license, overdue, q->q};
		st = hg_db_exec(conn, &facets_stmt, fparams, &res);
		if (st != HG_OK)
			goto out;
		c->facets = json_column(res, 0, 0);
		if (c->facets == NULL)
			st = HG_INTERNAL;
	}
out:
	PQclear(res);
	return st;
}

enum hg_status search_store_list(struct hg_db_pool *pool, const struct hg_principal *who,
				 const struct search_query *q, json_t **items, char **next, json_t **facets)
{
	struct list_ctx c = {who, q, NULL, NULL, NULL};
	/* REPEATABLE READ: the page and its facet counts see the same snapshot. */
	enum hg_status st = hg_db_tx(pool, q->facets ? "REPEATABLE READ" : "READ COMMITTED", page_tx, &c);
	if (st != HG_OK) {
		ctx_reset(&c);
		return st;
	}
	*items = c.items;
	*next = c.next;
	*facets = c.facets;
	return HG_OK;
}
