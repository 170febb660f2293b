/* Unit tests: the shared body checks and the date module (common/validate.c, common/date.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/date.h"
#include "common/validate.h"
#include "tests/unit/support.h"

static void test_times(void **state)
{
	(void)state;
	int64_t us;
	assert_true(hg_api_time_parse("1970-01-01T00:00:00Z", &us) == 0); /* before 2000 */
	assert_true(hg_api_time_parse("2000-01-01T00:00:00Z", &us));
	assert_int_equal(us, 946684800LL * 1000000);
	assert_true(hg_api_time_parse("2000-01-01T02:00:00.5+02:00", &us));
	assert_int_equal(us, 946684800LL * 1000000 + 500000);
	assert_true(hg_api_time_parse("1999-12-31T19:00:00-05:00", &us) == 0); /* the year as written counts */
	assert_true(hg_api_time_parse("2028-02-29T12:00:00.123456Z", &us));
	const char *bad[] = {"2026-02-29T12:00:00Z",
			     "2026-13-01T00:00:00Z",
			     "2026-11-22T24:00:00Z",
			     "2026-11-22T12:00:00",
			     "2026-11-22 12:00:00Z",
			     "2026-11-22T12:00:00.Z",
			     "2026-11-22T12:00:00.1234567Z",
			     "2026-11-22T12:00:00+2:00",
			     "2026-11-22T12:00:00Zjunk",
			     "2101-01-01T00:00:00Z",
			     "",
			     "tomorrow"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (hg_api_time_parse(bad[i], &us))
			fail_msg("accepted %s", bad[i]);
	int64_t days;
	assert_true(hg_api_date_parse("2000-03-01", &days));
	assert_int_equal(days, 11017);
	assert_false(hg_api_date_parse("2000-03-01T00:00:00Z", &days));
	assert_false(hg_api_date_parse("2023-02-29", &days));
}

static void test_amounts(void **state)
{
	(void)state;
	char out[32];
	json_t *errs = json_array();
	json_t *o = parse_json("{\"a\":1.5,\"b\":3,\"c\":1.234,\"d\":-1,\"e\":0,\"f\":\"2\",\"g\":null,\"h\":1000,"
			       "\"i\":1000.01,\"j\":0.07}");
	assert_true(hg_check_amount(o, "a", 1, 0, 0, 1000, errs, out, sizeof(out)));
	assert_string_equal(out, "1.50");
	assert_true(hg_check_amount(o, "b", 1, 0, 0, 1000, errs, out, sizeof(out)));
	assert_string_equal(out, "3.00");
	assert_true(hg_check_amount(o, "j", 1, 0, 1, 1000, errs, out, sizeof(out)));
	assert_string_equal(out, "0.07");
	assert_true(hg_check_amount(o, "h", 1, 0, 0, 1000, errs, out, sizeof(out)));
	assert_true(hg_check_amount(o, "g", 0, 1, 0, 1000, errs, out, sizeof(out)));
	assert_string_equal(out, "");
	assert_true(hg_check_amount(o, "missing", 0, 0, 0, 1000, errs, out, sizeof(out)));
	assert_int_equal(json_array_size(errs), 0);
	assert_false(hg_check_amount(o, "c", 1, 0, 0, 1000, errs, out, sizeof(out)));
	assert_false(hg_check_amount(o, "d", 1, 0, 0, 1000, errs, out, sizeof(out)));
	assert_false(hg_check_amount(o, "e", 1, 0, 1, 1000, errs, out, sizeof(out))); /* must be > 0 */
	assert_false(hg_check_amount(o, "f", 1, 0, 0, 1000, errs, out, sizeof(out)));
	assert_false(hg_check_amount(o, "g", 1, 0, 0, 1000, errs, out, sizeof(out)));
	assert_false(hg_check_amount(o, "i", 1, 0, 0, 1000, errs, out, sizeof(out)));
	assert_false(hg_check_amount(o, "missing", 1, 0, 0, 1000, errs, out, sizeof(out)));
	assert_int_equal(json_array_size(errs), 7);
	json_decref(o);
	json_decref(errs);

	/* positive means at least 0.01: a tiny number over 0 rounds to 0.00 and is refused */
	o = json_pack("{s:f}", "x", 5e-324);
	errs = json_array();
	assert_false(hg_check_amount(o, "x", 1, 0, 1, 1000, errs, out, sizeof(out)));
	assert_int_equal(json_array_size(errs), 1);
	json_decref(o);
	json_decref(errs);

	/* a huge or non-finite number is refused without overflowing anything */
	o = json_pack("{s:f}", "x", 1e300);
	errs = json_array();
	assert_false(hg_check_amount(o, "x", 1, 0, 0, 1000, errs, out, sizeof(out)));
	json_decref(o);
	json_decref(errs);
}

