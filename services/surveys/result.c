/* result.c - results of a closed survey: figures per question and topic, and suppression (pure). */
#include "services/surveys/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/suppress.h"
#include "common/xmalloc.h"

#define NO_GROUP "\x01" /* the internal key of respondents without the attribute (answered as null) */
#define ALL "\x02"      /* the internal key of the overall figures */

/* x rounded to a number of decimals (half away from zero); no libm. */
static double rounded(double x, double scale)
{
	double y = x * scale;
	return (double)(long long)(y + (y >= 0 ? 0.5 : -0.5)) / scale;
}
static double round1(double x) { return rounded(x, 10.0); }
static double round2(double x) { return rounded(x, 100.0); }

static const char *group_key(json_t *v) { return json_is_string(v) ? json_string_value(v) : NO_GROUP; }

/* counts[group][question][value] = n, for the overall figures under ALL too. */
static void add_count(json_t *tree, const char *g, const char *q, const char *val, json_int_t n)
{
	json_t *gq = json_object_get(tree, g);
	if (gq == NULL) {
		gq = json_object();
		json_object_set_new(tree, g, gq);
	}
	json_t *qv = json_object_get(gq, q);
	if (qv == NULL) {
		qv = json_object();
		json_object_set_new(gq, q, qv);
	}
	json_t *c = json_object_get(qv, val);
	json_object_set_new(qv, val, json_integer((c != NULL ? json_integer_value(c) : 0) + n));
}

static long get_count(json_t *tree, const char *g, const char *q)
{
	return (long)json_integer_value(json_object_get(json_object_get(tree, g), q));
}

/* A distribution over 1..5 (or lo..hi) from value counts; *sum and *n of the values. */
static json_t *int_distribution(json_t *values, int lo, int hi, double *sum, long *n)
{
	json_t *d = json_object();
	*sum = 0;
	*n = 0;
	for (int v = lo; v <= hi; v++) {
		char k[16];
		snprintf(k, sizeof(k), "%d", v);
		long c = (long)json_integer_value(json_object_get(values, k));
		json_object_set_new(d, k, json_integer(c));
		*sum += (double)v * (double)c;
		*n += c;
	}
	return d;
}

static void set_mean(json_t *cell, const char *name, double sum, long n)
{
	json_object_set_new(cell, name, n > 0 ? json_real(round2(sum / (double)n)) : json_null());
}

/* The figures of one question for one group (values: value text → count; n respondents to it). */
static json_t *figures(json_t *q, json_t *values, long n, json_t *texts)
{
	const char *type = json_string_value(json_object_get(q, "type"));
	json_t *cell = json_object();
	double sum;
	long m;
	json_object_set_new(cell, "count", json_integer(n));
	if (strcmp(type, "scale") == 0 || strcmp(type, "rating") == 0) {
		int hi = strcmp(type, "scale") == 0 ? 5 : 10;
		json_t *d = int_distribution(values, hi == 5 ? 1 : 0, hi, &sum, &m);
		json_object_set_new(cell, "distribution", d);
		set_mean(cell, "mean", sum, m);
		if (hi == 5) {
			long top = (long)(json_integer_value(json_object_get(d, "4")) +
					  json_integer_value(json_object_get(d, "5")));
			json_object_set_new(cell, "percent_favourable",
					    m > 0 ? json_real(round1(100.0 * (double)top / (double)m)) : json_null());
		}
	} else if (strcmp(type, "retrospective") == 0) {
		long before[6] = {0}, now[6] = {0}, change[9] = {0}, total = 0;
		double sb = 0, sn = 0;
		const char *k;
		json_t *c;
		json_object_foreach(values, k, c) {
			int b = 0, a = 0;
			if (sscanf(k, "%d:%d", &b, &a) != 2 || b < 1 || b > 5 || a < 1 || a > 5)
				continue;
			long cnt = (long)json_integer_value(c);
			before[b] += cnt;
			now[a] += cnt;
			change[a - b + 4] += cnt;
			sb += b * (double)cnt;
			sn += a * (double)cnt;
			total += cnt;
		}
		json_t *db = json_object(), *dn = json_object(), *dc = json_object();
		for (int v = 1; v <= 5; v++) {
			char key[16];
			snprintf(key, sizeof(key), "%d", v);
			json_object_set_new(db, key, json_integer(before[v]));
			json_object_set_new(dn, key, json_integer(now[v]));
		}
		for (int v = -4; v <= 4; v++) {
			char key[16];
			snprintf(key, sizeof(key), "%d", v);
			json_object_set_new(dc, key, json_integer(change[v + 4]));
		}
		json_object_set_new(cell, "before", db);
		json_object_set_new(cell, "now", dn);
		set_mean(cell, "mean_before", sb, total);
		set_mean(cell, "mean_now", sn, total);
		json_object_set_new(cell, "percent_favourable",
				    total > 0 ? json_real(round1(100.0 * (double)(now[4] + now[5]) / (double)total))
					      : json_null());
		json_t *ch = json_object();
		set_mean(ch, "mean", sn - sb, total);
		json_object_set_new(ch, "distribution", dc);
		json_object_set_new(cell, "change", ch);
	} else if (strcmp(type, "single_choice") == 0 || strcmp(type, "multiple_choice") == 0) {
		json_t *d = json_object();
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(q, "options"), i, o) {
			json_int_t c = json_integer_value(json_object_get(values, json_string_value(o)));
			json_object_set_new(d, json_string_value(o), json_integer(c));
		}
		json_object_set_new(cell, "distribution", d);
	} else if (strcmp(type, "number") == 0) {
		const char *k;
		json_t *c;
		sum = 0;
		m = 0;
		json_object_foreach(values, k, c) {
			sum += strtod(k, NULL) * (double)json_integer_value(c);
			m += (long)json_integer_value(c);
		}
		set_mean(cell, "mean", sum, m);
	} else {
		json_object_set(cell, "texts", texts != NULL ? texts : json_array());
	}
	return cell;
}

