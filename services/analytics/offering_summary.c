/* offering_summary.c - the efficacy summary per offering: rates, suppression, CSV (pure). */
#include "services/analytics/offering_summary.h"

#include <stdio.h>
#include <string.h>

/* x rounded to a number of decimals (half away from zero); no libm. */
static double rounded(double x, double scale)
{
	double y = x * scale;
	return (double)(long long)(y + (y >= 0 ? 0.5 : -0.5)) / scale;
}

static long long count_of(json_t *o, const char *name)
{
	return (long long)json_integer_value(json_object_get(o, name));
}

/* The figures about people, null when withheld. */
static const char *const people[] = {
	"participants",    "attendances",        "mean_sessions_attended",  "hours", "completers",
	"completion_rate", "coaching_follow_up", "coaching_follow_up_rate", NULL};

static json_t *offering(json_t *c, long min_cell)
{
	json_t *o = json_object();
	json_object_set(o, "activity_id", json_object_get(c, "activity_id"));
	json_object_set(o, "title", json_object_get(c, "title"));
	json_object_set(o, "type", json_object_get(c, "type"));
	json_object_set_new(o, "sessions", json_integer(count_of(c, "sessions")));
	long long participants = count_of(c, "participants");
	if (participants < min_cell) {
		for (const char *const *n = people; *n != NULL; n++)
			json_object_set_new(o, *n, json_null());
	} else {
		double p = (double)participants;
		json_object_set_new(o, "participants", json_integer(participants));
		json_object_set_new(o, "attendances", json_integer(count_of(c, "attendances")));
		json_object_set_new(o, "mean_sessions_attended",
				    json_real(rounded((double)count_of(c, "attendances") / p, 1e2)));
		json_object_set_new(o, "hours", json_real(rounded((double)count_of(c, "hours_cents") / 100.0, 1e2)));
		json_object_set_new(o, "completers", json_integer(count_of(c, "completers")));
		json_object_set_new(o, "completion_rate",
				    json_real(rounded((double)count_of(c, "completers") / p, 1e4)));
		json_object_set_new(o, "coaching_follow_up", json_integer(count_of(c, "coached")));
		json_object_set_new(o, "coaching_follow_up_rate",
				    json_real(rounded((double)count_of(c, "coached") / p, 1e4)));
	}
	/* Not in the read models yet (surveys are not linked to activities): null, not zero. */
	json_object_set_new(o, "satisfaction", json_null());
	json_object_set_new(o, "confidence_change", json_null());
	json_object_set_new(o, "withheld", participants < min_cell ? json_string("fewer_than_minimum") : json_null());
	return o;
}

json_t *offering_summary_build(json_t *counts, long min_cell)
{
	json_t *list = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(counts, "offerings"), i, c)
		json_array_append_new(list, offering(c, min_cell));
	int truncated = count_of(counts, "offering_count") > (long long)json_array_size(list);
	return json_pack("{s:I, s:b, s:o}", "min_cell", (json_int_t)min_cell, "truncated", truncated, "offerings",
			 list);
}

static void cell_text(json_t *v, char *out, size_t n)
{
	if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.15g", json_real_value(v));
	else if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else
		out[0] = '\0';
}

void offering_summary_csv(json_t *summary, struct hg_csv *csv)
{
	static const char *const header[] = {"activity_id",
					     "title",
					     "type",
					     "sessions",
					     "participants",
					     "attendances",
					     "mean_sessions_attended",
					     "hours",
					     "completers",
					     "completion_rate",
					     "coaching_follow_up",
					     "coaching_follow_up_rate",
					     "satisfaction",
					     "confidence_change",
					     "withheld"};
	enum { NCOLS = sizeof(header) / sizeof(header[0]) };
	hg_csv_row(csv, header, NCOLS);
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(summary, "offerings"), i, o) {
		char texts[NCOLS][64];
		const char *cells[NCOLS];
		for (size_t k = 0; k < NCOLS; k++) {
			json_t *v = json_object_get(o, header[k]);
			cell_text(v, texts[k], sizeof(texts[k]));
			cells[k] = json_is_string(v) ? json_string_value(v) : texts[k]; /* texts whole, however long */
		}
		hg_csv_row(csv, cells, NCOLS);
	}
}
