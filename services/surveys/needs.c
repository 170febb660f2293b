/* needs.c - needs by topic across closed needs assessments, suppressed (pure). */
#include "services/surveys/needs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/suppress.h"
#include "common/xmalloc.h"

int needs_period(const char *p, char from[16], char to[16])
{
	int y = 0, y2 = 0;
	size_t n = strlen(p);
	for (size_t i = 0; i < n; i++)
		if ((i == 4 && p[i] != '-') || (i != 4 && (p[i] < '0' || p[i] > '9')))
			return 0;
	if (n == 4 && sscanf(p, "%4d", &y) == 1 && y >= 1900 && y <= 2099) {
		snprintf(from, 16, "%04u-01-01", (unsigned)(y % 10000));
		snprintf(to, 16, "%04u-01-01", (unsigned)((y + 1) % 10000));
		return 1;
	}
	if (n == 7 && sscanf(p, "%4d-%2d", &y, &y2) == 2 && y >= 1900 && y <= 2099 && y2 == (y + 1) % 100) {
		snprintf(from, 16, "%04u-07-01", (unsigned)(y % 10000));
		snprintf(to, 16, "%04u-07-01", (unsigned)((y + 1) % 10000));
		return 1;
	}
	return 0;
}

struct topic {
	const char *name;
	long respondents;
	double sum;
	long answers;
	const char *withheld;
	double mean;
};

static int by_need(const void *a, const void *b)
{
	const struct topic *x = a, *y = b;
	if ((x->withheld == NULL) != (y->withheld == NULL))
		return x->withheld == NULL ? -1 : 1;
	if (x->withheld == NULL && x->mean != y->mean)
		return x->mean > y->mean ? -1 : 1;
	return strcmp(x->name, y->name);
}

static double round2(double x)
{
	double y = x * 100.0;
	return (double)(long long)(y + (y >= 0 ? 0.5 : -0.5)) / 100.0;
}

/* The topic's figures for school (NULL: the district), suppressed across the topic's row of schools. */
static void one_topic(json_t *rows, struct topic *t, const char *school, long min_cell)
{
	size_t n = 0, i, me = (size_t)-1;
	json_t *r;
	json_array_foreach(rows, i, r)
		n += strcmp(json_string_value(json_object_get(r, "topic")), t->name) == 0;
	long *counts = xcalloc(n + 1, sizeof(long));
	int *withheld = xcalloc(n + 1, sizeof(int));
	size_t k = 0;
	long total = 0;
	double sum = 0;
	long answers = 0;
	json_array_foreach(rows, i, r) {
		if (strcmp(json_string_value(json_object_get(r, "topic")), t->name) != 0)
			continue;
		const char *s = json_string_value(json_object_get(r, "school"));
		counts[k] = (long)json_integer_value(json_object_get(r, "respondents"));
		total += counts[k];
		int mine = school == NULL || (s != NULL && strcmp(s, school) == 0);
		if (mine) {
			sum += json_number_value(json_object_get(r, "sum"));
			answers += (long)json_integer_value(json_object_get(r, "answers"));
			t->respondents += counts[k];
			if (school != NULL)
				me = k;
		}
		k++;
	}
	int overall_withheld = hg_suppress_row(counts, n, min_cell, min_cell, withheld);
	if (school == NULL) {
		t->withheld = overall_withheld ? "fewer_than_minimum" : NULL;
	} else if (overall_withheld || withheld[me]) {
		t->withheld = t->respondents < min_cell ? "fewer_than_minimum" : "complementary";
	}
	t->sum = sum;
	t->answers = answers;
	t->mean = answers > 0 ? sum / (double)answers : 0;
	(void)total;
	free(withheld);
	free(counts);
}

json_t *needs_build(json_t *rows, const char *school, long min_cell)
{
	size_t n = 0, i;
	json_t *r;
	struct topic *topics = xcalloc(json_array_size(rows) + 1, sizeof(*topics));
	/* The topics with an answer for the district, or for the school asked for. */
	json_array_foreach(rows, i, r) {
		const char *name = json_string_value(json_object_get(r, "topic"));
		const char *s = json_string_value(json_object_get(r, "school"));
		if (name == NULL || (school != NULL && (s == NULL || strcmp(s, school) != 0)))
			continue;
		size_t j = 0;
		while (j < n && strcmp(topics[j].name, name) != 0)
			j++;
		if (j == n)
			topics[n++].name = name;
	}
	for (i = 0; i < n; i++)
		one_topic(rows, &topics[i], school, min_cell);
	qsort(topics, n, sizeof(*topics), by_need);

	json_t *list = json_array();
	for (i = 0; i < n; i++) {
		json_t *t = json_object();
		json_object_set_new(t, "topic", json_string(topics[i].name));
		if (topics[i].withheld != NULL) {
			json_object_set_new(t, "rank", json_null());
			json_object_set_new(t, "mean_need", json_null());
			json_object_set_new(t, "respondents", json_null());
			json_object_set_new(t, "withheld", json_string(topics[i].withheld));
		} else {
			json_object_set_new(t, "rank", json_integer((json_int_t)i + 1));
			json_object_set_new(t, "mean_need", json_real(round2(topics[i].mean)));
			json_object_set_new(t, "respondents", json_integer(topics[i].respondents));
		}
		json_array_append_new(list, t);
	}
	free(topics);
	json_t *doc = json_object();
	json_object_set_new(doc, "school_id", school != NULL ? json_string(school) : json_null());
	json_object_set_new(doc, "min_cell", json_integer(min_cell));
	json_object_set_new(doc, "topics", list);
	return doc;
}
