/* result_store.c - the counts results are made of, read from one snapshot of a closed survey's answer sets. */
#include <stdio.h>
#include <string.h>

#include "common/outbox.h"
#include "services/surveys/question.h"
#include "services/surveys/reasons.h"
#include "services/surveys/response.h"
#include "services/surveys/result.h"
#include "services/surveys/surveys_store.h"

/* The breakdown's column ($3; anything else, or NULL, puts every respondent in one group). Not materialized:
 * reading the answer sets twice is cheaper than keeping a copy of all their answers. */
#define GROUPED                                                                                      \
	"WITH a AS NOT MATERIALIZED (SELECT CASE $3 WHEN 'school' THEN school_id::text"              \
	" WHEN 'locale' THEN locale"                                                                 \
	" WHEN 'poverty' THEN poverty_level WHEN 'title_i' THEN title_i::text WHEN 'role' THEN role" \
	" WHEN 'career_stage' THEN career_stage END AS g, answers FROM answer_sets"                  \
	" WHERE district_id = $1 AND survey_id = $2)"

static const struct hg_stmt survey_stmt = {
	"result_survey",
	"SELECT status, questions::text, coalesce(audience_size, 0), responses, mode, min_cell($1), min_text($1)"
	" FROM surveys"
	" WHERE district_id = $1 AND id = $2",
	2};

/* Group sizes; respondents per group and question; answers per group, question and value ($4: the text
 * questions, left out; $5: every question). A retrospective answer is counted as "before:now", a multiple
 * choice once per pick. Each answer is looked up by its question's id (e), cheaper than listing every member
 * of every answer set; the answers are counted first by their jsonb value (c: a few thousand rows for 15,000
 * respondents x 30 questions; a text answer as NULL, since only its respondents count), and only those
 * distinct values are taken apart: taking each of the 450,000 answers apart was 2-5 times slower
 * (docs/surveys.md, Figures). */
static const struct hg_stmt counts_stmt = {
	"result_counts",
	GROUPED
	", e AS (SELECT a.g, k.key, a.answers -> k.key AS value FROM a, unnest($5::text[]) AS k (key)"
	" WHERE a.answers ? k.key)"
	", c AS (SELECT e.g, e.key, CASE WHEN e.key = ANY ($4::text[]) THEN NULL ELSE e.value END AS value,"
	" count(*) AS n FROM e GROUP BY 1, 2, 3)"
	" SELECT"
	" (SELECT coalesce(json_agg(json_build_object('key', g, 'respondents', n) ORDER BY g NULLS LAST), '[]')"
	" FROM (SELECT g, count(*) AS n FROM a GROUP BY g) x)::text,"
	" (SELECT coalesce(json_agg(json_build_object('group', g, 'question', key, 'count', n)), '[]')"
	" FROM (SELECT g, key, sum(n)::bigint AS n FROM c GROUP BY g, key) x)::text,"
	" (SELECT coalesce(json_agg(json_build_object('group', g, 'question', key, 'value', val, 'count', n)), '[]')"
	" FROM (SELECT c.g, c.key, v.val, sum(c.n)::bigint AS n FROM c, LATERAL ("
	" SELECT jsonb_array_elements_text(c.value) AS val WHERE jsonb_typeof(c.value) = 'array'"
	" UNION ALL SELECT (c.value->>'before') || ':' || (c.value->>'now') WHERE jsonb_typeof(c.value) = 'object'"
	" UNION ALL SELECT c.value #>> '{}' WHERE jsonb_typeof(c.value) IN ('number', 'string', 'boolean')) v"
	" WHERE c.key <> ALL ($4::text[]) GROUP BY 1, 2, 3) x)::text",
	5};

/* The counts are a few aggregations the planner overestimates by far; compiling them (JIT) cost more than it
 * saved (about 75 ms of each read). For this transaction only. */
static const struct hg_stmt no_jit_stmt = {"result_no_jit", "SET LOCAL jit = off", 0};

/* Free-text answers of the cells that meet the free-text minimum ($5), shuffled, at most 500 a cell. Only the
 * text questions' members are read (none when the survey has no text question). */
