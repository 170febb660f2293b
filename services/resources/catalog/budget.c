/* budget.c - PD budgets: validation and the pure rules of funding sources, charges and releases. */
#include "services/resources/catalog/budget.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "services/resources/catalog/activity.h"
#include "services/resources/reasons.h"

const char *const budget_categories[] = {"facilitator_fees", "substitute_coverage", "materials", "stipends",
					 "travel",           "platforms",           NULL};
const char *const budget_kinds[] = {"planned", "actual", NULL};

static const char *const source_fields[] = {
	"name", "fiscal_year", "allocation_cents", "allowed_categories", "allowed_activity_types", NULL};
static const char *const charge_fields[] = {"activity_id", "session_id", "category",        "kind", "amount_cents",
					    "description", "override",   "override_reason", NULL};
static const char *const settings_fields[] = {"daily_rate_cents", "school_day_start", "school_day_end", "time_zone",
					      NULL};
static const char *const release_fields[] = {"funding_source_id", "school_id",       "kind",
					     "override",          "override_reason", NULL};

/* A restriction list: absent, null (no restriction), or 1..max distinct values of choices. *out a new reference
 * (json null for none) when valid. */
static int check_restriction(json_t *body, const char *field, size_t max, const char *const *choices, json_t *errs,
			     json_t **out)
{
	json_t *v = json_object_get(body, field), *arr = NULL;
	*out = NULL;
	if (v == NULL)
		return 1;
	if (json_is_null(v)) {
		*out = json_null();
		return 1;
	}
	if (!hg_check_string_array(body, field, max, 64, choices, errs, &arr))
		return 0;
	if (json_array_size(arr) == 0) {
		hg_err_add(errs, field, "must name at least one value, or be null for no restriction");
		return 0;
	}
	*out = json_incref(arr);
	return 1;
}

/* Both restrictions into obj (when given). */
static void put_restrictions(json_t *obj, json_t *categories, json_t *types)
{
	if (categories != NULL)
		json_object_set_new(obj, "allowed_categories", categories);
	if (types != NULL)
		json_object_set_new(obj, "allowed_activity_types", types);
}

json_t *budget_validate_source_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *name = NULL;
	long year = 0, allocation = 0;
	json_t *categories = NULL, *types = NULL, *out = NULL;
	size_t before = json_array_size(errs);
	(void)in;

	hg_check_known_fields(body, source_fields, errs);
	hg_check_string(body, "name", 1, 0, 1, 100, errs, &name);
	hg_check_int(body, "fiscal_year", 1, 2000, 2100, errs, &year);
	hg_check_int(body, "allocation_cents", 1, 0, BUDGET_MAX_ALLOCATION_CENTS, errs, &allocation);
	check_restriction(body, "allowed_categories", 6, budget_categories, errs, &categories);
	check_restriction(body, "allowed_activity_types", 10, activity_types, errs, &types);
	if (json_array_size(errs) == before) {
		out = json_pack("{s:o, s:I, s:I}", "name", hg_trimmed(name), "fiscal_year", (json_int_t)year,
				"allocation_cents", (json_int_t)allocation);
		put_restrictions(out, categories, types);
		return out;
	}
	json_decref(categories);
	json_decref(types);
	return NULL;
}

json_t *budget_validate_source_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *name = NULL;
	long allocation = -1;
	json_t *categories = NULL, *types = NULL, *out;
	size_t before = json_array_size(errs);
	(void)in;

	hg_check_known_fields(body, source_fields, errs);
	if (json_object_get(body, "fiscal_year") != NULL)
		hg_err_add(errs, "fiscal_year", "cannot change: a source belongs to one fiscal year");
	hg_check_string(body, "name", 0, 0, 1, 100, errs, &name);
	hg_check_int(body, "allocation_cents", 0, 0, BUDGET_MAX_ALLOCATION_CENTS, errs, &allocation);
	check_restriction(body, "allowed_categories", 6, budget_categories, errs, &categories);
	check_restriction(body, "allowed_activity_types", 10, activity_types, errs, &types);
	if (json_array_size(errs) > before) {
		json_decref(categories);
		json_decref(types);
		return NULL;
	}
	out = json_object();
	if (name != NULL)
		json_object_set_new(out, "name", hg_trimmed(name));
	if (json_object_get(body, "allocation_cents") != NULL)
		json_object_set_new(out, "allocation_cents", json_integer(allocation));
	put_restrictions(out, categories, types);
	return out;
}

/* override (boolean, default false) and override_reason (required with it, refused without it) into out. */
static void check_override(json_t *body, json_t *errs, int *override, const char **reason)
{
	json_t *v = json_object_get(body, "override");
	*override = 0;
	if (v != NULL && !json_is_boolean(v))
		hg_err_add(errs, "override", "must be a boolean");
	else if (v != NULL)
		*override = json_is_true(v);
	hg_check_string(body, "override_reason", *override, 0, 1, 1000, errs, reason);
	if (!*override && *reason != NULL)
		hg_err_add(errs, "override_reason", "is only given with \"override\": true");
}

