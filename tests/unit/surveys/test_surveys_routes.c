/* Unit tests: the surveys route table (services/surveys/routes.c): every /v1 operation needs a role. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/route.h"
#include "services/surveys/routes.h"

static void test_surveys_table_is_authenticated(void **state)
{
	(void)state;
	/* Every /v1 operation needs a token; only the three probes are public. */
	for (size_t i = 0; i < surveys_routes_count; i++) {
		const struct hg_route *r = &surveys_routes[i];
		if (strncmp(r->path, "/v1/", 4) == 0)
			assert_true(r->roles != 0);
		else
			assert_true(strcmp(r->path, "/healthz") == 0 || strcmp(r->path, "/readyz") == 0 ||
				    strcmp(r->path, "/metrics") == 0);
		for (size_t j = 0; j < i; j++)
			assert_false(strcmp(r->method, surveys_routes[j].method) == 0 &&
				     strcmp(r->path, surveys_routes[j].path) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_surveys_table_is_authenticated),
	};
	return cmocka_run_group_tests_name("surveys routes", tests, NULL, NULL);
}