static json_t *withheld_cell(const char *why)
{
	json_t *c = json_object();
	json_object_set_new(c, "count", json_null());
	json_object_set_new(c, "withheld", json_string(why));
	return c;
}

struct row {
	long *counts;
	int *withheld;
	int overall_withheld;
	long total;
};

static void row_compute(struct row *r, json_t *tree, const char *const *keys, size_t n, const char *q, long min,
			long min_overall)
{
	r->counts = xcalloc(n + 1, sizeof(long));
	r->withheld = xcalloc(n + 1, sizeof(int));
	r->total = 0;
	for (size_t i = 0; i < n; i++) {
		r->counts[i] = get_count(tree, keys[i], q);
		r->total += r->counts[i];
	}
	r->overall_withheld = hg_suppress_row(r->counts, n, min, min_overall, r->withheld);
	if (r->total < min)
		r->overall_withheld = 1;
}

static void row_cleanup(struct row *r)
{
	free(r->counts);
	free(r->withheld);
}

static const char *why_withheld(const struct row *r, size_t i, long min)
{
	return r->counts[i] < min ? "fewer_than_minimum" : "complementary";
}

json_t *result_build(json_t *questions, json_t *groups, json_t *respondents, json_t *answers, json_t *texts,
		     const char *by, long min_cell, long min_text)
{
	json_t *resp_tree = json_object(), *val_tree = json_object(), *sizes = json_object();
	size_t i, j;
	json_t *e, *q;

	/* Group sizes (the "respondents" row), answers per group and question, value counts. */
	size_t ngroups = by != NULL ? json_array_size(groups) : 0;
	const char **keys = xcalloc(ngroups + 1, sizeof(char *));
	long total = 0;
	json_array_foreach(groups, i, e) {
		json_int_t n = json_integer_value(json_object_get(e, "respondents"));
		total += (long)n;
		if (by != NULL) {
			keys[i] = group_key(json_object_get(e, "key"));
			add_count(sizes, keys[i], "_", "n", n);
		}
	}
	json_array_foreach(respondents, i, e) {
		const char *qid = json_string_value(json_object_get(e, "question"));
		json_int_t n = json_integer_value(json_object_get(e, "count"));
		add_count(resp_tree, ALL, qid, "n", n);
		if (by != NULL)
			add_count(resp_tree, group_key(json_object_get(e, "group")), qid, "n", n);
	}
	json_array_foreach(answers, i, e) {
		const char *qid = json_string_value(json_object_get(e, "question"));
		const char *val = json_string_value(json_object_get(e, "value"));
		json_int_t n = json_integer_value(json_object_get(e, "count"));
		if (qid == NULL || val == NULL)
			continue;
		add_count(val_tree, ALL, qid, val, n);
		if (by != NULL)
			add_count(val_tree, group_key(json_object_get(e, "group")), qid, val, n);
	}
	/* Flatten the respondent counts into [group][question] → n. */
	json_t *rc = json_object();
	const char *gk;
	json_t *gv;
	json_object_foreach(resp_tree, gk, gv) {
		json_t *flat = json_object();
		const char *qk;
		json_t *qv;
		json_object_foreach(gv, qk, qv)
			json_object_set(flat, qk, json_object_get(qv, "n"));
		json_object_set_new(rc, gk, flat);
	}
	json_t *sz = json_object();
	json_object_foreach(sizes, gk, gv)
		json_object_set(sz, gk, json_object_get(json_object_get(gv, "_"), "n"));

	json_t *doc = json_object();
	json_object_set_new(doc, "by", by != NULL ? json_string(by) : json_null());
	json_object_set_new(doc, "min_cell", json_integer(min_cell));
	json_object_set_new(doc, "min_text", json_integer(min_text));
	int all_withheld = total < min_cell;
	json_object_set_new(doc, "respondents", all_withheld ? json_null() : json_integer(total));

	/* The group sizes row: a group whose size is withheld shows nothing at all. */
	struct row sizes_row;
	{
		json_t *size_tree = json_object();
		for (i = 0; i < ngroups; i++)
			add_count(size_tree, keys[i], "_", "n", json_integer_value(json_object_get(sz, keys[i])));
		json_t *flat = json_object();
		for (i = 0; i < ngroups; i++) {
			json_t *one = json_object();
			json_object_set(one, "_", json_object_get(sz, keys[i]));
			json_object_set_new(flat, keys[i], one);
		}
		row_compute(&sizes_row, flat, keys, ngroups, "_", min_cell, min_cell);
		json_decref(flat);
		json_decref(size_tree);
	}

	json_t *overall = json_object(), *out_groups = json_array();
	json_t *oq = json_object(), *ot = json_object();
	json_object_set_new(overall, "questions", oq);
	json_object_set_new(overall, "topics", ot);
	json_t **gq = xcalloc(ngroups + 1, sizeof(json_t *));
	json_t **gt = xcalloc(ngroups + 1, sizeof(json_t *));
	for (i = 0; i < ngroups; i++) {
		json_t *g = json_object();
		json_object_set_new(g, "key", strcmp(keys[i], NO_GROUP) == 0 ? json_null() : json_string(keys[i]));
		if (all_withheld || sizes_row.withheld[i]) {
			json_object_set_new(g, "respondents", json_null());
			json_object_set_new(g, "withheld",
					    json_string(all_withheld ? "fewer_than_minimum"
								     : why_withheld(&sizes_row, i, min_cell)));
		} else {
			json_object_set_new(g, "respondents", json_integer(sizes_row.counts[i]));
		}
		gq[i] = json_object();
		gt[i] = json_object();
		json_object_set_new(g, "questions", gq[i]);
		json_object_set_new(g, "topics", gt[i]);
		json_array_append_new(out_groups, g);
	}

	/* One row per question. */
	json_t *topics = json_object(); /* topic → {sum, n} per group key, for the per-topic score */
	json_array_foreach(questions, i, q) {
		const char *qid = json_string_value(json_object_get(q, "id"));
		const char *type = json_string_value(json_object_get(q, "type"));
		int is_text = strcmp(type, "text") == 0;
		long min = is_text ? min_text : min_cell;
		struct row r;
		row_compute(&r, rc, keys, ngroups, qid, min, min_cell);
		long n_all = get_count(rc, ALL, qid);
		json_t *ttexts = json_object_get(json_object_get(texts, ALL), qid);
		if (all_withheld || n_all < min)
			json_object_set_new(oq, qid, withheld_cell("fewer_than_minimum"));
		else
			json_object_set_new(
				oq, qid,
				figures(q, json_object_get(json_object_get(val_tree, ALL), qid), n_all, ttexts));
		for (j = 0; j < ngroups; j++) {
			if (all_withheld || sizes_row.withheld[j] || r.withheld[j]) {
				const char *why = all_withheld || sizes_row.withheld[j] ? "group_withheld"
											: why_withheld(&r, j, min);
				json_object_set_new(gq[j], qid, withheld_cell(why));
				continue;
			}
			json_t *gtexts = json_object_get(json_object_get(texts, keys[j]), qid);
			json_object_set_new(gq[j], qid,
					    figures(q, json_object_get(json_object_get(val_tree, keys[j]), qid),
						    r.counts[j], gtexts));
		}
		row_cleanup(&r);
		/* Topic scores: the 5-point answers (a scale, a retrospective item's "now") of the topic's questions.
		 */
		const char *topic = json_string_value(json_object_get(q, "topic"));
		if (topic == NULL || (strcmp(type, "scale") != 0 && strcmp(type, "retrospective") != 0))
			continue;
		json_t *acc = json_object_get(topics, topic);
		if (acc == NULL) {
			acc = json_object();
			json_object_set_new(topics, topic, acc);
		}
		for (j = 0; j <= ngroups; j++) {
			const char *g = j < ngroups ? keys[j] : ALL;
			json_t *vals = json_object_get(json_object_get(val_tree, g), qid);
			double sum = 0;
			long n = 0;
			const char *k;
			json_t *c;
			json_object_foreach(vals, k, c) {
				int b = 0, a = 0;
				if (strchr(k, ':') != NULL ? sscanf(k, "%d:%d", &b, &a) != 2 : sscanf(k, "%d", &a) != 1)
					continue;
				sum += a * (double)json_integer_value(c);
				n += (long)json_integer_value(c);
			}
			json_t *t = json_object_get(acc, g);
			if (t == NULL) {
				t = json_pack("{s:f,s:I,s:I}", "sum", 0.0, "answers", (json_int_t)0, "respondents",
					      (json_int_t)0);
				json_object_set_new(acc, g, t);
			}
			json_object_set_new(t, "sum", json_real(json_real_value(json_object_get(t, "sum")) + sum));
			json_object_set_new(t, "answers",
					    json_integer(json_integer_value(json_object_get(t, "answers")) + n));
			long prev = (long)json_integer_value(json_object_get(t, "respondents"));
			long here = get_count(rc, g, qid);
			json_object_set_new(t, "respondents", json_integer(here > prev ? here : prev));
		}
	}
	/* One row per topic, sized by the most respondents of its questions in each group. */
	const char *topic;
	json_t *acc;
	json_object_foreach(topics, topic, acc) {
		json_t *flat = json_object();
		for (j = 0; j <= ngroups; j++) {
			const char *g = j < ngroups ? keys[j] : ALL;
			json_t *one = json_object();
			json_object_set(one, "t", json_object_get(json_object_get(acc, g), "respondents"));
			json_object_set_new(flat, g, one);
		}
		struct row r;
		row_compute(&r, flat, keys, ngroups, "t", min_cell, min_cell);
		for (j = 0; j <= ngroups; j++) {
			const char *g = j < ngroups ? keys[j] : ALL;
			json_t *t = json_object_get(acc, g);
			json_t *target = j < ngroups ? gt[j] : ot;
			long n = (long)json_integer_value(json_object_get(t, "respondents"));
			int hidden =
				all_withheld || (j < ngroups ? (sizes_row.withheld[j] || r.withheld[j]) : n < min_cell);
			if (hidden) {
				json_object_set_new(
					target, topic,
					withheld_cell(j < ngroups && !all_withheld && !sizes_row.withheld[j]
							      ? why_withheld(&r, j, min_cell)
							      : (j < ngroups && !all_withheld ? "group_withheld"
											      : "fewer_than_minimum")));
				continue;
			}
			json_t *cell = json_object();
			long answers_n = (long)json_integer_value(json_object_get(t, "answers"));
			json_object_set_new(cell, "count", json_integer(n));
			set_mean(cell, "score", json_real_value(json_object_get(t, "sum")), answers_n);
			json_object_set_new(target, topic, cell);
		}
		row_cleanup(&r);
		json_decref(flat);
	}

	json_object_set_new(doc, "overall", overall);
	json_object_set_new(doc, "groups", out_groups);
	row_cleanup(&sizes_row);
	free(gq);
	free(gt);
	free(keys);
	json_decref(topics);
	json_decref(sz);
	json_decref(rc);
	json_decref(sizes);
	json_decref(val_tree);
	json_decref(resp_tree);
	return doc;
}

static void drop_texts(json_t *questions)
{
	const char *k;
	json_t *cell;
	json_object_foreach(questions, k, cell)
		json_object_del(cell, "texts");
}

json_t *result_event_data(json_t *doc, json_t *closed_at)
{
	json_t *data = json_deep_copy(doc);
	drop_texts(json_object_get(json_object_get(data, "overall"), "questions"));
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(data, "groups"), i, g)
		drop_texts(json_object_get(g, "questions"));
	json_object_set(data, "closed_at", closed_at);
	return data;
}