json_t *budget_validate_charge(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *category = NULL, *kind = NULL, *description = NULL, *reason = NULL;
	char activity[37] = "", session[37] = "";
	long amount = 0;
	int override = 0;
	size_t before = json_array_size(errs);
	(void)in;

	hg_check_known_fields(body, charge_fields, errs);
	hg_check_uuid(body, "activity_id", 1, errs, activity);
	if (!json_is_null(json_object_get(body, "session_id")))
		hg_check_uuid(body, "session_id", 0, errs, session);
	hg_check_enum(body, "category", 1, budget_categories, errs, &category);
	hg_check_enum(body, "kind", 0, budget_kinds, errs, &kind);
	hg_check_int(body, "amount_cents", 1, 1, BUDGET_MAX_COST_CENTS, errs, &amount);
	hg_check_string(body, "description", 0, 0, 0, 500, errs, &description);
	check_override(body, errs, &override, &reason);
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_pack("{s:s, s:s, s:s, s:I, s:o, s:b}", "activity_id", activity, "category", category, "kind",
				kind ? kind : "planned", "amount_cents", (json_int_t)amount, "description",
				description ? hg_trimmed(description) : json_string(""), "override", override);
	json_object_set_new(out, "session_id", session[0] ? json_string(session) : json_null());
	json_object_set_new(out, "override_reason", reason ? hg_trimmed(reason) : json_null());
	return out;
}

/* "HH:MM" (00:00-23:59) as minutes since midnight, or -1. */
static int parse_hhmm(const char *s)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

json_t *budget_validate_settings(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *start = NULL, *end = NULL, *zone = NULL;
	long rate = 0;
	size_t before = json_array_size(errs);
	(void)in;

	hg_check_known_fields(body, settings_fields, errs);
	hg_check_int(body, "daily_rate_cents", 1, 1, BUDGET_MAX_DAILY_RATE_CENTS, errs, &rate);
	int times_ok = hg_check_string(body, "school_day_start", 1, 0, 5, 5, errs, &start);
	times_ok &= hg_check_string(body, "school_day_end", 1, 0, 5, 5, errs, &end);
	if (times_ok && start != NULL && parse_hhmm(start) < 0)
		hg_err_add(errs, "school_day_start", "must be a time of day HH:MM");
	if (times_ok && end != NULL && parse_hhmm(end) < 0)
		hg_err_add(errs, "school_day_end", "must be a time of day HH:MM");
	else if (times_ok && start != NULL && end != NULL && parse_hhmm(start) >= 0 &&
		 parse_hhmm(end) <= parse_hhmm(start))
		hg_err_add(errs, "school_day_end", "must be after school_day_start");
	if (hg_check_string(body, "time_zone", 1, 0, 1, 64, errs, &zone) && zone != NULL) {
		for (const char *p = zone; *p; p++)
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			      strchr("/_+-", *p) != NULL)) {
				hg_err_add(errs, "time_zone", "must be an IANA time zone name such as America/Chicago");
				break;
			}
	}
	if (json_array_size(errs) > before)
		return NULL;
	return json_pack("{s:I, s:s, s:s, s:s}", "daily_rate_cents", (json_int_t)rate, "school_day_start", start,
			 "school_day_end", end, "time_zone", zone);
}

json_t *budget_validate_release(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *kind = NULL, *reason = NULL;
	char source[37] = "", school[37] = "";
	int override = 0;
	size_t before = json_array_size(errs);
	(void)in;

	hg_check_known_fields(body, release_fields, errs);
	hg_check_uuid(body, "funding_source_id", 1, errs, source);
	if (!json_is_null(json_object_get(body, "school_id")))
		hg_check_uuid(body, "school_id", 0, errs, school);
	hg_check_enum(body, "kind", 0, budget_kinds, errs, &kind);
	check_override(body, errs, &override, &reason);
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_pack("{s:s, s:s, s:b}", "funding_source_id", source, "kind", kind ? kind : "planned",
				"override", override);
	json_object_set_new(out, "school_id", school[0] ? json_string(school) : json_null());
	json_object_set_new(out, "override_reason", reason ? hg_trimmed(reason) : json_null());
	return out;
}

/* Is value in arr (a JSON array of strings), or arr null/absent (no restriction)? */
static int allowed(json_t *arr, const char *value)
{
	size_t i;
	json_t *v;
	if (!json_is_array(arr))
		return 1;
	json_array_foreach(arr, i, v) {
		if (value != NULL && json_is_string(v) && strcmp(json_string_value(v), value) == 0)
			return 1;
	}
	return 0;
}

