/* search_store.c - listing and searching library resources in PostgreSQL. */
#include "services/resources/library/search_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "services/resources/library/facet_cache.h"

/* the statements are SQL assembled from macros, laid out by hand */
/* clang-format off */
/*
 * The filters every listing shares: $1 district, $2 type, $3 subject, $4 grade_band, $5 topic,
 * $6 license, $7 review_overdue (NULL: any). An absent filter is a NULL parameter. The array filters
 * use @>, which the GIN index on the tags can serve; the relevance steps also ask the search columns'
 * filter lexemes (QF below).
 */
#define FILTERS " r.district_id = $1 AND r.deleted_at IS NULL AND" FILTER_TERMS
/* The filters alone: the page index holds their columns, so a walk checks them without the heap. */
#define FILTER_TERMS                                                                                    \
	" ($2::text IS NULL OR r.type = $2::text)"                                                  \
	" AND ($3::text IS NULL OR r.subjects @> ARRAY[$3::text])"                                      \
	" AND ($4::text IS NULL OR r.grade_bands @> ARRAY[$4::text])"                                   \
	" AND ($5::text IS NULL OR r.topics @> ARRAY[$5::text])"                                        \
	" AND ($6::text IS NULL OR r.license = $6::text)"                                               \
	" AND ($7::boolean IS NULL OR (r.review_due_on <= current_date) = $7::boolean)"

/* The cursor's created_at (microseconds since the epoch, $9) as a timestamptz. */
#define CURSOR_TIME "('epoch'::timestamptz + $9::bigint * interval '1 microsecond')"
#define MICROS(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
#define NEWEST_AFTER " AND ($10::uuid IS NULL OR (r.created_at, r.id) < (" CURSOR_TIME ", $10::uuid))"
/*
 * The relevance statements always have a cursor (the first page's is after every row: FIRST_KEY,
 * FIRST_ID), so that a cached generic plan can start its walk of the page index at the cursor.
 */
#define TIER_AFTER " AND (r.created_at, r.id) < (" CURSOR_TIME ", $10::uuid)"
#define FIRST_KEY "253402300799000000" /* 9999-12-31T23:59:59Z in microseconds */
#define FIRST_ID "ffffffff-ffff-ffff-ffff-ffffffffffff"
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
 * in bounded steps, each of which either settles the tier's part of the page or hands over to the next:
 *
 * - walk: walk the newest resources after the cursor through the page index and keep the tier's matches;
 *   the scan stops as soon as the page is full and never reads more than its budget of rows. When it
 *   fills the page, those rows are the tier's newest matches. The title and topics walks read only the
 *   page index (it holds their vectors and the filtered columns): 4,000 rows cost about 1 ms.
 * - few: the tier's matches from its GIN index, at most a cap + 1 of them (MATERIALIZED keeps the planner
 *   from walking the page index instead), sorted. When there are no more than the cap, that is the whole
 *   tier and the page is exact. Building the GIN bitmap costs about 0.3 ms per 1,000 matches of the
 *   query's words whatever the cap, which is why a common word is better served by a walk.
 * - all: every match of the tier, sorted; the last resort, when matches are sparse among the newest
 *   resources and yet too many for the cap (older resources hold most of them).
 *
 * Words alone: a short walk (WALK_SHORT rows) settles any tier holding more than about 1 % of the district
 * (measured: 0.3 ms where the GIN step cost 1.8 ms), then few (FEW_MAX), then a long walk, then all.
 * With filters few comes first (FEW_MAX_FILTERED): the filter values are in the GIN index too (QF), which
 * yields only the resources with both the words and the values, while a walk would pass over every
 * resource the filters exclude (measured p50 2-3.5 ms a filtered page against 3-7 ms walking first);
 * then a walk, then all.
 *
 * When q negates a word ("fractions -decimals") every tier also requires the whole document to match
 * (a title may match while the description holds the negated word): the tiers partition the matching
 * resources. Without negation a title or topics match implies it, and the walks read only the page index.
 */
#define WALK_SHORT 2000
#define FEW_MAX 2000
#define WALK_LONG 10000
#define FEW_MAX_FILTERED 1000
#define STR(x) #x
#define XSTR(x) STR(x)
/* q, parsed once per statement (a scalar subquery is an InitPlan), not once per row the plan visits. */
#define Q "(SELECT websearch_to_tsquery('english', $11::text))"
/*
 * Whether q negates a word ("fractions -decimals"): only then can a title or topics match fail the whole
 * document, so only then is the document checked (a tsquery prints NOT as '!', which no lexeme holds).
 */
