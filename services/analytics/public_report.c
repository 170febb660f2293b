/* public_report.c - the public aggregate report: figures per group, small groups withheld, as JSON or CSV. */
#include "services/analytics/public_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/suppress.h"
#include "common/xmalloc.h"

const char *const public_report_dimensions[] = {"school", "locale", "poverty", "title_i", "career_stage", NULL};

static const char *const figure_names[] = {"educators", "participants", "participation_rate",
					   "hours",     "mean_hours",   NULL};

/* The published figures of a participation group or overall answer (borrowed) into out. */
static void copy_figures(json_t *out, json_t *from)
{
	for (const char *const *n = figure_names; *n != NULL; n++) {
		json_t *v = json_object_get(from, *n);
		json_object_set(out, *n, v != NULL ? v : json_null());
	}
	json_object_set_new(out, "withheld", json_null());
}

static void set_withheld(json_t *out, const char *why)
{
	for (const char *const *n = figure_names; *n != NULL; n++)
		json_object_set_new(out, *n, json_null());
	json_object_set_new(out, "withheld", json_string(why));
}

static json_t *dimension(const char *name, json_t *answer, long min_cell, int all_withheld)
{
	json_t *groups = json_object_get(answer, "groups"), *g;
	size_t n = json_array_size(groups), i;
	long *counts = xcalloc(n + 1, sizeof(long));
	int *withheld = xcalloc(n + 1, sizeof(int));
	json_array_foreach(groups, i, g)
		counts[i] = (long)json_integer_value(json_object_get(g, "educators"));
	hg_suppress_row(counts, n, min_cell, min_cell, withheld);
	json_t *out =
		json_pack("{s:s, s:O, s:[]}", "dimension", name, "truncated",
			  json_is_true(json_object_get(answer, "truncated")) ? json_true() : json_false(), "groups");
	json_t *rows = json_object_get(out, "groups");
	json_array_foreach(groups, i, g) {
		json_t *row = json_object();
		json_t *key = json_object_get(g, "key");
		json_object_set(row, "key", key != NULL ? key : json_null());
		if (strcmp(name, "school") == 0) {
			json_t *school = json_object_get(g, "name");
			json_object_set(row, "name", school != NULL ? school : json_null());
		}
		if (all_withheld || withheld[i])
			set_withheld(row,
				     all_withheld || counts[i] < min_cell ? "fewer_than_minimum" : "complementary");
		else
			copy_figures(row, g);
		json_array_append_new(rows, row);
	}
	free(counts);
	free(withheld);
	return out;
}

json_t *public_report_build(json_t *overall, json_t *const *by, long min_cell)
{
	int all_withheld = json_integer_value(json_object_get(overall, "educators")) < min_cell;
	json_t *o = json_object();
	if (all_withheld)
		set_withheld(o, "fewer_than_minimum");
	else
		copy_figures(o, overall);
	json_t *dims = json_array();
	for (size_t d = 0; public_report_dimensions[d] != NULL; d++)
		json_array_append_new(dims, dimension(public_report_dimensions[d], by[d], min_cell, all_withheld));
	return json_pack("{s:I, s:o, s:o}", "min_cell", (json_int_t)min_cell, "overall", o, "dimensions", dims);
}

/* A figure as CSV text: integers as they are, reals with up to four decimals as the JSON has them. */
static void cell_text(json_t *v, char *out, size_t n)
{
	if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.15g", json_real_value(v));
	else if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(out, n, "%s", json_is_true(v) ? "true" : "false");
	else
		out[0] = '\0';
}

static void csv_row(struct hg_csv *csv, const char *dim, json_t *row)
{
	char texts[8][64];
	const char *cells[9];
	json_t *values[8] = {json_object_get(row, "key"), json_object_get(row, "name")};
	for (size_t i = 0; figure_names[i] != NULL; i++)
		values[2 + i] = json_object_get(row, figure_names[i]);
	values[7] = json_object_get(row, "withheld");
	cells[0] = dim;
	for (size_t i = 0; i < 8; i++) {
		cell_text(values[i], texts[i], sizeof(texts[i]));
		cells[1 + i] = json_is_string(values[i]) ? json_string_value(values[i]) : texts[i]; /* names whole */
	}
	hg_csv_row(csv, cells, 9);
}

void public_report_csv(json_t *report, struct hg_csv *csv)
{
	static const char *const header[] = {"dimension",          "key",   "name",       "educators", "participants",
					     "participation_rate", "hours", "mean_hours", "withheld"};
	hg_csv_row(csv, header, 9);
	csv_row(csv, "overall", json_object_get(report, "overall"));
	size_t i, j;
	json_t *d, *g;
	json_array_foreach(json_object_get(report, "dimensions"), i, d) {
		const char *name = json_string_value(json_object_get(d, "dimension"));
		json_array_foreach(json_object_get(d, "groups"), j, g)
			csv_row(csv, name, g);
	}
}
