/* Unit tests: the library listing's query parameters and cursors (services/resources/search.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "services/resources/library/search.h"
#include "tests/unit/support.h"

/* Parse n key/value pairs given as one flat list. */
static enum hg_status parse(struct search_query *q, json_t *errs, size_t n, const char *const *kv)
{
	const char *keys[16], *values[16];
	for (size_t i = 0; i < n; i++) {
		keys[i] = kv[2 * i];
		values[i] = kv[2 * i + 1];
	}
	return search_query_parse(keys, values, n, q, errs);
}

static void test_defaults(void **state)
{
	(void)state;
	struct search_query q;
	json_t *errs = json_array();
	assert_int_equal(search_query_parse(NULL, NULL, 0, &q, errs), HG_OK);
	assert_null(q.q);
	assert_int_equal(q.limit, 20);
	assert_int_equal(q.review_overdue, -1);
	assert_false(q.facets);
	assert_false(q.has_cursor);
	assert_int_equal(search_query_order(&q), SEARCH_NEWEST);
	search_query_cleanup(&q);
	const char *overdue[] = {"review_overdue", "true"};
	assert_int_equal(parse(&q, errs, 1, overdue), HG_OK);
	assert_int_equal(search_query_order(&q), SEARCH_DUE);
	search_query_cleanup(&q);
	json_decref(errs);
}

static void test_good_parameters(void **state)
{
	(void)state;
	struct search_query q;
	json_t *errs = json_array();
	const char *kv[] = {"q",
			    "  fraction strips ",
			    "type",
			    "video",
			    "subject",
			    "math",
			    "grade_band",
			    "3-5",
			    "topic",
			    "number sense",
			    "license",
			    "CC-BY-4.0",
			    "facets",
			    "true",
			    "review_overdue",
			    "false",
			    "limit",
			    "100"};
	assert_int_equal(parse(&q, errs, 9, kv), HG_OK);
	assert_string_equal(q.q, "fraction strips");
	assert_string_equal(q.type, "video");
	assert_string_equal(q.subject, "math");
	assert_string_equal(q.grade_band, "3-5");
	assert_string_equal(q.topic, "number sense");
	assert_string_equal(q.license, "CC-BY-4.0");
	assert_true(q.facets);
	assert_int_equal(q.review_overdue, 0);
	assert_int_equal(q.limit, 100);
	assert_int_equal(search_query_order(&q), SEARCH_RELEVANCE);
	assert_int_equal(json_array_size(errs), 0);
	search_query_cleanup(&q);
	json_decref(errs);
}

static void test_every_bad_parameter_is_named(void **state)
{
	(void)state;
	struct search_query q;
	json_t *errs = json_array();
	char long_q[202];
	memset(long_q, 'a', 201);
	long_q[201] = '\0';
	const char *kv[] = {"q",       long_q, "type",   "podcast", "grade_band",     "13",
			    "subject", "",     "facets", "yes",     "review_overdue", "1",
			    "limit",   "0",    "sort",   "title",   "topic",          "bad\x01"};
	assert_int_equal(parse(&q, errs, 9, kv), HG_BAD_REQUEST);
	const char *expected[] = {"q",     "type", "grade_band", "subject", "facets", "review_overdue",
				  "limit", "sort", "topic"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!names(errs, expected[i]))
			fail_msg("no error for %s", expected[i]);
	assert_int_equal(json_array_size(errs), 9);
	search_query_cleanup(&q);
	json_decref(errs);
}

static void test_q_bounds(void **state)
{
	(void)state;
	struct search_query q;
	json_t *errs = json_array();
	/* 200 two-byte characters: the limit counts characters, not bytes */
	char wide[401];
	for (int i = 0; i < 200; i++)
		memcpy(wide + 2 * i, "\xc3\xa9", 2);
	wide[400] = '\0';
	const char *ok[] = {"q", wide};
	assert_int_equal(parse(&q, errs, 1, ok), HG_OK);
	search_query_cleanup(&q);
	const char *blank[] = {"q", "   "};
	assert_int_equal(parse(&q, errs, 1, blank), HG_BAD_REQUEST);
	search_query_cleanup(&q);
	const char *not_utf8[] = {"q", "caf\xe9"};
	assert_int_equal(parse(&q, errs, 1, not_utf8), HG_BAD_REQUEST);
	search_query_cleanup(&q);
	/* q given twice: the last counts and the first is freed (a leak found by
	 * tests/fuzz/resources/fuzz_search_query.c; the unit run under valgrind and ASan sees it) */
	const char *twice[] = {"q", "fractions", "q", " decimals "};
	assert_int_equal(parse(&q, errs, 2, twice), HG_OK);
	assert_string_equal(q.q, "decimals");
	search_query_cleanup(&q);
	const char *bad_name[] = {"\xff", "x"};
	assert_int_equal(parse(&q, errs, 1, bad_name), HG_BAD_REQUEST);
	assert_true(names(errs, "(not UTF-8)"));
	search_query_cleanup(&q);
	json_decref(errs);
}

