/* Unit tests: PD budgets' pure rules (services/resources/catalog/budget.c): validation naming every bad field,
 * the charge rule (restrictions, then the overdraft, each recorded for an override), release half days and their
 * cost in exact cents, the CSV of a report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/resources/catalog/budget.h"

/* The fields errs names, comma-joined, in order. */
static char *fields_of(json_t *errs)
{
	static char buf[512];
	size_t i, len = 0;
	json_t *e;
	buf[0] = '\0';
	json_array_foreach(errs, i, e) {
		int n = snprintf(buf + len, sizeof(buf) - len, "%s%s", i > 0 ? "," : "",
				 json_string_value(json_object_get(e, "field")));
		if (n > 0)
			len += (size_t)n < sizeof(buf) - len ? (size_t)n : 0;
	}
	return buf;
}

static json_t *validated(hg_validate_fn fn, const char *body, json_t **errs)
{
	struct hg_input in = {0};
	json_t *b = json_loads(body, 0, NULL);
	assert_non_null(b);
	*errs = json_array();
	json_t *out = fn(b, &in, *errs);
	json_decref(b);
	return out;
}

static void test_source_validation(void **state)
{
	(void)state;
	json_t *errs,
		*out = validated(budget_validate_source_create,
				 "{\"name\":\" Title II-A \",\"fiscal_year\":2027,\"allocation_cents\":100000000000000,"
				 "\"allowed_categories\":[\"materials\"],\"allowed_activity_types\":null}",
				 &errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "name")), "Title II-A");
	assert_int_equal(json_integer_value(json_object_get(out, "allocation_cents")), 100000000000000LL);
	assert_true(json_is_null(json_object_get(out, "allowed_activity_types")));
	json_decref(out);
	json_decref(errs);
	out = validated(budget_validate_source_create,
			"{\"name\":\"\",\"fiscal_year\":1999,\"allocation_cents\":100000000000001,"
			"\"allowed_categories\":[],\"allowed_activity_types\":[\"Nap\"],\"x\":1}",
			&errs);
	assert_null(out);
	assert_string_equal(fields_of(errs),
			    "x,name,fiscal_year,allocation_cents,allowed_categories,allowed_activity_types");
	json_decref(errs);
	out = validated(budget_validate_source_patch, "{\"fiscal_year\":2028,\"allocation_cents\":0.5}", &errs);
	assert_null(out);
	assert_string_equal(fields_of(errs), "fiscal_year,allocation_cents");
	json_decref(errs);
}

static void test_charge_validation(void **state)
{
	(void)state;
	json_t *errs,
		*out = validated(budget_validate_charge,
				 "{\"activity_id\":\"11111111-1111-4111-8111-111111111111\",\"category\":\"travel\","
				 "\"amount_cents\":5.0}",
				 &errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "kind")), "planned");
	assert_int_equal(json_integer_value(json_object_get(out, "amount_cents")), 5);
	assert_true(json_is_null(json_object_get(out, "session_id")));
	json_decref(out);
	json_decref(errs);
	out = validated(budget_validate_charge,
			"{\"activity_id\":\"x\",\"category\":\"food\",\"amount_cents\":10000000001,\"override\":true}",
			&errs);
	assert_null(out);
	assert_string_equal(fields_of(errs), "activity_id,category,amount_cents,override_reason");
	json_decref(errs);
	out = validated(budget_validate_charge,
			"{\"activity_id\":\"11111111-1111-4111-8111-111111111111\",\"category\":\"travel\","
			"\"amount_cents\":1,\"override_reason\":\"why\"}",
			&errs);
	assert_null(out);
	assert_string_equal(fields_of(errs), "override_reason");
	json_decref(errs);
	out = validated(budget_validate_settings,
			"{\"daily_rate_cents\":0,\"school_day_start\":\"15:00\",\"school_day_end\":\"08:00\","
			"\"time_zone\":\"America/Chicago; DROP\"}",
			&errs);
	assert_null(out);
	assert_string_equal(fields_of(errs), "daily_rate_cents,school_day_end,time_zone");
	json_decref(errs);
}

