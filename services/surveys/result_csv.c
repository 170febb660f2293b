/* result_csv.c - a results document as CSV (pure). */
#include "services/surveys/result_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/xmalloc.h"

struct buf {
	char *data;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap > 0 ? b->cap * 2 : 4096;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s) { put(b, s, strlen(s)); }

/* One field, escaped against formulas and quoted when needed (common/csv.c). */
static void field(struct buf *b, const char *s)
{
	struct hg_csv f = {NULL, 0, 0};
	hg_csv_field(&f, s);
	if (f.data != NULL)
		put(b, f.data, f.len);
	free(f.data);
}

char *result_csv_field(const char *text)
{
	struct buf b = {NULL, 0, 0};
	puts_(&b, "");
	field(&b, text);
	return b.data;
}

struct line {
	const char *scope, *group, *row, *item;
};

static void number_text(json_t *v, char *out, size_t n)
{
	if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.15g", json_real_value(v));
	else if (json_is_true(v) || json_is_false(v))
		snprintf(out, n, "%s", json_is_true(v) ? "true" : "false");
	else
		out[0] = '\0';
}

static void emit(struct buf *b, const struct line *l, const char *metric, const char *category, const char *value,
		 const char *withheld)
{
	const char *cols[8] = {l->scope, l->group, l->row, l->item, metric, category, value, withheld};
	for (int i = 0; i < 8; i++) {
		if (i > 0)
			puts_(b, ",");
		field(b, cols[i] != NULL ? cols[i] : "");
	}
	puts_(b, "\r\n");
}

static void emit_value(struct buf *b, const struct line *l, const char *metric, const char *category, json_t *v)
{
	char num[64];
	if (json_is_string(v)) {
		emit(b, l, metric, category, json_string_value(v), NULL);
		return;
	}
	number_text(v, num, sizeof(num));
	emit(b, l, metric, category, num, NULL);
}

/* One cell: a withheld one is one line; else each member (objects of counts by category, nested objects by
 * prefix, arrays of texts one line each). */
static void emit_cell(struct buf *b, const struct line *l, json_t *cell, const char *prefix)
{
	json_t *why = json_object_get(cell, "withheld");
	if (json_is_string(why)) {
		emit(b, l, "count", NULL, NULL, json_string_value(why));
		return;
	}
	const char *k;
	json_t *v;
	json_object_foreach(cell, k, v) {
		char metric[96];
		snprintf(metric, sizeof(metric), "%s%s", prefix, k);
		if (json_is_object(v)) {
			json_t *first = json_object_iter_value(json_object_iter(v));
			if (json_is_object(first) || json_is_array(first) || json_object_get(v, "mean") != NULL) {
				char sub[128];
				snprintf(sub, sizeof(sub), "%s_", metric);
				emit_cell(b, l, v, sub);
				continue;
			}
			const char *ck;
			json_t *cv;
			json_object_foreach(v, ck, cv)
				emit_value(b, l, metric, ck, cv);
		} else if (json_is_array(v)) {
			size_t i;
			json_t *t;
			json_array_foreach(v, i, t)
				emit_value(b, l, strcmp(k, "texts") == 0 ? "text" : metric, NULL, t);
		} else {
			emit_value(b, l, metric, NULL, v);
		}
	}
}

static void emit_rows(struct buf *b, struct line *l, json_t *scope)
{
	const char *kinds[2] = {"questions", "topics"};
	const char *rows[2] = {"question", "topic"};
	for (int r = 0; r < 2; r++) {
		const char *item;
		json_t *cell;
		l->row = rows[r];
		json_object_foreach(json_object_get(scope, kinds[r]), item, cell) {
			l->item = item;
			emit_cell(b, l, cell, "");
		}
	}
}

char *result_csv(json_t *doc)
{
	struct buf b = {NULL, 0, 0};
	char num[64];
	puts_(&b, "scope,group,row,item,metric,category,value,withheld\r\n");

	struct line l = {"overall", NULL, "response_rate", NULL};
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(doc, "response_rate"), k, v)
		emit_value(&b, &l, k, NULL, v);
	l.row = "respondents";
	json_t *resp = json_object_get(doc, "respondents");
	if (json_is_integer(resp)) {
		number_text(resp, num, sizeof(num));
		emit(&b, &l, "count", NULL, num, NULL);
	} else {
		emit(&b, &l, "count", NULL, NULL, "fewer_than_minimum");
	}
	emit_rows(&b, &l, json_object_get(doc, "overall"));

	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(doc, "groups"), i, g) {
		struct line gl = {"group", json_string_value(json_object_get(g, "key")), "respondents", NULL};
		json_t *why = json_object_get(g, "withheld");
		if (json_is_string(why)) {
			emit(&b, &gl, "count", NULL, NULL, json_string_value(why));
		} else {
			number_text(json_object_get(g, "respondents"), num, sizeof(num));
			emit(&b, &gl, "count", NULL, num, NULL);
		}
		emit_rows(&b, &gl, g);
	}
	return b.data;
}
