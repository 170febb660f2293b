/* Unit tests: route matching (common/route.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/route.h"

static void h(struct hg_request *req) { (void)req; }

static const struct hg_route table[] = {
	{"GET", "/v1/things", 1, h},
	{"POST", "/v1/things", 1, h},
	{"GET", "/v1/things/{id}", 1, h},
	{"PATCH", "/v1/things/{id}", 1, h},
	{"GET", "/v1/things/{id}/parts/{part}", 1, h},
	{"GET", "/v1/things/search", 1, h},
};
#define N (sizeof(table) / sizeof(table[0]))

static void test_match(void **state)
{
	(void)state;
	struct hg_path_params p;
	int known;
	char allow[64];
	const struct hg_route *r = hg_route_find(table, N, "GET", "/v1/things/abc", &p, &known, allow, sizeof(allow));
	assert_ptr_equal(r, &table[2]);
	assert_string_equal(hg_path_param(&p, "id"), "abc");
	assert_null(hg_path_param(&p, "nope"));

	r = hg_route_find(table, N, "GET", "/v1/things/a/parts/b", &p, &known, allow, sizeof(allow));
	assert_ptr_equal(r, &table[4]);
	assert_string_equal(hg_path_param(&p, "id"), "a");
	assert_string_equal(hg_path_param(&p, "part"), "b");
}

static void test_not_found_and_not_allowed(void **state)
{
	(void)state;
	struct hg_path_params p;
	int known;
	char allow[64];
	assert_null(hg_route_find(table, N, "GET", "/v1/nothing", &p, &known, allow, sizeof(allow)));
	assert_false(known);
	assert_null(hg_route_find(table, N, "GET", "/v1/things/", &p, &known, allow, sizeof(allow)));
	assert_false(known);
	assert_null(hg_route_find(table, N, "GET", "/v1/things/a/b", &p, &known, allow, sizeof(allow)));
	assert_false(known);
	assert_null(hg_route_find(table, N, "DELETE", "/v1/things/x", &p, &known, allow, sizeof(allow)));
	assert_true(known);
	assert_string_equal(allow, "GET, PATCH");
	assert_null(hg_route_find(table, N, "PUT", "/v1/things", &p, &known, allow, sizeof(allow)));
	assert_string_equal(allow, "GET, POST");
}

static void test_literal_paths_shadow_parameters(void **state)
{
	(void)state;
	struct hg_path_params p;
	int known;
	char allow[64];
	/* listed after /v1/things/{id}, and still the resource of its path */
	assert_ptr_equal(hg_route_find(table, N, "GET", "/v1/things/search", &p, &known, allow, sizeof(allow)),
			 &table[5]);
	assert_null(hg_route_find(table, N, "PATCH", "/v1/things/search", &p, &known, allow, sizeof(allow)));
	assert_true(known);
	assert_string_equal(allow, "GET");
	/* other ids still reach the parameter */
	assert_ptr_equal(hg_route_find(table, N, "PATCH", "/v1/things/searched", &p, &known, allow, sizeof(allow)),
			 &table[3]);
}

static void test_log_path_masks_secrets(void **state)
{
	(void)state;
	static const struct hg_route feeds[] = {
		{"GET", "/v1/things", 1, NULL, NULL},
		{"GET", "/v1/feeds/{secret}/mine", 0, NULL, NULL},
	};
	char *p = hg_route_log_path(feeds, 2, "/v1/feeds/s3cr3t-value/mine");
	assert_string_equal(p, "/v1/feeds/[secret]/mine");
	free(p);
	/* whatever follows, and whether or not a route matches: a mistyped secret is still one */
	p = hg_route_log_path(feeds, 2, "/v1/feeds/s3cr3t-value");
	assert_string_equal(p, "/v1/feeds/[secret]");
	free(p);
	p = hg_route_log_path(feeds, 2, "/v1/feeds/s3cr3t-value/other/x");
	assert_string_equal(p, "/v1/feeds/[secret]/other/x");
	free(p);
	assert_null(hg_route_log_path(feeds, 2, "/v1/things"));
	assert_null(hg_route_log_path(feeds, 2, "/v1/feed"));
	assert_null(hg_route_log_path(table, N, "/v1/things/abc"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_paths_shadow_parameters),
		cmocka_unit_test(test_log_path_masks_secrets),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_not_found_and_not_allowed),
	};
	return cmocka_run_group_tests_name("routes", tests, NULL, NULL);
}
