/* Unit tests: reviews, dates and content checks (services/resources/review.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/roles.h"
#include "services/resources/library/review.h"
#include "tests/unit/support.h"

static json_t *create(const char *text, json_t *errs)
{
	json_t *body = json_loads(text, 0, NULL);
	assert_non_null(body);
	json_t *out = review_validate_create(body, NULL, errs);
	json_decref(body);
	return out;
}

static void test_review_create(void **state)
{
	(void)state;
	json_t *errs = json_array();
	json_t *out = create("{\"rating\":5,\"comment\":\"  great  \"}", errs);
	assert_non_null(out);
	assert_int_equal(json_integer_value(json_object_get(out, "rating")), 5);
	assert_string_equal(json_string_value(json_object_get(out, "comment")), "great");
	json_decref(out);
	out = create("{\"rating\":1}", errs);
	assert_non_null(out);
	assert_true(json_is_null(json_object_get(out, "comment")));
	json_decref(out);
	assert_int_equal(json_array_size(errs), 0);

	const char *bad[] = {"{}",
			     "{\"rating\":0}",
			     "{\"rating\":6}",
			     "{\"rating\":4.5}",
			     "{\"rating\":\"5\"}",
			     "{\"rating\":true}",
			     "{\"rating\":null}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *e = json_array();
		assert_null(create(bad[i], e));
		assert_true(names(e, "rating"));
		assert_int_equal(json_array_size(e), 1);
		json_decref(e);
	}
	json_decref(errs);
}

static void test_review_every_bad_field_and_comment_limit(void **state)
{
	(void)state;
	char comment[2002];
	memset(comment, 'x', 2001);
	comment[2001] = '\0';
	json_t *body = json_pack("{s:i, s:s, s:s}", "rating", 9, "comment", comment, "stars", "5");
	json_t *errs = json_array();
	assert_null(review_validate_create(body, NULL, errs));
	assert_true(names(errs, "rating"));
	assert_true(names(errs, "comment"));
	assert_true(names(errs, "stars"));
	assert_int_equal(json_array_size(errs), 3);
	json_decref(body);
	json_decref(errs);

	comment[2000] = '\0'; /* exactly 2000: fine */
	body = json_pack("{s:i, s:s}", "rating", 3, "comment", comment);
	errs = json_array();
	json_t *out = review_validate_create(body, NULL, errs);
	assert_non_null(out);
	json_decref(out);
	json_decref(body);
	json_decref(errs);
}

static void test_review_patch(void **state)
{
	(void)state;
	json_t *errs = json_array();
	json_t *empty = json_object();
	assert_null(review_validate_patch(empty, NULL, errs));
	assert_int_equal(json_array_size(errs), 1);
	json_decref(empty);

	json_t *body = json_loads("{\"comment\":null}", 0, NULL);
	json_t *out = review_validate_patch(body, NULL, errs);
	assert_non_null(out);
	assert_null(json_object_get(out, "rating"));
	assert_true(json_is_null(json_object_get(out, "comment")));
	json_decref(out);
	json_decref(body);

	body = json_loads("{\"rating\":2}", 0, NULL);
	out = review_validate_patch(body, NULL, errs);
	assert_non_null(out);
	assert_null(json_object_get(out, "comment")); /* absent: unchanged */
	json_decref(out);
	json_decref(body);
	json_decref(errs);
}

static void test_only_the_author_changes_a_review(void **state)
{
	(void)state;
	struct hg_principal admin = {"0b7e2f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b", "6f1c0c59-2a57-4b7e-9a53-0f5b3c1d2e4f",
				     HG_ROLE(DISTRICT_ADMIN)};
	assert_true(review_may_change(&admin, "0b7e2f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b"));
	assert_false(review_may_change(&admin, "11111111-9c3d-4e5f-8a6b-7c8d9e0f1a2b"));
}