#define NEGATED "(SELECT strpos(" Q "::text, '!') > 0)"
/* The whole-document check, on a heap row, and from a walk of the page index (a lookup, only when negated). */
#define DOC_ROW(x) "(NOT " NEGATED " OR " x ".search @@ " Q ")"
#define DOC_LOOKUP(x)                                                                                   \
	"(NOT " NEGATED " OR EXISTS (SELECT FROM library_resources d WHERE d.id = " x ".id AND d.search @@ " Q "))"
/*
 * q and the filters' values as one query, for the GIN steps with filters: each search vector also holds
 * its resource's filter values as lexemes (migration 0006), so the index yields only the resources that
 * have both the words and the values, and the heap is read for those alone (library_search_query,
 * migration 0008: a q of stop words only still matches nothing).
 */
#define QF "(SELECT library_search_query(websearch_to_tsquery('english', $11::text), $2, $3, $4, $5, $6))"
/* The tiers, matching q (Q or QF). The small title and head vectors first: most rows a walk visits fail there. */
#define TIER_TITLE(x, doc, q) x ".search_title @@ " q " AND " doc
#define TIER_TOPICS(x, doc, q) x ".search_head @@ " q " AND NOT " x ".search_title @@ " q " AND " doc
#define TIER_DESCRIPTION(x, doc, q) x ".search @@ " q " AND NOT " x ".search_head @@ " q " AND NOT " x ".search_title @@ " q
#define PAGE_JSON(extra)                                                                                \
	" SELECT library_resource_json(r)::text, " MICROS("m.created_at") ", m.id" extra                \
	" FROM m JOIN library_resources r ON r.id = m.id ORDER BY m.created_at DESC, m.id DESC"
#define MATCHES(filters, cond, cap)                                                                     \
	"WITH t AS MATERIALIZED (SELECT r.id, r.created_at FROM library_resources r"                     \
	" WHERE" filters TIER_AFTER " AND " cond cap "),"                                             \
	" m AS (SELECT t.id, t.created_at FROM t ORDER BY t.created_at DESC, t.id DESC LIMIT $8)"
#define FEW(filters, cond, cap) MATCHES(filters, cond, " LIMIT " XSTR(cap) " + 1") PAGE_JSON(", (SELECT count(*) FROM t)")
#define ALL(filters, cond) MATCHES(filters, cond, "") PAGE_JSON("")
/* cols: what the walk reads of each row; the page index holds id, created_at, search_title, search_head. */
#define WALK(cols, filters, cond, budget)                                                               \
	"WITH w AS (SELECT " cols " FROM library_resources r WHERE r.district_id = $1 AND r.deleted_at IS NULL" \
	TIER_AFTER " ORDER BY r.created_at DESC, r.id DESC LIMIT " XSTR(budget) "),"                  \
	" m AS (SELECT r.id, r.created_at FROM w AS r WHERE" filters " AND " cond                       \
	" ORDER BY r.created_at DESC, r.id DESC LIMIT $8)" PAGE_JSON("")
#define INDEXED_COLS                                                                                    \
	"r.id, r.created_at, r.search_title, r.search_head, r.type, r.subjects, r.grade_bands, r.topics,"   \
	" r.license, r.review_due_on"

/*
 * The same without filters, for the common case (words only): the absent filters are tested once per
 * statement (a one-time filter), not per row, so a generic plan serves and the statement is planned once
 * per connection instead of on every request. "(district_id = $1) IS TRUE" keeps a generic plan from
 * intersecting the GIN matches with the (district_id, id) index, which a district holding most rows
 * makes slow (10 ms of 14 for q=fractions with 100,000 resources); the GIN matches are few, so the
 * district is checked on them. A walk has already kept to the district; its own filter names only the
 * parameters, so that the title and topics walks read nothing but the page index.
 */
#define NO_FILTER_PARAMS                                                                                \
	" $2::text IS NULL AND $3::text IS NULL AND $4::text IS NULL AND $5::text IS NULL"               \
	" AND $6::text IS NULL AND $7::boolean IS NULL"
