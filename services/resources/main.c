/* main.c - hg-resources: wiring only. */
#include "routes.h"
#include "service.h"

extern const struct hg_migration resources_migrations[];
extern const size_t resources_migrations_count;

int main(int argc, char **argv)
{
	const struct hg_service_def def = {
		.name = "resources",
		.default_port = 8082,
		.routes = resources_routes,
		.nroutes = resources_routes_count,
		.migrations = resources_migrations,
		.nmigrations = resources_migrations_count,
	};
	return hg_service_main(&def, argc, argv);
}
