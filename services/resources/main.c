/* main.c - hg-resources: wiring only. */
#include "catalog_roster.h"
#include "catalog_roster_store.h"
#include "routes.h"
#include "service.h"

extern const struct hg_migration resources_migrations[];
extern const size_t resources_migrations_count;

/* The roster service's educators (school assignments), for school leaders' access to transcripts. */
static const char *const consumed[] = {CATALOG_ROSTER_TOPIC, NULL};

int main(int argc, char **argv)
{
	const struct hg_service_def def = {
		.name = "resources",
		.default_port = 8082,
		.routes = resources_routes,
		.nroutes = resources_routes_count,
		.migrations = resources_migrations,
		.nmigrations = resources_migrations_count,
		.consume_topics = consumed,
		.consume_fn = catalog_roster_apply,
	};
	return hg_service_main(&def, argc, argv);
}