static const struct hg_stmt texts_stmt = {
	"result_texts",
	GROUPED
	", t AS (SELECT a.g, k.key, a.answers->>k.key AS txt FROM a, unnest($4::text[]) AS k (key)"
	" WHERE a.answers ? k.key)"
	" SELECT json_build_object("
	" 'all', (SELECT coalesce(json_object_agg(key, texts), '{}') FROM (SELECT key,"
	" to_json((array_agg(txt ORDER BY random()))[1:500]) AS texts FROM t GROUP BY key"
	" HAVING count(*) >= $5::integer) x),"
	" 'groups', (SELECT coalesce(json_agg(json_build_object('group', g, 'question', key, 'texts', texts)), '[]')"
	" FROM (SELECT g, key, to_json((array_agg(txt ORDER BY random()))[1:500]) AS texts FROM t GROUP BY g, key"
	" HAVING count(*) >= $5::integer) x))::text",
	5};

/* Every question id of a survey, comma-separated in braces. */
#define QUESTIONS_LITERAL_MAX (QUESTIONS_MAX * (QUESTION_ID_MAX + 1) + 3)

struct read_ctx {
	const char *district_id;
	const char *survey_id;
	const char *by;
	json_t *doc;
	const struct hg_reason *why;
};

/* {"_all"-ish internal keys}: the texts tree result_build reads. */
static json_t *texts_tree(json_t *raw, const char *by)
{
	json_t *tree = json_object();
	json_object_set(tree, "\x02", json_object_get(raw, "all"));
	size_t i;
	json_t *e;
	json_array_foreach(by != NULL ? json_object_get(raw, "groups") : NULL, i, e) {
		json_t *g = json_object_get(e, "group");
		const char *key = json_is_string(g) ? json_string_value(g) : "\x01";
		json_t *per = json_object_get(tree, key);
		if (per == NULL) {
			per = json_object();
			json_object_set_new(tree, key, per);
		}
		json_object_set(per, json_string_value(json_object_get(e, "question")), json_object_get(e, "texts"));
	}
	return tree;
}

static enum hg_status read_tx(struct hg_db_conn *conn, void *arg)
{
	struct read_ctx *c = arg;
	PGresult *res = NULL, *counts = NULL, *texts = NULL;
	json_t *questions = NULL, *groups = NULL, *resp = NULL, *answers = NULL, *raw_texts = NULL, *tree = NULL;
	const char *params[2] = {c->district_id, c->survey_id};
	char min_text[16];
	enum hg_status st = hg_db_exec(conn, &survey_stmt, params, &res);