#define NO_FILTERS " (r.district_id = $1) IS TRUE AND r.deleted_at IS NULL AND" NO_FILTER_PARAMS
#define TIER_FILTERS " (r.district_id = $1) IS TRUE AND r.deleted_at IS NULL AND" FILTER_TERMS

/* A step: a walk of up to rows rows settles the tier when it fills the page, few when the tier has no
 * more than rows matches. */
enum step_kind { STEP_END, STEP_WALK, STEP_FEW, STEP_ALL };
struct tier_step {
	enum step_kind kind;
	long rows;
	struct hg_stmt stmt;
};
#define MAX_STEPS 5
#define WALK_STEP(name, tier, walk_cols, walk_filters, budget)                                         \
	{STEP_WALK, budget, {"library_" name, WALK(walk_cols, walk_filters, tier("r", DOC_LOOKUP("r"), Q), budget), 11}}
#define FEW_STEP(name, tier, filters, gin_q, cap)                                                       \
	{STEP_FEW, cap, {"library_" name, FEW(filters, tier("r", DOC_ROW("r"), gin_q), cap), 11}}
#define ALL_STEP(name, tier, filters, gin_q)                                                            \
	{STEP_ALL, 0, {"library_" name, ALL(filters, tier("r", DOC_ROW("r"), gin_q)), 11}}
#define TIER_STEPS(name, tier, walk_cols)                                                               \
	{{WALK_STEP(name "_walk_short", tier, walk_cols, NO_FILTER_PARAMS, WALK_SHORT),                 \
	  FEW_STEP(name "_few", tier, NO_FILTERS, Q, FEW_MAX),                                          \
	  WALK_STEP(name "_walk_long", tier, walk_cols, NO_FILTER_PARAMS, WALK_LONG),                   \
	  ALL_STEP(name "_all", tier, NO_FILTERS, Q)},                                                  \
	 {FEW_STEP(name "_few_filtered", tier, TIER_FILTERS, QF, FEW_MAX_FILTERED),                     \
	  WALK_STEP(name "_walk_filtered", tier, walk_cols, FILTER_TERMS, WALK_LONG),                   \
	  ALL_STEP(name "_all_filtered", tier, TIER_FILTERS, QF)}}

/* [tier][filtered][step]; tiers 1 description, 2 topics, 3 title. */
static const struct tier_step tier_steps[4][2][MAX_STEPS] = {
	{{{STEP_END, 0, {NULL, NULL, 0}}}},
	TIER_STEPS("description", TIER_DESCRIPTION, INDEXED_COLS ", r.search"),
	TIER_STEPS("topics", TIER_TOPICS, INDEXED_COLS),
	TIER_STEPS("title", TIER_TITLE, INDEXED_COLS),
};

/* Facet values of one kind over the matching set m: the most frequent first (ties in byte order of the
 * value, whatever the database's collation), at most 50. */
#define FACET(expr, from)                                                                               \
	"(SELECT coalesce(json_object_agg(v, n ORDER BY n DESC, v COLLATE \"C\"), '{}') FROM"              \
	" (SELECT " expr " AS v, count(*) AS n FROM " from                                              \
	" GROUP BY 1 ORDER BY 2 DESC, " expr " COLLATE \"C\" LIMIT 50) f)"

/*
 * The facet counts and the total over every resource matching q and the filters. The filter values are
 * lexemes of the search document too (QF), so the GIN index narrows to them even without q.
 */
#define FACET_FQ "library_search_filter_query($2::text, $3::text, $4::text, $5::text, $6::text)"
#define FACET_WQ "websearch_to_tsquery('english', $8::text)"
static const struct hg_stmt facets_stmt = {
	"library_facets",
	"WITH m AS MATERIALIZED ("
	" SELECT r.type, r.subjects, r.grade_bands, r.topics, r.license FROM library_resources r"
	" WHERE" FILTERS
	" AND (($8::text IS NULL AND " FACET_FQ " IS NULL)"
	" OR r.search @@ library_search_query(" FACET_WQ ", $2, $3, $4, $5, $6)))"
	" SELECT json_build_object("
	" 'type', " FACET("type", "m") ","
	" 'subject', " FACET("s", "m, unnest(m.subjects) AS s") ","
	" 'grade_band', " FACET("g", "m, unnest(m.grade_bands) AS g") ","
	" 'topic', " FACET("t", "m, unnest(m.topics) AS t") ","
	" 'license', " FACET("license", "m WHERE license IS NOT NULL") ")::text, (SELECT count(*) FROM m)",
	8};