static void test_dates(void **state)
{
	(void)state;
	struct hg_date d;
	char buf[11];
	assert_true(hg_date_parse("2028-02-29", &d));
	d = hg_date_add_years(d, 3);
	hg_date_format(d, buf, sizeof(buf));
	assert_string_equal(buf, "2031-02-28");
	assert_true(hg_date_parse("2028-02-29", &d));
	d = hg_date_add_years(d, 4);
	hg_date_format(d, buf, sizeof(buf));
	assert_string_equal(buf, "2032-02-29");
	const char *bad[] = {"2027-02-29", "2026-13-01",           "2026-00-10", "2026-04-31", "26-01-01",
			     "2026-1-01",  "2026-01-01T00:00:00Z", "2026/01/01", "",           "0000-01-01"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (hg_date_parse(bad[i], &d))
			fail_msg("accepted %s", bad[i]);
	struct hg_date a = {2026, 11, 22}, b = {2026, 11, 23};
	assert_true(hg_date_cmp(a, b) < 0);
	assert_true(hg_date_cmp(b, a) > 0);
	assert_int_equal(hg_date_cmp(a, a), 0);
	d = hg_date_utc(1795305600LL); /* 2026-11-22T00:00:00Z */
	hg_date_format(d, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22");
	d = hg_date_utc(1795305599LL);
	hg_date_format(d, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-21");
}

static json_t *check(const char *text, struct hg_date today, json_t *errs)
{
	json_t *body = json_loads(text, 0, NULL);
	assert_non_null(body);
	struct hg_input in = {NULL, 0, today};
	json_t *out = content_check_validate(body, &in, errs);
	json_decref(body);
	return out;
}

static void test_content_check(void **state)
{
	(void)state;
	struct hg_date today = {2026, 11, 22};
	json_t *errs = json_array();
	json_t *out = check("{}", today, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "review_due_on")), "2029-11-22");
	assert_true(json_is_null(json_object_get(out, "note")));
	json_decref(out);

	const char *ok[] = {"{\"review_due_on\":\"2029-11-22\",\"note\":\"fine\"}",
			    "{\"review_due_on\":\"2031-11-22\"}", "{\"review_due_on\":\"2030-06-30\",\"note\":null}"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		out = check(ok[i], today, errs);
		if (out == NULL)
			fail_msg("refused %s", ok[i]);
		json_decref(out);
	}
	assert_int_equal(json_array_size(errs), 0);

	const char *bad[] = {"{\"review_due_on\":\"2029-11-21\"}", "{\"review_due_on\":\"2031-11-23\"}",
			     "{\"review_due_on\":\"2029-02-30\"}", "{\"review_due_on\":20291122}",
			     "{\"review_due_on\":null}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *e = json_array();
		assert_null(check(bad[i], today, e));
		assert_true(names(e, "review_due_on"));
		json_decref(e);
	}

	json_t *e = json_array();
	char note[2100];
	memset(note, 'n', 2001);
	note[2001] = '\0';
	json_t *body = json_pack("{s:s, s:s, s:i}", "note", note, "review_due_on", "tomorrow", "extra", 1);
	struct hg_input in = {NULL, 0, today};
	assert_null(content_check_validate(body, &in, e));
	assert_true(names(e, "note"));
	assert_true(names(e, "review_due_on"));
	assert_true(names(e, "extra"));
	assert_int_equal(json_array_size(e), 3);
	json_decref(body);
	json_decref(e);

	/* on 29 February the default lands on 28 February */
	struct hg_date leap_day = {2028, 2, 29};
	out = check("{}", leap_day, errs);
	assert_string_equal(json_string_value(json_object_get(out, "review_due_on")), "2031-02-28");
	json_decref(out);
	json_decref(errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review_create), cmocka_unit_test(test_review_every_bad_field_and_comment_limit),
		cmocka_unit_test(test_review_patch),  cmocka_unit_test(test_only_the_author_changes_a_review),
		cmocka_unit_test(test_dates),         cmocka_unit_test(test_content_check),
	};
	return cmocka_run_group_tests_name("library reviews and content checks", tests, NULL, NULL);
}
