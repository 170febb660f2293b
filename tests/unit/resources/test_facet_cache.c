/* Unit tests: the library's facet cache (services/resources/library/facet_cache.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "services/resources/library/facet_cache.h"

#define D1 "11111111-1111-4111-8111-111111111111"
#define D2 "22222222-2222-4222-8222-222222222222"

static struct search_query query(char *q, const char *type)
{
	struct search_query s;
	memset(&s, 0, sizeof(s));
	s.q = q;
	s.type = type;
	s.review_overdue = -1;
	s.limit = 20;
	return s;
}

static void assert_kept(const char *key, const char *writes, const char *want)
{
	char *got = facet_cache_get(key, writes);
	if (want == NULL) {
		assert_null(got);
	} else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static void test_hit_only_at_the_same_write_count(void **state)
{
	(void)state;
	facet_cache_clear();
	struct search_query q = query("fractions", NULL);
	char *key = facet_cache_key(D1, "2026-12-02", &q);
	assert_kept(key, "7", NULL);
	facet_cache_put(key, "7", ",\"facets\":{},\"total\":3");
	assert_kept(key, "7", ",\"facets\":{},\"total\":3");
	/* A write committed since: the counts are not served, and a new count replaces them. */
	assert_kept(key, "8", NULL);
	facet_cache_put(key, "8", ",\"facets\":{},\"total\":4");
	assert_kept(key, "8", ",\"facets\":{},\"total\":4");
	assert_kept(key, "7", NULL);
	free(key);
	facet_cache_clear();
}

static void test_keys_differ_by_district_day_and_every_parameter(void **state)
{
	(void)state;
	struct search_query a = query("fractions", NULL), b = query("fractions", "video"), c = query(NULL, NULL),
			    d = query("fractions", NULL);
	d.review_overdue = 1;
	struct search_query e = query("fractions", NULL);
	e.subject = "math";
	struct search_query f = query("fractions", NULL);
	f.topic = "math"; /* the same value under another parameter */
	char *keys[] = {facet_cache_key(D1, "2026-12-02", &a), facet_cache_key(D2, "2026-12-02", &a),
			facet_cache_key(D1, "2026-12-03", &a), facet_cache_key(D1, "2026-12-02", &b),
			facet_cache_key(D1, "2026-12-02", &c), facet_cache_key(D1, "2026-12-02", &d),
			facet_cache_key(D1, "2026-12-02", &e), facet_cache_key(D1, "2026-12-02", &f)};
	size_t n = sizeof(keys) / sizeof(keys[0]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(keys[i], keys[j]);
	/* limit, cursor and facets do not change what is counted. */
	struct search_query g = query("fractions", NULL);
	g.limit = 100;
	g.has_cursor = 1;
	g.facets = 1;
	char *same = facet_cache_key(D1, "2026-12-02", &g);
	assert_string_equal(same, keys[0]);
	free(same);
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
}

static void test_another_key_never_gets_an_entry(void **state)
{
	(void)state;
	facet_cache_clear();
	struct search_query a = query("fractions", NULL);
	char *k1 = facet_cache_key(D1, "2026-12-02", &a);
	char *k2 = facet_cache_key(D2, "2026-12-02", &a);
	facet_cache_put(k1, "5", "one");
	assert_kept(k2, "5", NULL);
	free(k1);
	free(k2);
	facet_cache_clear();
}

static void test_bounded(void **state)
{
	(void)state;
	facet_cache_clear();
	char q[32], *keys[4 * FACET_CACHE_SLOTS];
	for (int i = 0; i < 4 * FACET_CACHE_SLOTS; i++) {
		snprintf(q, sizeof(q), "word%d", i);
		struct search_query s = query(q, NULL);
		keys[i] = facet_cache_key(D1, "2026-12-02", &s);
		facet_cache_put(keys[i], "1", q);
	}
	int kept = 0;
	for (int i = 0; i < 4 * FACET_CACHE_SLOTS; i++) {
		char *v = facet_cache_get(keys[i], "1");
		if (v != NULL) {
			snprintf(q, sizeof(q), "word%d", i);
			assert_string_equal(v, q); /* a slot holds its own key's value only */
			kept++;
		}
		free(v);
		free(keys[i]);
	}
	assert_true(kept > 0);
	assert_true(kept <= FACET_CACHE_SLOTS);
	facet_cache_clear();
}

struct waiter {
	const char *key, *writes;
	char *got;
	int done;
};

static void *wait_begin(void *arg)
{
	struct waiter *w = arg;
	w->got = facet_cache_begin(w->key, w->writes);
	__atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* A second page asking what the first is counting waits for its count, and gets it. */
static void test_one_count_for_callers_at_once(void **state)
{
	(void)state;
	facet_cache_clear();
	const char *key = "k|fractions", *writes = "9";
	assert_null(facet_cache_begin(key, writes)); /* the first counts */
	struct waiter w = {key, writes, NULL, 0};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, wait_begin, &w), 0);
	usleep(100000);
	assert_int_equal(__atomic_load_n(&w.done, __ATOMIC_SEQ_CST), 0); /* still waiting */
	/* Another write count is not the same count: not waited for. */
	char *other = facet_cache_begin(key, "10");
	assert_null(other);
	facet_cache_abandon(key, "10");
	facet_cache_put(key, writes, "counted once");
	pthread_join(t, NULL);
	assert_non_null(w.got);
	assert_string_equal(w.got, "counted once");
	free(w.got);
	facet_cache_clear();
}

/* A count given up wakes the waiter, which then counts itself. */
static void test_an_abandoned_count_hands_over(void **state)
{
	(void)state;
	facet_cache_clear();
	const char *key = "k|kites", *writes = "3";
	assert_null(facet_cache_begin(key, writes));
	struct waiter w = {key, writes, NULL, 0};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, wait_begin, &w), 0);
	usleep(100000);
	facet_cache_abandon(key, writes);
	pthread_join(t, NULL);
	assert_null(w.got);
	/* ... and is now the one counting: a third caller waits for it. */
	struct waiter w3 = {key, writes, NULL, 0};
	assert_int_equal(pthread_create(&t, NULL, wait_begin, &w3), 0);
	usleep(100000);
	assert_int_equal(__atomic_load_n(&w3.done, __ATOMIC_SEQ_CST), 0);
	facet_cache_put(key, writes, "x");
	pthread_join(t, NULL);
	assert_string_equal(w3.got, "x");
	free(w3.got);
	facet_cache_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_only_at_the_same_write_count),
		cmocka_unit_test(test_keys_differ_by_district_day_and_every_parameter),
		cmocka_unit_test(test_another_key_never_gets_an_entry),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_one_count_for_callers_at_once),
		cmocka_unit_test(test_an_abandoned_count_hands_over),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
