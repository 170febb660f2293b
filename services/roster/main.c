/* main.c - hg-roster: wiring only. */
#include "routes.h"
#include "service.h"
#include "settings.h"

extern const struct hg_migration roster_migrations[];
extern const size_t roster_migrations_count;

int main(int argc, char **argv)
{
	const struct hg_service_def def = {
		.name = "roster",
		.default_port = 8081,
		.routes = roster_routes,
		.nroutes = roster_routes_count,
		.migrations = roster_migrations,
		.nmigrations = roster_migrations_count,
		.configure = roster_configure,
	};
	return hg_service_main(&def, argc, argv);
}