static void test_dates(void **state)
{
	(void)state;
	struct hg_date d;
	char buf[16];
	assert_true(hg_date_parse("2028-02-29", &d));
	assert_false(hg_date_parse("2027-02-29", &d));
	assert_false(hg_date_parse("2027-02-28x", &d));
	assert_false(hg_date_parse("0000-01-01", &d));
	assert_true(hg_date_parse("0001-01-01", &d));
	d = (struct hg_date){2028, 2, 29};
	hg_date_format(hg_date_add_years(d, 1), buf, sizeof(buf));
	assert_string_equal(buf, "2029-02-28");
	assert_int_equal(hg_date_days((struct hg_date){1970, 1, 1}), 0);
	assert_int_equal(hg_date_days((struct hg_date){2000, 3, 1}), 11017);
	assert_int_equal(hg_date_days((struct hg_date){1969, 12, 31}), -1);
	assert_true(hg_date_cmp((struct hg_date){2026, 1, 2}, (struct hg_date){2026, 1, 10}) < 0);
	d = hg_date_utc(951782400LL); /* 2000-02-29T00:00:00Z */
	assert_int_equal(d.year, 2000);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29);

	/* OneRoster's timestamps: a leap second and any fraction are fine, an offset is required */
	struct hg_timestamp t;
	assert_true(hg_timestamp_parse("2026-06-30T23:59:60Z", &t));
	assert_true(hg_timestamp_parse("2026-08-15T09:30:00.123456789-04:00", &t));
	assert_int_equal(t.frac_digits, 9);
	assert_int_equal(t.frac_us, 123456);
	assert_int_equal(t.offset_min, -240);
	assert_false(hg_timestamp_parse("2026-08-15T09:30:00", &t));
	assert_false(hg_timestamp_parse("2026-08-15", &t));
}

static void test_urls_and_lengths(void **state)
{
	(void)state;
	json_t *o = parse_json("{\"a\":\"https://example.org/a%20b?x=1&y=(2)#top\",\"b\":\"HTTP://Example.org\","
			       "\"c\":\"https://\\u00cf\",\"d\":\"https://x/a b\",\"e\":\"https://x/%zz\","
			       "\"f\":\"http:///x\",\"g\":\"ftp://x\",\"h\":\"https://x/<>\",\"s\":\"  abc  \"}");
	json_t *errs = json_array();
	const char *s = NULL;
	assert_true(hg_check_url(o, "a", 1, 0, 100, errs, &s));
	assert_true(hg_check_url(o, "b", 1, 0, 100, errs, &s)); /* the scheme in any case */
	assert_int_equal(json_array_size(errs), 0);
	assert_false(hg_check_url(o, "c", 1, 0, 100, errs, &s)); /* non-ASCII: percent-encode it */
	assert_false(hg_check_url(o, "d", 1, 0, 100, errs, &s)); /* a space */
	assert_false(hg_check_url(o, "e", 1, 0, 100, errs, &s)); /* % without two hex digits */
	assert_false(hg_check_url(o, "f", 1, 0, 100, errs, &s)); /* no host */
	assert_false(hg_check_url(o, "g", 1, 0, 100, errs, &s));
	assert_false(hg_check_url(o, "h", 1, 0, 100, errs, &s)); /* characters RFC 3986 does not allow */
	assert_int_equal(json_array_size(errs), 6);
	/* at least min characters besides surrounding white space, at most max in all (JSON Schema's maxLength) */
	assert_true(hg_check_string(o, "s", 1, 0, 3, 7, errs, &s));
	assert_false(hg_check_string(o, "s", 1, 0, 4, 7, errs, &s));
	assert_false(hg_check_string(o, "s", 1, 0, 1, 6, errs, &s));
	assert_int_equal(json_array_size(errs), 8);
	json_decref(o);
	json_decref(errs);
}

static void test_uuids_and_ints(void **state)
{
	(void)state;
	json_t *o = parse_json(
		"{\"u\":\"AAAAAAAA-1111-4111-8111-111111111111\",\"bad\":\"aaaa\",\"n\":5,\"r\":5.0,\"f\":5.5,\"b\":true,"
		"\"ids\":[\"aaaaaaaa-1111-4111-8111-111111111111\",\"AAAAAAAA-1111-4111-8111-111111111111\"]}");
	json_t *errs = json_array();
	char id[37];
	long n = 0;
	json_t *ids = NULL;
	assert_true(hg_check_uuid(o, "u", 1, errs, id));
	assert_string_equal(id, "aaaaaaaa-1111-4111-8111-111111111111");
	assert_false(hg_check_uuid(o, "bad", 1, errs, id));
	assert_true(hg_check_int(o, "n", 1, 1, 10, errs, &n));
	assert_int_equal(n, 5);
	n = 0;
	assert_true(hg_check_int(o, "r", 1, 1, 10, errs, &n)); /* 5.0 is the integer 5, as in JSON Schema */
	assert_int_equal(n, 5);
	assert_false(hg_check_int(o, "f", 1, 1, 10, errs, &n));        /* a fraction is not */
	assert_false(hg_check_int(o, "b", 1, 0, 10, errs, &n));        /* nor a boolean */
	assert_false(hg_check_int(o, "r", 1, 1, 4, errs, &n));         /* 5.0 out of range */
	assert_false(hg_check_uuid_array(o, "ids", 0, 5, errs, &ids)); /* the same id twice, case aside */
	assert_null(ids);
	assert_int_equal(json_array_size(errs), 5);
	assert_false(hg_is_uuid("aaaaaaaa-1111-4111-8111-11111111111"));
	assert_false(hg_is_uuid("aaaaaaaa-1111-4111-8111-1111111111111"));
	json_decref(o);
	json_decref(errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_amounts),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_uuids_and_ints),
		cmocka_unit_test(test_urls_and_lengths),
	};
	return cmocka_run_group_tests_name("validate and date", tests, NULL, NULL);
}
