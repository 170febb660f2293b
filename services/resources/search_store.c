/* search_store.c - listing and searching library resources in PostgreSQL. */
#include "search_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/*
 * The filters every listing shares: $1 district, $2 type, $3 subject, $4 grade_band, $5 topic,
 * $6 license, $7 review_overdue (NULL: any). An absent filter is a NULL parameter. The array filters
 * use @>, which the GIN index on the tags can serve.
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
#define NEWEST_AFTER " AND ($10::uuid IS NULL OR (r.created_at, r.id) < (" CURSOR_TIME ", $10::uuid))"
#define NEWEST_PAGE " ORDER BY r.created_at DESC, r.id DESC LIMIT $8"

/* Newest first: the page index (district, created_at DESC, id DESC) walks in order. */
static const struct hg_stmt newest_stmt = {
	"library_list_newest",
	"SELECT library_resource_json(r)::text, " MICROS("r.created_at") ", r.id"
	" FROM library_resources r WHERE" FILTERS NEWEST_AFTER NEWEST_PAGE,
	10};

/* Most overdue first ($7 is true): the due index (district, review_due_on, id) walks in order. */
static const struct hg_stmt due_stmt = {
	"library_list_due",
	"SELECT library_resource_json(r)::text, (r.review_due_on - date '1970-01-01')::bigint, r.id"
	" FROM library_resources r WHERE" FILTERS
	" AND ($10::uuid IS NULL OR (r.review_due_on, r.id) > (date '1970-01-01' + $9::integer, $10::uuid))"
	" ORDER BY r.review_due_on, r.id LIMIT $8",
	10};

/*
 * By relevance, one tier at a time, newest first within a tier ($11 is q). No statement scores every
 * match (ts_rank had to, which cost O(matches) a page: docs/resources.md, "Search"). Each tier is read
 * in at most three steps, each bounded:
 *
 * 1. few: the tier's matches from its GIN index, at most FEW_MAX + 1 of them (MATERIALIZED keeps the
 *    planner from walking the page index instead), sorted. When there are no more than FEW_MAX, that is
 *    the whole tier and the page is exact: the cost is that of the few matches. With filters the GIN
 *    index still yields the tier's unfiltered matches, which the filters then thin out: the cap is
 *    FEW_MAX_FILTERED, so that a selective filter settles the tier here rather than after a long walk.
 * 2. walk: otherwise the word is common here, so walk the newest resources after the cursor through the
 *    page index and keep the tier's matches; the scan stops as soon as the page is full. With more than
 *    FEW_MAX matches it stops after about limit x resources / FEW_MAX rows, and never reads more than
 *    WALK_MAX. When it fills the page, those rows are the tier's newest matches.
 * 3. all: only when the walk ran out (matches sparse beyond WALK_MAX rows): every match of the tier, sorted.
 *
 * Every tier also requires the whole document to match, which only matters for negated words
 * ("fractions -decimals"): the tiers partition the matching resources.
 */
#define FEW_MAX "200"
#define FEW_MAX_FILTERED "1000"
#define WALK_MAX "4000"
/* q, parsed once per statement (a scalar subquery is an InitPlan), not once per row the plan visits. */
#define Q "(SELECT websearch_to_tsquery('english', $11::text))"
/* The small title and head vectors first: most rows a walk visits fail there, before the whole document is read. */
#define TIER_TITLE(x) x ".search_title @@ " Q " AND " x ".search @@ " Q
#define TIER_TOPICS(x) x ".search_head @@ " Q " AND NOT " x ".search_title @@ " Q " AND " x ".search @@ " Q
#define TIER_DESCRIPTION(x) x ".search @@ " Q " AND NOT " x ".search_head @@ " Q " AND NOT " x ".search_title @@ " Q
#define PAGE_JSON(extra)                                                                                \
	" SELECT library_resource_json(r)::text, " MICROS("m.created_at") ", m.id" extra                \
	" FROM m JOIN library_resources r ON r.id = m.id ORDER BY m.created_at DESC, m.id DESC"
#define MATCHES(filters, cond, cap)                                                                     \
	"WITH t AS MATERIALIZED (SELECT r.id, r.created_at FROM library_resources r"                     \
	" WHERE" filters NEWEST_AFTER " AND " cond cap "),"                                             \
	" m AS (SELECT t.id, t.created_at FROM t ORDER BY t.created_at DESC, t.id DESC LIMIT $8)"
