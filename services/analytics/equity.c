/* equity.c - the equity audit's figures, gaps, four-fifths flags and suppression (pure). */
#include "services/analytics/equity.h"

#include <stdlib.h>
#include <string.h>

#include "common/suppress.h"
#include "common/xmalloc.h"

static const char *const dimensions[] = {"locale", "poverty", "title_i", "career_stage", NULL};

int equity_measure_parse(const char *text, enum equity_measure *out)
{
	*out = EQ_PARTICIPATION_RATE;
	if (text == NULL || strcmp(text, "participation_rate") == 0)
		return 1;
	if (strcmp(text, "mean_hours") == 0) {
		*out = EQ_MEAN_HOURS;
		return 1;
	}
	if (strcmp(text, "coaching_reach") == 0) {
		*out = EQ_COACHING_REACH;
		return 1;
	}
	return 0;
}

const char *equity_measure_name(enum equity_measure m)
{
	return m == EQ_MEAN_HOURS ? "mean_hours" : m == EQ_COACHING_REACH ? "coaching_reach" : "participation_rate";
}

/* x rounded to a number of decimals (half away from zero); no libm. */
static double rounded(double x, double scale)
{
	double y = x * scale;
	return (double)(long long)(y + (y >= 0 ? 0.5 : -0.5)) / scale;
}

struct cell {
	const char *key; /* NULL: educators without the attribute */
	long long educators, participants, coached, hours_cents;
	int withheld;
};

/* The measure of a cell as a fraction num / den (den > 0), so comparisons are exact. */
static void fraction(const struct cell *c, enum equity_measure m, long long *num, long long *den)
{
	*num = m == EQ_MEAN_HOURS ? c->hours_cents : m == EQ_COACHING_REACH ? c->coached : c->participants;
	*den = c->educators;
}

static double value_of(const struct cell *c, enum equity_measure m)
{
	long long num, den;
	fraction(c, m, &num, &den);
	return m == EQ_MEAN_HOURS ? (double)num / 100.0 / (double)den : (double)num / (double)den;
}

static long long count_of(json_t *o, const char *name)
{
	return (long long)json_integer_value(json_object_get(o, name));
}

/* The figures every shown group and the overall answer carry. */
static void set_figures(json_t *o, const struct cell *c)
{
	json_object_set_new(o, "educators", json_integer(c->educators));
	json_object_set_new(o, "participants", json_integer(c->participants));
	json_object_set_new(o, "participation_rate",
			    c->educators > 0 ? json_real(rounded((double)c->participants / (double)c->educators, 1e4))
					     : json_null());
	json_object_set_new(o, "coaching_reach",
			    c->educators > 0 ? json_real(rounded((double)c->coached / (double)c->educators, 1e4))
					     : json_null());
	json_object_set_new(o, "mean_hours",
			    c->educators > 0
				    ? json_real(rounded((double)c->hours_cents / 100.0 / (double)c->educators, 1e2))
				    : json_null());
}

static void set_withheld(json_t *o, const char *why)
{
	const char *names[] = {
		"educators", "participants", "participation_rate", "mean_hours", "coaching_reach", "value",
		"ratio",     "gap",          "below_four_fifths",  NULL};
	for (const char *const *n = names; *n != NULL; n++)
		json_object_set_new(o, *n, json_null());
	json_object_set_new(o, "withheld", json_string(why));
}

