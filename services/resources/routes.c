/* routes.c - the resources service's route table: the library's, the catalog's and the micro-credentials' lines;
 * mirrors api-spec/resources.yaml (tests/spec/test_routes.py diffs the two). */
#include "services/resources/routes.h"

#include "common/health.h"
#include "services/resources/catalog/calendar_routes.h"
#include "services/resources/catalog/catalog_routes.h"
#include "services/resources/credentials/credentials_routes.h"
#include "services/resources/library/library_routes.h"

const struct hg_route resources_routes[] = {
	HG_HEALTH_ROUTES, LIBRARY_ROUTES, CATALOG_ROUTES, CALENDAR_ROUTES, CREDENTIALS_ROUTES,
};
const size_t resources_routes_count = sizeof(resources_routes) / sizeof(resources_routes[0]);