#define FEW(filters, cond, cap) MATCHES(filters, cond, " LIMIT " cap " + 1") PAGE_JSON(", (SELECT count(*) FROM t)")
#define ALL(filters, cond) MATCHES(filters, cond, "") PAGE_JSON("")
#define WALK(filters, cond)                                                                             \
	"WITH w AS (SELECT r.* FROM library_resources r WHERE r.district_id = $1 AND r.deleted_at IS NULL" \
	NEWEST_AFTER " ORDER BY r.created_at DESC, r.id DESC LIMIT " WALK_MAX "),"                      \
	" m AS (SELECT r.id, r.created_at FROM w AS r WHERE" filters " AND " cond                       \
	" ORDER BY r.created_at DESC, r.id DESC LIMIT $8)" PAGE_JSON("")

/*
 * The same without filters, for the common case (words only): the absent filters are tested once per
 * statement (a one-time filter), not per row, so a generic plan serves and the statement is planned once
 * per connection instead of on every request. "(district_id = $1) IS TRUE" keeps a generic plan from
 * intersecting the GIN matches with the (district_id, id) index, which a district holding most rows
 * makes slow (10 ms of 14 for q=fractions with 100,000 resources); the GIN matches are few, so the
 * district is checked on them.
 */
#define NO_FILTERS                                                                                      \
	" (r.district_id = $1) IS TRUE AND r.deleted_at IS NULL AND $2::text IS NULL AND $3::text IS NULL"  \
	" AND $4::text IS NULL AND $5::text IS NULL AND $6::text IS NULL AND $7::boolean IS NULL"

#define TIER_ROW(name, cond)                                                                            \
	{{"library_few_" name, FEW(NO_FILTERS, cond, FEW_MAX), 11},                                     \
	 {"library_walk_" name, WALK(NO_FILTERS, cond), 11},                                            \
	 {"library_all_" name, ALL(NO_FILTERS, cond), 11},                                              \
	 {"library_few_filtered_" name, FEW(FILTERS, cond, FEW_MAX_FILTERED), 11},                      \
	 {"library_walk_filtered_" name, WALK(FILTERS, cond), 11},                                      \
	 {"library_all_filtered_" name, ALL(FILTERS, cond), 11}}

/* [tier][step]: steps few, walk, all, then the same with filters; tiers 1 description, 2 topics, 3 title. */
enum { STEP_FEW, STEP_WALK, STEP_ALL, STEPS };
static const struct hg_stmt tier_stmts[4][2 * STEPS] = {
	{{NULL, NULL, 0}},
	TIER_ROW("description", TIER_DESCRIPTION("r")),
	TIER_ROW("topics", TIER_TOPICS("r")),
	TIER_ROW("title", TIER_TITLE("r")),
};

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
 * Statements are prepared once per connection; after five runs PostgreSQL may switch to a generic plan,
 * which cannot drop the conditions of absent filters. The facet counts need that (to use the GIN index for
 * q, or none without it), so they run with custom plans, for their transaction only; so do the page
 * statements with filters or a cursor. The first page of words alone keeps its generic plan (NO_FILTERS):
 * planning the tier statements costs 2-3 ms each, which dominated that, the most common search.
 */
static const struct hg_stmt custom_plans_stmt = {
	"library_custom_plans", "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)", 0};

struct list_ctx {
	const struct hg_principal *who;
	const struct search_query *q;
	json_t *items;
	char *next;
	json_t *facets;
	struct search_cursor last;     /* sort key of the last row taken */
	struct search_cursor page_end; /* sort key of the page's last row */
};

static void ctx_reset(struct list_ctx *c)
{
	json_decref(c->items);
	json_decref(c->facets);
	free(c->next);
	c->items = c->facets = NULL;
	c->next = NULL;
}

/* Append rows of res to c->items, up to want in total, remembering each row's sort key. */
static enum hg_status take_rows(struct list_ctx *c, PGresult *res, int tier, long want)
{
	for (int i = 0; i < PQntuples(res) && (long)json_array_size(c->items) < want; i++) {
		json_t *item = hg_db_json(res, i, 0);
		if (item == NULL)
			return HG_INTERNAL;
		json_array_append_new(c->items, item);
		c->last.tier = tier;
		c->last.key = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		snprintf(c->last.id, sizeof(c->last.id), "%s", PQgetvalue(res, i, 2));
		if ((long)json_array_size(c->items) == c->q->limit)
			c->page_end = c->last; /* the cursor names the page's last row */
	}
	return HG_OK;
}