static json_int_t int_of(json_t *state, const char *key) { return json_integer_value(json_object_get(state, key)); }

const struct hg_reason *budget_charge_check(json_t *state, const char *activity_type, const char *category,
					    int64_t amount_cents, json_t *broken, const char **field)
{
	const struct hg_reason *first = NULL;
	*field = "";
	if (!allowed(json_object_get(state, "allowed_categories"), category)) {
		first = RESOURCES_REFUSE(R_FUNDING_CATEGORY_NOT_ALLOWED);
		*field = "category";
		json_array_append_new(broken, json_string(first->code));
	}
	if (!allowed(json_object_get(state, "allowed_activity_types"), activity_type)) {
		const struct hg_reason *r = RESOURCES_REFUSE(R_FUNDING_ACTIVITY_TYPE_NOT_ALLOWED);
		if (first == NULL) {
			first = r;
			*field = "activity_id";
		}
		json_array_append_new(broken, json_string(r->code));
	}
	/* Exact in 64 bits: allocations ≤ 10^14, lines ≤ 10^10, so the sum of every line a source could hold stays
	 * far below 2^63. */
	json_int_t available =
		int_of(state, "allocation_cents") - int_of(state, "spent_cents") - int_of(state, "committed_cents");
	if (amount_cents > available) {
		const struct hg_reason *r = RESOURCES_REFUSE(R_FUNDING_OVERDRAWN);
		if (first == NULL)
			first = r;
		json_array_append_new(broken, json_string(r->code));
	}
	return first;
}

const struct hg_reason *budget_rule_source_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)who;
	json_t *allocation = json_object_get(changes, "allocation_cents");
	if (allocation != NULL &&
	    json_integer_value(allocation) < int_of(state, "spent_cents") + int_of(state, "committed_cents"))
		return RESOURCES_REFUSE(R_FUNDING_ALLOCATION_BELOW_CHARGED);
	return NULL;
}

int budget_release_half_days(int64_t overlap_min, int64_t day_min)
{
	if (overlap_min <= 0 || day_min <= 0)
		return 0;
	return overlap_min * 2 <= day_min ? 1 : 2;
}

int64_t budget_release_cents(int64_t half_days, int64_t daily_rate_cents)
{
	return (half_days * daily_rate_cents + 1) / 2;
}

void budget_format_cents(int64_t cents, char *out, size_t len)
{
	uint64_t abs = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	snprintf(out, len, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", abs / 100, abs % 100);
}

int budget_fiscal_year(const char *text, long *out)
{
	if (text == NULL || strlen(text) != 4)
		return 0;
	for (int i = 0; i < 4; i++)
		if (text[i] < '0' || text[i] > '9')
			return 0;
	long y = strtol(text, NULL, 10);
	if (y < 2000 || y > 2100)
		return 0;
	*out = y;
	return 1;
}

/* One CSV row of a source's amounts (allocation and available empty for a category). */
static void csv_amounts(struct hg_csv *b, const char *year, json_t *source, const char *category, json_t *amounts,
			int total)
{
	char allocation[32] = "", spent[32], committed[32], available[32] = "";
	budget_format_cents(int_of(amounts, "spent_cents"), spent, sizeof(spent));
	budget_format_cents(int_of(amounts, "committed_cents"), committed, sizeof(committed));
	if (total) {
		budget_format_cents(int_of(amounts, "allocation_cents"), allocation, sizeof(allocation));
		budget_format_cents(int_of(amounts, "available_cents"), available, sizeof(available));
	}
	const char *row[8] = {year,
			      json_string_value(json_object_get(source, "funding_source_id")),
			      json_string_value(json_object_get(source, "name")),
			      category,
			      allocation,
			      spent,
			      committed,
			      available};
	hg_csv_row(b, row, 8);
}

char *budget_report_csv(json_t *report)
{
	static const char *const header[8] = {"fiscal_year", "funding_source_id", "funding_source",
					      "category",    "allocation",        "spent",
					      "committed",   "available"};
	struct hg_csv b = {NULL, 0, 0};
	char year[16];
	size_t i, j;
	json_t *source, *category;

	snprintf(year, sizeof(year), "%" JSON_INTEGER_FORMAT,
		 json_integer_value(json_object_get(report, "fiscal_year")));
	hg_csv_row(&b, header, 8);
	json_array_foreach(json_object_get(report, "sources"), i, source) {
		csv_amounts(&b, year, source, "total", source, 1);
		json_array_foreach(json_object_get(source, "categories"), j, category) {
			csv_amounts(&b, year, source, json_string_value(json_object_get(category, "category")),
				    category, 0);
		}
	}
	if (b.data == NULL)
		hg_csv_put(&b, "");
	return b.data;
}
