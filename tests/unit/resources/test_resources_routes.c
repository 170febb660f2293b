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
	/* Every /v1 operation needs a token but the calendar feeds, read by their secret (three of them), and what a
	 * credential's verifier reads (three, docs/credentials.md); only the three probes are public besides. */
	const char *public_reads[] = {"/v1/credentials/awards/{id}", "/v1/credentials/jwks.json",
				      "/v1/credentials/status/{district_id}/{list}"};
	size_t feeds = 0, npublic = 0;
	for (size_t i = 0; i < resources_routes_count; i++) {
		const struct hg_route *r = &resources_routes[i];
		int is_public = 0;
		for (size_t k = 0; k < sizeof(public_reads) / sizeof(public_reads[0]); k++)
			is_public |= strcmp(r->method, "GET") == 0 && strcmp(r->path, public_reads[k]) == 0;
		npublic += (size_t)(is_public && r->roles == 0);
		if (strncmp(r->path, "/v1/catalog/calendar/feeds/{secret}/", 36) == 0)
			feeds += r->roles == 0 && strcmp(r->method, "GET") == 0;
		else if (strncmp(r->path, "/v1/", 4) == 0)
			assert_true(is_public ? r->roles == 0 : r->roles != 0);
		else
			assert_true(strcmp(r->path, "/healthz") == 0 || strcmp(r->path, "/readyz") == 0 ||
				    strcmp(r->path, "/metrics") == 0);
		for (size_t j = 0; j < i; j++)
			assert_false(strcmp(r->method, resources_routes[j].method) == 0 &&
				     strcmp(r->path, resources_routes[j].path) == 0);
	}
	assert_int_equal(feeds, 3);
	assert_int_equal(npublic, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resources_table_is_authenticated),
	};
	return cmocka_run_group_tests_name("resources routes", tests, NULL, NULL);
}