	json_decref(c->doc);
	c->doc = NULL;
	c->why = NULL;
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st != HG_OK)
		goto out;
	if (strcmp(PQgetvalue(res, 0, 0), "closed") != 0) {
		c->why = SURVEYS_REFUSE(R_RESULTS_NOT_FINAL);
		st = c->why->status;
		goto out;
	}
	questions = hg_db_json(res, 0, 1);
	if (questions == NULL) {
		st = HG_INTERNAL;
		goto out;
	}
	/* The text questions as a text[] literal (ids are slugs: no quoting needed). */
	char text_ids[QUESTIONS_LITERAL_MAX];
	size_t used = (size_t)snprintf(text_ids, sizeof(text_ids), "{");
	size_t i;
	json_t *q;
	json_array_foreach(questions, i, q) {
		if (strcmp(json_string_value(json_object_get(q, "type")), "text") != 0 || used >= sizeof(text_ids))
			continue;
		used += (size_t)snprintf(text_ids + used, sizeof(text_ids) - used, "%s%s", used > 1 ? "," : "",
					 json_string_value(json_object_get(q, "id")));
	}
	if (used < sizeof(text_ids))
		snprintf(text_ids + used, sizeof(text_ids) - used, "}");
	/* Every question, the same way. */
	char all_ids[QUESTIONS_LITERAL_MAX];
	size_t all_used = (size_t)snprintf(all_ids, sizeof(all_ids), "{");
	json_array_foreach(questions, i, q) {
		if (all_used >= sizeof(all_ids))
			break;
		all_used += (size_t)snprintf(all_ids + all_used, sizeof(all_ids) - all_used, "%s%s",
					     all_used > 1 ? "," : "", json_string_value(json_object_get(q, "id")));
	}
	if (all_used < sizeof(all_ids))
		snprintf(all_ids + all_used, sizeof(all_ids) - all_used, "}");
	long cell_min = (long)hg_db_int(res, 0, 5), text_min = (long)hg_db_int(res, 0, 6);
	snprintf(min_text, sizeof(min_text), "%ld", text_min);
	const char *cparams[5] = {c->district_id, c->survey_id, c->by, text_ids, all_ids};
	const char *tparams[5] = {c->district_id, c->survey_id, c->by, text_ids, min_text};
	PGresult *set = NULL;
	st = hg_db_exec(conn, &no_jit_stmt, NULL, &set);
	PQclear(set);
	if (st == HG_OK)
		st = hg_db_exec(conn, &counts_stmt, cparams, &counts);
	if (st == HG_OK)
		st = hg_db_exec(conn, &texts_stmt, tparams, &texts);
	if (st != HG_OK)
		goto out;
	groups = hg_db_json(counts, 0, 0);
	resp = hg_db_json(counts, 0, 1);
	answers = hg_db_json(counts, 0, 2);
	raw_texts = hg_db_json(texts, 0, 0);
	if (groups == NULL || resp == NULL || answers == NULL || raw_texts == NULL) {
		st = HG_INTERNAL;
		goto out;
	}
	tree = texts_tree(raw_texts, c->by);
	c->doc = result_build(questions, groups, resp, answers, tree, c->by, cell_min, text_min);
	json_object_set_new(c->doc, "survey_id", json_string(c->survey_id));
	json_object_set_new(c->doc, "mode", json_string(PQgetvalue(res, 0, 4)));
	json_t *rate = json_object();
	long invited = (long)hg_db_int(res, 0, 2), responded = (long)hg_db_int(res, 0, 3);
	json_object_set_new(rate, "invited", json_integer(invited));
	json_object_set_new(rate, "responded", json_integer(responded));
	json_object_set_new(rate, "rate",
			    invited > 0 ? json_real((double)(responded * 1000 / invited) / 10.0) : json_null());
	json_object_set_new(c->doc, "response_rate", rate);
out:
	json_decref(tree);
	json_decref(raw_texts);
	json_decref(answers);
	json_decref(resp);
	json_decref(groups);
	json_decref(questions);
	PQclear(texts);
	PQclear(counts);
	PQclear(res);
	return st;
}

enum hg_status result_store_read(struct hg_db_pool *pool, const struct hg_principal *who, const char *survey_id,
				 const char *by, json_t **doc, const struct hg_reason **why)
{
	struct read_ctx c = {who->district_id, survey_id, by, NULL, NULL};
	enum hg_status st = hg_db_tx(pool, "REPEATABLE READ", read_tx, &c);
	*why = c.why;
	*doc = st == HG_OK ? c.doc : NULL;
	if (st != HG_OK)
		json_decref(c.doc);
	return st;
}

/* The survey just closed in this transaction (under its row's lock: no response can come in between): its
 * final results, overall, as the results.finalized event. */
enum hg_status result_store_after_close(struct hg_db_conn *conn, const struct hg_record_call *call, json_t *state,
					json_t *record)
{
	if (strcmp(hg_record_status(state), "open") != 0 ||
	    strcmp(json_string_value(json_object_get(record, "status")), "closed") != 0)
		return HG_OK;
	struct read_ctx c = {call->who->district_id, call->id, NULL, NULL, NULL};
	enum hg_status st = read_tx(conn, &c);
	if (st == HG_OK) {
		json_t *data = result_event_data(c.doc, json_object_get(record, "closed_at"));
		st = hg_outbox_write(conn, call->who->district_id, "results.finalized", call->id, data);
		json_decref(data);
	}
	json_decref(c.doc);
	return st;
}