/*
 * Statements are prepared once per connection; after five runs PostgreSQL may switch to a generic plan,
 * which cannot drop the conditions of absent filters ("$2 IS NULL OR ..."). The facet counts need that
 * (to use the GIN index for q, or none without it), so they run with custom plans, for their transaction
 * only. The relevance statements are written for generic plans (the district checked on the rows, not
 * through its index; a cursor always present), and with filters they are told to keep them: a custom plan
 * gains nothing there (q comes from a subquery, so the planner cannot weigh it against the tags index)
 * and planning one costs 0.5-1 ms, which PostgreSQL's own choice kept paying. Without filters PostgreSQL
 * settles on the generic plans by itself.
 */
/* The district's write count (migration 0026) and the day, in the page's snapshot: what the facet cache is
 * checked against (facet_cache.h). */
static const struct hg_stmt writes_stmt = {
	"library_write_count",
	"SELECT coalesce(sum(n), 0)::text, current_date::text FROM library_write_counts WHERE district_id = $1", 1};

static const struct hg_stmt custom_plans_stmt = {
	"library_custom_plans", "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)", 0};
static const struct hg_stmt generic_plans_stmt = {
	"library_generic_plans", "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)", 0};

/* clang-format on */

struct list_ctx {
	const struct hg_principal *who;
	const struct search_query *q;
	struct search_page *page;
	struct search_cursor last;     /* sort key of the last row taken */
	struct search_cursor page_end; /* sort key of the page's last row */
};

void search_page_free(struct search_page *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->rows[i]);
	free(p->next);
	free(p->facets);
	memset(p, 0, sizeof(*p));
}

/* Append rows of res to the page, up to want in total, remembering each row's sort key. */
static void take_rows(struct list_ctx *c, PGresult *res, int tier, long want)
{
	struct search_page *p = c->page;
	for (int i = 0; i < PQntuples(res) && (long)p->n < want; i++) {
		p->rows[p->n++] = xstrdup(PQgetvalue(res, i, 0)); /* json: PostgreSQL's text is valid JSON */
		c->last.tier = tier;
		c->last.key = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		snprintf(c->last.id, sizeof(c->last.id), "%s", PQgetvalue(res, i, 2));
		if ((long)p->n == c->q->limit)
			c->page_end = c->last; /* the cursor names the page's last row */
	}
}

/* One tier's rows for a page: its steps in order until one settles it (see tier_steps). */
static enum hg_status tier_rows(struct hg_db_conn *conn, const char *const *params, int filtered, long asked, int tier,
				PGresult **res)
{
	for (const struct tier_step *step = tier_steps[tier][filtered]; step->kind != STEP_END; step++) {
		PQclear(*res);
		*res = NULL;
		enum hg_status st = hg_db_exec(conn, &step->stmt, params, res);
		if (st != HG_OK || step->kind == STEP_ALL)
			return st;
		if (step->kind == STEP_WALK && PQntuples(*res) >= asked)
			return HG_OK;
		if (step->kind == STEP_FEW &&
		    (PQntuples(*res) == 0 || strtol(PQgetvalue(*res, 0, 3), NULL, 10) <= step->rows))
			return HG_OK;
	}
	return HG_INTERNAL; /* every list of steps ends with all */
}