/* One tier's rows for a page: few, else walk, else all (see tier_stmts). */
static enum hg_status tier_rows(struct hg_db_conn *conn, const char *const *params, int filtered, long asked,
				int tier, PGresult **res)
{
	long cap = atol(filtered ? FEW_MAX_FILTERED : FEW_MAX);
	const struct hg_stmt *stmts = &tier_stmts[tier][filtered ? STEPS : 0];
	enum hg_status st = hg_db_exec(conn, &stmts[STEP_FEW], params, res);
	if (st != HG_OK || PQntuples(*res) == 0 || strtol(PQgetvalue(*res, 0, 3), NULL, 10) <= cap)
		return st;
	PQclear(*res);
	*res = NULL;
	st = hg_db_exec(conn, &stmts[STEP_WALK], params, res);
	if (st != HG_OK || PQntuples(*res) >= asked)
		return st;
	PQclear(*res);
	*res = NULL;
	return hg_db_exec(conn, &stmts[STEP_ALL], params, res);
}

static enum hg_status page_tx(struct hg_db_conn *conn, void *arg)
{
	struct list_ctx *c = arg;
	const struct search_query *q = c->q;
	const char *overdue = q->review_overdue < 0 ? NULL : q->review_overdue ? "true" : "false";
	enum search_order order = search_query_order(q);
	char lim[24], key[24];
	const char *params[11] = {c->who->district_id, q->type, q->subject, q->grade_band, q->topic, q->license,
				  overdue, lim, NULL, NULL, q->q};
	long want = q->limit + 1; /* one row more than asked tells whether another page follows */
	int filtered = q->type || q->subject || q->grade_band || q->topic || q->license || q->review_overdue >= 0;
	PGresult *res = NULL;
	enum hg_status st = HG_OK;

	ctx_reset(c); /* a retried transaction starts over */
	c->items = json_array();
	if (order != SEARCH_RELEVANCE) {
		snprintf(lim, sizeof(lim), "%ld", want);
		if (q->has_cursor) {
			snprintf(key, sizeof(key), "%lld", (long long)q->after.key);
			params[8] = key;
			params[9] = q->after.id;
		}
		st = hg_db_exec(conn, order == SEARCH_DUE ? &due_stmt : &newest_stmt, params, &res);
		if (st == HG_OK)
			st = take_rows(c, res, 0, want);
	} else {
		/*
		 * With filters or a cursor, custom plans: a generic plan cannot drop the absent conditions
		 * ("$2 IS NULL OR ..."); for the filtered tier statements it was measured at 11.7 ms against
		 * 2.1 ms (planning included) for a custom one (100,000 resources, q=fractions). The first
		 * page of words alone keeps its cached generic plan (NO_FILTERS).
		 */
		if (filtered || q->has_cursor) {
			st = hg_db_exec(conn, &custom_plans_stmt, NULL, NULL);
			if (st != HG_OK)
				goto out;
		}
		/* Tiers from the title down, starting at the cursor's; only its own tier resumes after it. */
		for (int tier = q->has_cursor ? q->after.tier : SEARCH_TIER_TITLE;
		     tier >= SEARCH_TIER_DESCRIPTION && (long)json_array_size(c->items) < want; tier--) {
			int resume = q->has_cursor && tier == q->after.tier;
			long asked = want - (long)json_array_size(c->items);
			snprintf(lim, sizeof(lim), "%ld", asked);
			if (resume)
				snprintf(key, sizeof(key), "%lld", (long long)q->after.key);
			params[8] = resume ? key : NULL;
			params[9] = resume ? q->after.id : NULL;
			PQclear(res);
			res = NULL;
			st = tier_rows(conn, params, filtered, asked, tier, &res);
			if (st == HG_OK)
				st = take_rows(c, res, tier, want);
			if (st != HG_OK)
				break;
		}
	}
	if (st != HG_OK)
		goto out;
	if ((long)json_array_size(c->items) > q->limit) {
		json_array_remove(c->items, json_array_size(c->items) - 1);
		struct search_cursor cur = c->page_end;
		cur.order = order;
		cur.tier = order == SEARCH_RELEVANCE ? cur.tier : 0;
		cur.query_hash = search_query_hash(q);
		c->next = search_cursor_encode(&cur);
	}
	PQclear(res);
	res = NULL;

	if (q->facets) {
		st = hg_db_exec(conn, &custom_plans_stmt, NULL, NULL);
		if (st != HG_OK)
			goto out;
		const char *fparams[8] = {c->who->district_id, q->type, q->subject, q->grade_band,
					  q->topic,            q->license, overdue, q->q};
		st = hg_db_exec(conn, &facets_stmt, fparams, &res);
		if (st != HG_OK)
			goto out;
		c->facets = hg_db_json(res, 0, 0);
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
	struct list_ctx c = {.who = who, .q = q};
	/* REPEATABLE READ: the tiers of a page and its facet counts see one snapshot. */
	enum hg_status st = hg_db_tx(pool, "REPEATABLE READ", page_tx, &c);
	if (st != HG_OK) {
		ctx_reset(&c);
		return st;
	}
	*items = c.items;
	*next = c.next;
	*facets = c.facets;
	return HG_OK;
}