static void test_cursor_round_trip(void **state)
{
	(void)state;
	struct search_cursor c = {SEARCH_RELEVANCE, SEARCH_TIER_TOPICS, 1795000000123456LL,
				  "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", 0xdeadbeefu};
	struct search_cursor d;
	char *text = search_cursor_encode(&c);
	assert_int_equal(search_cursor_decode(text, &d), HG_OK);
	assert_int_equal(d.order, SEARCH_RELEVANCE);
	assert_int_equal(d.tier, SEARCH_TIER_TOPICS);
	assert_int_equal(d.key, c.key);
	assert_string_equal(d.id, c.id);
	assert_int_equal(d.query_hash, c.query_hash);
	free(text);

	struct search_cursor due = {SEARCH_DUE, 0, -400, "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", 7};
	text = search_cursor_encode(&due);
	assert_int_equal(search_cursor_decode(text, &d), HG_OK);
	assert_int_equal(d.order, SEARCH_DUE);
	assert_int_equal(d.key, -400);
	free(text);
}

static void test_damaged_cursors(void **state)
{
	(void)state;
	struct search_cursor d;
	const char *bad[] = {"", "garbage!", "AAAA", "AQAGYN1bqI8rVjlMu9FITwKZqWEnYfhidg" /* common/cursor.c's */};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(search_cursor_decode(bad[i], &d), HG_BAD_REQUEST);
	char longer[100];
	memset(longer, 'A', 99);
	longer[99] = '\0';
	assert_int_equal(search_cursor_decode(longer, &d), HG_BAD_REQUEST);
	/* well-formed but impossible: an unknown order, a relevance cursor without a tier, a tier elsewhere,
	 * keys the database could not turn back into a time or a date */
	const struct search_cursor impossible[] = {
		{(enum search_order)7, 0, 1, "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", 1},
		{SEARCH_RELEVANCE, 0, 1, "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", 1},
		{SEARCH_RELEVANCE, 4, 1, "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", 1},
		{SEARCH_NEWEST, 2, 1, "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", 1},
		{SEARCH_NEWEST, 0, INT64_MAX, "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", 1},
		{SEARCH_DUE, 0, 5000000, "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", 1},
	};
	for (size_t i = 0; i < sizeof(impossible) / sizeof(impossible[0]); i++) {
		char *text = search_cursor_encode(&impossible[i]);
		if (search_cursor_decode(text, &d) != HG_BAD_REQUEST)
			fail_msg("accepted impossible cursor %zu", i);
		free(text);
	}
}

/* A cursor works only with the query it was made for. */
static void test_cursor_is_tied_to_its_query(void **state)
{
	(void)state;
	struct search_query q;
	json_t *errs = json_array();
	const char *first[] = {"q", "fractions", "type", "video"};
	assert_int_equal(parse(&q, errs, 2, first), HG_OK);
	struct search_cursor c = {SEARCH_RELEVANCE, SEARCH_TIER_TITLE, 1, "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30",
				  search_query_hash(&q)};
	search_query_cleanup(&q);
	char *text = search_cursor_encode(&c);

	const char *same[] = {"q", "fractions", "type", "video", "cursor", text, "limit", "5", "facets", "true"};
	assert_int_equal(parse(&q, errs, 5, same), HG_OK);
	assert_true(q.has_cursor);
	search_query_cleanup(&q);

	const char *other_q[] = {"q", "decimals", "type", "video", "cursor", text};
	assert_int_equal(parse(&q, errs, 3, other_q), HG_BAD_REQUEST);
	search_query_cleanup(&q);
	const char *other_filter[] = {"q", "fractions", "type", "rubric", "cursor", text};
	assert_int_equal(parse(&q, errs, 3, other_filter), HG_BAD_REQUEST);
	search_query_cleanup(&q);
	/* the same hash but the newest-first order: refused too */
	const char *no_q[] = {"type", "video", "cursor", text};
	assert_int_equal(parse(&q, errs, 2, no_q), HG_BAD_REQUEST);
	search_query_cleanup(&q);
	assert_true(names(errs, "cursor"));
	free(text);
	json_decref(errs);
}

static void test_hash_keeps_fields_apart(void **state)
{
	(void)state;
	struct search_query a = {0}, b = {0};
	a.subject = "math";
	b.topic = "math";
	a.review_overdue = b.review_overdue = -1;
	assert_int_not_equal(search_query_hash(&a), search_query_hash(&b));
	a.subject = NULL;
	b.topic = NULL;
	a.review_overdue = 0;
	b.review_overdue = 1;
	assert_int_not_equal(search_query_hash(&a), search_query_hash(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good_parameters),
		cmocka_unit_test(test_every_bad_parameter_is_named),
		cmocka_unit_test(test_q_bounds),
		cmocka_unit_test(test_cursor_round_trip),
		cmocka_unit_test(test_damaged_cursors),
		cmocka_unit_test(test_cursor_is_tied_to_its_query),
		cmocka_unit_test(test_hash_keeps_fields_apart),
	};
	return cmocka_run_group_tests_name("library search", tests, NULL, NULL);
}
