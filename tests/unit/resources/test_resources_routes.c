/* Unit tests: the resources route table (services/resources/routes.c): every /v1 operation needs a role. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/route.h"
#include "services/resources/routes.h"

static void test_resources_table_is_authenticated(void **state)
{
	(void)state;
	/* Every /v1 operation needs a token but the calendar feeds, read by their secret (three of them); only the
	 * three probes are public besides. */
	size_t feeds = 0;
	for (size_t i = 0; i < resources_routes_count; i++) {
		const struct hg_route *r = &resources_routes[i];
		if (strncmp(r->path, "/v1/catalog/calendar/feeds/{secret}/", 36) == 0)
			feeds += r->roles == 0 && strcmp(r->method, "GET") == 0;
		else if (strncmp(r->path, "/v1/", 4) == 0)
			assert_true(r->roles != 0);
		else
			assert_true(strcmp(r->path, "/healthz") == 0 || strcmp(r->path, "/readyz") == 0 ||
				    strcmp(r->path, "/metrics") == 0);
		for (size_t j = 0; j < i; j++)
			assert_false(strcmp(r->method, resources_routes[j].method) == 0 &&
				     strcmp(r->path, resources_routes[j].path) == 0);
	}
	assert_int_equal(feeds, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resources_table_is_authenticated),
	};
	return cmocka_run_group_tests_name("resources routes", tests, NULL, NULL);
}