static void test_charge_rule(void **state)
{
	(void)state;
	json_t *source = json_loads("{\"allocation_cents\":1000,\"spent_cents\":600,\"committed_cents\":300,"
				    "\"allowed_categories\":[\"materials\"],\"allowed_activity_types\":[\"Coaching\"]}",
				    0, NULL);
	json_t *broken = json_array();
	const char *field;
	/* Exactly what is left passes; a cent more is an overdraft. */
	assert_null(budget_charge_check(source, "Coaching", "materials", 100, broken, &field));
	assert_int_equal(json_array_size(broken), 0);
	const struct hg_reason *why = budget_charge_check(source, "Coaching", "materials", 101, broken, &field);
	assert_string_equal(why->code, "funding_overdrawn");
	assert_string_equal(field, "");
	json_array_clear(broken);
	/* Every broken restriction is recorded, the category first. */
	why = budget_charge_check(source, "P2P", "travel", 101, broken, &field);
	assert_string_equal(why->code, "funding_category_not_allowed");
	assert_string_equal(field, "category");
	assert_int_equal(json_array_size(broken), 3);
	assert_string_equal(json_string_value(json_array_get(broken, 1)), "funding_activity_type_not_allowed");
	json_array_clear(broken);
	why = budget_charge_check(source, "P2P", "materials", 1, broken, &field);
	assert_string_equal(why->code, "funding_activity_type_not_allowed");
	assert_string_equal(field, "activity_id");
	json_decref(broken);
	json_decref(source);

	json_t *charged = json_loads("{\"spent_cents\":600,\"committed_cents\":300}", 0, NULL);
	json_t *lower = json_loads("{\"allocation_cents\":899}", 0, NULL),
	       *ok = json_loads("{\"allocation_cents\":900}", 0, NULL);
	assert_string_equal(budget_rule_source_change(NULL, charged, lower)->code, "funding_allocation_below_charged");
	assert_null(budget_rule_source_change(NULL, charged, ok));
	json_decref(charged);
	json_decref(lower);
	json_decref(ok);
}

static void test_release_arithmetic(void **state)
{
	(void)state;
	/* A school day of 420 minutes: up to 210 a half day, more a full one. */
	assert_int_equal(budget_release_half_days(0, 420), 0);
	assert_int_equal(budget_release_half_days(1, 420), 1);
	assert_int_equal(budget_release_half_days(210, 420), 1);
	assert_int_equal(budget_release_half_days(211, 420), 2);
	assert_int_equal(budget_release_half_days(420, 420), 2);
	/* An odd daily rate: half a day rounds half up to a cent. */
	assert_int_equal(budget_release_cents(1, 20001), 10001);
	assert_int_equal(budget_release_cents(2, 20001), 20001);
	assert_int_equal(budget_release_cents(3, 20001), 30002);
	char buf[32];
	budget_format_cents(-1205, buf, sizeof(buf));
	assert_string_equal(buf, "-12.05");
	budget_format_cents(100000000000000LL, buf, sizeof(buf));
	assert_string_equal(buf, "1000000000000.00");
	long y = 0;
	assert_true(budget_fiscal_year("2027", &y) && y == 2027);
	assert_false(budget_fiscal_year("1999", &y) || budget_fiscal_year("27", &y) || budget_fiscal_year(NULL, &y) ||
		     budget_fiscal_year("20a7", &y));
}

static void test_report_csv(void **state)
{
	(void)state;
	json_t *report = json_loads(
		"{\"fiscal_year\":2027,\"sources\":[{\"funding_source_id\":\"s1\",\"name\":\"=Title, II\","
		"\"allocation_cents\":100000,\"spent_cents\":2505,\"committed_cents\":0,\"available_cents\":97495,"
		"\"categories\":[{\"category\":\"travel\",\"spent_cents\":2505,\"committed_cents\":0}]}]}",
		0, NULL);
	char *csv = budget_report_csv(report);
	assert_string_equal(csv, "fiscal_year,funding_source_id,funding_source,category,allocation,spent,committed,"
				 "available\r\n"
				 "2027,s1,\"'=Title, II\",total,1000.00,25.05,0.00,974.95\r\n"
				 "2027,s1,\"'=Title, II\",travel,,25.05,0.00,\r\n");
	free(csv);
	json_decref(report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_validation), cmocka_unit_test(test_charge_validation),
		cmocka_unit_test(test_charge_rule),       cmocka_unit_test(test_release_arithmetic),
		cmocka_unit_test(test_report_csv),
	};
	return cmocka_run_group_tests_name("resources budgets", tests, NULL, NULL);
}