static json_t *dimension(json_t *rows, const char *name, enum equity_measure m, long min_cell, int all_withheld)
{
	size_t n = 0, i;
	json_t *r;
	json_array_foreach(rows, i, r)
		n += strcmp(json_string_value(json_object_get(r, "dimension")), name) == 0;
	struct cell *cells = xcalloc(n + 1, sizeof(*cells));
	long *counts = xcalloc(n + 1, sizeof(long));
	int *withheld = xcalloc(n + 1, sizeof(int));
	size_t k = 0;
	json_array_foreach(rows, i, r) {
		if (strcmp(json_string_value(json_object_get(r, "dimension")), name) != 0)
			continue;
		cells[k].key = json_string_value(json_object_get(r, "key"));
		cells[k].educators = count_of(r, "educators");
		cells[k].participants = count_of(r, "participants");
		cells[k].coached = count_of(r, "coached");
		cells[k].hours_cents = count_of(r, "hours_cents");
		counts[k] = (long)cells[k].educators;
		k++;
	}
	hg_suppress_row(counts, n, min_cell, min_cell, withheld);

	/* The best-served shown group with a key: the highest num/den, the first among equals. */
	const struct cell *best = NULL;
	for (i = 0; i < n; i++) {
		cells[i].withheld = all_withheld || withheld[i];
		if (cells[i].withheld || cells[i].key == NULL || cells[i].educators == 0)
			continue;
		long long bn, bd, cn, cd;
		fraction(&cells[i], m, &cn, &cd);
		if (best != NULL)
			fraction(best, m, &bn, &bd);
		if (best == NULL || cn * bd > bn * cd)
			best = &cells[i];
	}
	json_t *out = json_object(), *groups = json_array();
	json_object_set_new(out, "dimension", json_string(name));
	json_object_set_new(out, "best", best != NULL ? json_string(best->key) : json_null());
	double scale = m == EQ_MEAN_HOURS ? 1e2 : 1e4;
	for (i = 0; i < n; i++) {
		const struct cell *c = &cells[i];
		json_t *g = json_object();
		json_object_set_new(g, "key", c->key != NULL ? json_string(c->key) : json_null());
		if (c->withheld) {
			set_withheld(g, all_withheld || counts[i] < min_cell ? "fewer_than_minimum" : "complementary");
			json_array_append_new(groups, g);
			continue;
		}
		set_figures(g, c);
		double v = value_of(c, m);
		json_object_set_new(g, "value", json_real(rounded(v, scale)));
		long long bn = 0, bd = 1, cn, cd;
		fraction(c, m, &cn, &cd);
		if (best != NULL)
			fraction(best, m, &bn, &bd);
		int comparable = best != NULL && bn > 0;
		json_object_set_new(g, "ratio",
				    comparable ? json_real(rounded(v / value_of(best, m), 1e4)) : json_null());
		json_object_set_new(g, "gap",
				    best != NULL ? json_real(rounded(value_of(best, m) - v, scale)) : json_null());
		/* value < 4/5 best, on the counts: cn/cd < 4 bn / (5 bd) */
		json_object_set_new(g, "below_four_fifths",
				    comparable ? json_boolean(cn * bd * 5 < bn * cd * 4) : json_null());
		json_object_set_new(g, "withheld", json_null());
		json_array_append_new(groups, g);
	}
	json_object_set_new(out, "groups", groups);
	free(withheld);
	free(counts);
	free(cells);
	return out;
}

json_t *equity_build(json_t *counts, enum equity_measure m, long min_cell)
{
	json_t *o = json_object_get(counts, "overall");
	struct cell all = {NULL,
			   count_of(o, "educators"),
			   count_of(o, "participants"),
			   count_of(o, "coached"),
			   count_of(o, "hours_cents"),
			   0};
	int all_withheld = all.educators < min_cell;
	json_t *doc = json_object(), *overall = json_object(), *dims = json_array();
	json_object_set_new(doc, "measure", json_string(equity_measure_name(m)));
	json_object_set_new(doc, "min_cell", json_integer(min_cell));
	if (all_withheld) {
		const char *names[] = {"educators",  "participants",   "participation_rate",
				       "mean_hours", "coaching_reach", NULL};
		for (const char *const *n = names; *n != NULL; n++)
			json_object_set_new(overall, *n, json_null());
		json_object_set_new(overall, "withheld", json_string("fewer_than_minimum"));
	} else {
		set_figures(overall, &all);
		json_object_set_new(overall, "withheld", json_null());
	}
	json_object_set_new(doc, "overall", overall);
	for (const char *const *d = dimensions; *d != NULL; d++)
		json_array_append_new(dims,
				      dimension(json_object_get(counts, "groups"), *d, m, min_cell, all_withheld));
	json_object_set_new(doc, "dimensions", dims);
	return doc;
}