/* The page's facets and total: kept ones while the district's write count is unchanged, else counted. */
static enum hg_status page_facets(struct hg_db_conn *conn, struct list_ctx *c, const char *overdue)
{
	const struct search_query *q = c->q;
	PGresult *res = NULL;
	char *key = NULL, *writes = NULL;
	const char *wparams[1] = {c->who->district_id};
	enum hg_status st = hg_db_exec(conn, &writes_stmt, wparams, &res);
	if (st != HG_OK)
		goto out;
	writes = xstrdup(PQgetvalue(res, 0, 0));
	key = facet_cache_key(c->who->district_id, PQgetvalue(res, 0, 1), q);
	PQclear(res);
	res = NULL;
	/* Kept, or being counted by another page of the same snapshot's data (waited for), or counted here. */
	if (key != NULL && (c->page->facets = facet_cache_begin(key, writes)) != NULL)
		goto out;
	st = hg_db_exec(conn, &custom_plans_stmt, NULL, NULL);
	const char *fparams[8] = {c->who->district_id, q->type, q->subject, q->grade_band, q->topic,
				  q->license,          overdue, q->q};
	if (st == HG_OK)
		st = hg_db_exec(conn, &facets_stmt, fparams, &res);
	if (st != HG_OK) {
		if (key != NULL)
			facet_cache_abandon(key, writes);
		goto out;
	}
	c->page->facets = xasprintf(",\"facets\":%s,\"total\":%s", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	if (key != NULL)
		facet_cache_put(key, writes, c->page->facets);
out:
	PQclear(res);
	free(key);
	free(writes);
	return st;
}

static enum hg_status page_tx(struct hg_db_conn *conn, void *arg)
{
	struct list_ctx *c = arg;
	const struct search_query *q = c->q;
	const char *overdue = q->review_overdue < 0 ? NULL : q->review_overdue ? "true" : "false";
	enum search_order order = search_query_order(q);
	char lim[24], key[24];
	const char *params[11] = {c->who->district_id,
				  q->type,
				  q->subject,
				  q->grade_band,
				  q->topic,
				  q->license,
				  overdue,
				  lim,
				  NULL,
				  NULL,
				  q->q};
	long want = q->limit + 1; /* one row more than asked tells whether another page follows */
	int filtered = q->type || q->subject || q->grade_band || q->topic || q->license || q->review_overdue >= 0;
	PGresult *res = NULL;
	enum hg_status st = HG_OK;

	search_page_free(c->page); /* a retried transaction starts over */
	if (order != SEARCH_RELEVANCE) {
		snprintf(lim, sizeof(lim), "%ld", want);
		if (q->has_cursor) {
			snprintf(key, sizeof(key), "%lld", (long long)q->after.key);
			params[8] = key;
			params[9] = q->after.id;
		}
		st = hg_db_exec(conn, order == SEARCH_DUE ? &due_stmt : &newest_stmt, params, &res);
		if (st == HG_OK)
			take_rows(c, res, 0, want);
	} else {
		if (filtered) {
			st = hg_db_exec(conn, &generic_plans_stmt, NULL, NULL);
			if (st != HG_OK)
				goto out;
		}
		/* Tiers from the title down, starting at the cursor's; only its own tier resumes after it. */
		for (int tier = q->has_cursor ? q->after.tier : SEARCH_TIER_TITLE;
		     tier >= SEARCH_TIER_DESCRIPTION && (long)c->page->n < want; tier--) {
			int resume = q->has_cursor && tier == q->after.tier;
			long asked = want - (long)c->page->n;
			snprintf(lim, sizeof(lim), "%ld", asked);
			if (resume)
				snprintf(key, sizeof(key), "%lld", (long long)q->after.key);
			params[8] = resume ? key : FIRST_KEY;
			params[9] = resume ? q->after.id : FIRST_ID;
			PQclear(res);
			res = NULL;
			st = tier_rows(conn, params, filtered, asked, tier, &res);
			if (st != HG_OK)
				break;
			take_rows(c, res, tier, want);
		}
	}
	if (st != HG_OK)
		goto out;
	if ((long)c->page->n > q->limit) {
		free(c->page->rows[--c->page->n]);
		struct search_cursor cur = c->page_end;
		cur.order = order;
		cur.tier = order == SEARCH_RELEVANCE ? cur.tier : 0;
		cur.query_hash = search_query_hash(q);
		c->page->next = search_cursor_encode(&cur);
	}
	PQclear(res);
	res = NULL;

	if (q->facets)
		st = page_facets(conn, c, overdue);
out:
	PQclear(res);
	return st;
}

enum hg_status search_store_list(struct hg_db_pool *pool, const struct hg_principal *who, const struct search_query *q,
				 struct search_page *page)
{
	memset(page, 0, sizeof(*page));
	struct list_ctx c = {.who = who, .q = q, .page = page};
	/* REPEATABLE READ: the tiers of a page and its facet counts see one snapshot. */
	enum hg_status st = hg_db_tx(pool, "REPEATABLE READ", page_tx, &c);
	if (st != HG_OK)
		search_page_free(page);
	return st;
}
