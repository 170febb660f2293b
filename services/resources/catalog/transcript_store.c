/* transcript_store.c - transcripts: completions and approved outside credit, in PostgreSQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/resources/catalog/catalog_store.h"

/*
 * Every transcript entry of educator $2 in district $1 with its date: the
 * UTC day a completion was recorded, the last day of approved outside
 * learning, or the UTC day a micro-credential was awarded (until it is
 * revoked); dates between $3 and $4 (days since the epoch), inclusive.
 */
#define ENTRIES_CTE                                                                                                   \
	"WITH e AS ("                                                                                                 \
	" SELECT json_build_object('kind', 'completion', 'id', c.id, 'activity_id', c.activity_id,"                   \
	"  'title', a.title, 'provider', NULL, 'activity_type', a.type, 'credit_type', c.credit_type,"                \
	"  'credits', c.credits, 'clock_hours', c.clock_hours,"                                                       \
	"  'date', to_char((c.completed_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'),"                                 \
	"  'recorded_at', rfc3339(c.completed_at)) AS j,"                                                             \
	"  (c.completed_at AT TIME ZONE 'UTC')::date AS d, c.id, c.credit_type, c.credits, c.clock_hours"             \
	" FROM catalog_completions c JOIN catalog_activities a ON a.id = c.activity_id"                               \
	" WHERE c.district_id = $1 AND c.educator_id = $2"                                                            \
	" UNION ALL"                                                                                                  \
	" SELECT json_build_object('kind', 'credit_request', 'id', q.id, 'activity_id', NULL, 'title', q.title,"      \
	"  'provider', q.provider, 'activity_type', NULL, 'credit_type', q.credit_type, 'credits', q.credits,"        \
	"  'clock_hours', q.hours, 'date', to_char(q.end_date, 'YYYY-MM-DD'), 'recorded_at', rfc3339(q.decided_at))," \
	"  q.end_date, q.id, q.credit_type, q.credits, q.hours"                                                       \
	" FROM catalog_credit_requests q WHERE q.district_id = $1 AND q.educator_id = $2 AND q.status = 'approved'"   \
	" UNION ALL"                                                                                                  \
	" SELECT json_build_object('kind', 'credential', 'id', w.id, 'activity_id', NULL,"                            \
	"  'title', w.achievement->'definition'->>'name', 'provider', NULL, 'activity_type', NULL,"                   \
	"  'credit_type', w.credit_type, 'credits', w.credits,"                                                       \
	"  'clock_hours', CASE WHEN w.credit_type = 'Hours' THEN w.credits END,"                                      \
	"  'date', to_char((w.awarded_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'),"                                   \
	"  'recorded_at', rfc3339(w.awarded_at)),"                                                                    \
	"  (w.awarded_at AT TIME ZONE 'UTC')::date, w.id, w.credit_type, w.credits,"                                  \
	"  CASE WHEN w.credit_type = 'Hours' THEN w.credits END"                                                      \
	" FROM credential_awards w WHERE w.district_id = $1 AND w.educator_id = $2 AND w.revoked_at IS NULL"          \
	"), p AS (SELECT * FROM e WHERE e.d BETWEEN date '1970-01-01' + $3::integer AND date '1970-01-01' + $4::integer) "

/* Newest first; the cursor is (date in days, id), NULL on the first page: $5 limit, $6 key, $7 id. */
static const struct hg_stmt page_stmt = {
	"catalog_transcript_page",
	ENTRIES_CTE "SELECT p.j::text, (p.d - date '1970-01-01')::bigint, p.id FROM p"
		    " WHERE (p.d, p.id) < (coalesce(date '1970-01-01' + $6::integer, 'infinity'::date),"
		    " coalesce($7::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))"
		    " ORDER BY p.d DESC, p.id DESC LIMIT $5",
	7};

/* Totals over the whole period, one member per CEDS credit type (zero when none). */
static const struct hg_stmt totals_stmt = {
	"catalog_transcript_totals",
	ENTRIES_CTE
	"SELECT json_object_agg(t.ct, json_build_object('credits', t.credits, 'entries', t.n, 'clock_hours', t.h)"
	" ORDER BY t.o)::text FROM ("
	" SELECT k.ct, k.o, coalesce(sum(p.credits), 0)::numeric(9, 2) AS credits, count(p.id) AS n,"
	" coalesce(sum(p.clock_hours), 0)::numeric(9, 2) AS h"
	" FROM unnest(ARRAY['Hours', 'CEUs', 'QuarterCredits', 'SemesterCredits']) WITH ORDINALITY AS k(ct, o)"
	" LEFT JOIN p ON p.credit_type = k.ct GROUP BY k.ct, k.o) t",
	4};

enum hg_status transcript_store_read(struct hg_db_pool *pool, const struct hg_principal *who, const char *educator,
				     int64_t from_days, int64_t to_days, struct hg_page *page, json_t **totals)
{
	struct hg_db_conn *conn = NULL;
	struct hg_page_params pp;
	char from[24], to[24];
	enum hg_status st;

	*totals = NULL;
	snprintf(from, sizeof(from), "%lld", (long long)from_days);
	snprintf(to, sizeof(to), "%lld", (long long)to_days);
	hg_page_params(page, &pp);
	const char *params[7] = {who->district_id, educator, from, to, pp.limit, pp.key_param, pp.id_param};
	st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_tx_row(conn, &totals_stmt, params, totals);
	if (st == HG_OK)
		st = hg_tx_page(conn, &page_stmt, params, page);
	hg_db_release(pool, conn);
	if (st != HG_OK) {
		json_decref(*totals);
		*totals = NULL;
	}
	return st;
}
