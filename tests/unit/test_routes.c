/* Unit tests: route matching and the resources route table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "route.h"
#include "routes.h"

static void h(struct hg_request *req) { (void)req; }

static const struct hg_route table[] = {
	{"GET", "/v1/things", 1, h},
	{"POST", "/v1/things", 1, h},
	{"GET", "/v1/things/{id}", 1, h},
	{"PATCH", "/v1/things/{id}", 1, h},
	{"GET", "/v1/things/{id}/parts/{part}", 1, h},
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

static void test_resources_table_is_authenticated(void **state)
{
	(void)state;
	/* Every /v1 operation needs a token; only the three probes are public. */
	for (size_t i = 0; i < resources_routes_count; i++) {
		const struct hg_route *r = &resources_routes[i];
		if (strncmp(r->path, "/v1/", 4) == 0)
			assert_true(r->roles != 0);
		else
			assert_true(strcmp(r->path, "/healthz") == 0 || strcmp(r->path, "/readyz") == 0 ||
				    strcmp(r->path, "/metrics") == 0);
		for (size_t j = 0; j < i; j++)
			assert_false(strcmp(r->method, resources_routes[j].method) == 0 &&
				     strcmp(r->path, resources_routes[j].path) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_not_found_and_not_allowed),
		cmocka_unit_test(test_resources_table_is_authenticated),
	};
	return cmocka_run_group_tests_name("routes", tests, NULL, NULL);
}
