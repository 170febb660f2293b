/* needs_store.c - the counts needs are made of: closed needs assessments' topic-tagged scale answers (SQL only). */
#include "services/surveys/needs.h"
#include "services/surveys/surveys_store.h"

/* $1 district, $2 from, $3 to (dates by closed_at, UTC; NULL: no bound). Per topic and school: respondents,
 * the sum and the number of the 5-point answers of the topic's scale questions; and the district's minimum. */
static const struct hg_stmt needs_stmt = {
	"needs_counts",
	"WITH s AS (SELECT id, questions FROM surveys WHERE district_id = $1 AND purpose = 'needs_assessment'"
	" AND status = 'closed' AND ($2::date IS NULL OR closed_at >= ($2::date)::timestamp AT TIME ZONE 'UTC')"
	" AND ($3::date IS NULL OR closed_at < ($3::date)::timestamp AT TIME ZONE 'UTC')),"
	" q AS (SELECT s.id AS survey_id, x->>'id' AS qid, x->>'topic' AS topic FROM s,"
	" jsonb_array_elements(s.questions) AS x WHERE x->>'type' = 'scale' AND x ? 'topic'),"
	" v AS (SELECT q.topic, a.school_id, a.id AS set_id, (a.answers->>q.qid)::numeric AS val"
	" FROM q JOIN answer_sets a ON a.district_id = $1 AND a.survey_id = q.survey_id"
	" WHERE jsonb_typeof(a.answers->q.qid) = 'number')"
	" SELECT json_build_object('min_cell', min_cell($1), 'rows', (SELECT coalesce(json_agg(json_build_object("
	"'topic', topic, 'school', school_id, 'respondents', n, 'sum', total, 'answers', k)"
	" ORDER BY topic, school_id NULLS LAST), '[]')"
	" FROM (SELECT topic, school_id, count(DISTINCT set_id) AS n, sum(val) AS total, count(*) AS k FROM v"
	" GROUP BY topic, school_id) x))::text",
	3};

struct needs_ctx {
	const char *district, *from, *to;
	json_t *raw;
};

static enum hg_status needs_tx(struct hg_db_conn *conn, void *arg)
{
	struct needs_ctx *c = arg;
	const char *params[3] = {c->district, c->from, c->to};
	json_decref(c->raw);
	c->raw = NULL;
	return hg_tx_row(conn, &needs_stmt, params, &c->raw);
}

enum hg_status needs_store_read(struct hg_db_pool *pool, const struct hg_principal *who, const char *school,
				const char *from, const char *to, json_t **doc)
{
	struct needs_ctx c = {who->district_id, from, to, NULL};
	enum hg_status st = hg_db_tx(pool, "REPEATABLE READ", needs_tx, &c);
	*doc = NULL;
	if (st == HG_OK) {
		json_t *min = json_object_get(c.raw, "min_cell");
		*doc = needs_build(json_object_get(c.raw, "rows"), school, (long)json_integer_value(min));
	}
	json_decref(c.raw);
	return st;
}
