/* main.c - hg-roster: wiring only. */
#include "routes.h"
#include "service.h"
#include "settings.h"

extern const struct hg_migration roster_migrations[];
extern const size_t roster_migrations_count;

/*
 * A thread per connection by default: an import of a large district runs for
 * seconds, and in the epoll pool it would hold up every other connection
 * served by the same worker thread. Roster traffic is small and bursty.
 */
static const char *const env_defaults[] = {"HG_HTTP_THREADS=0", NULL};

int main(int argc, char **argv)
{
	const struct hg_service_def def = {
		.name = "roster",
		.default_port = 8081,
		.env_defaults = env_defaults,
		.routes = roster_routes,
		.nroutes = roster_routes_count,
		.migrations = roster_migrations,
		.nmigrations = roster_migrations_count,
		.configure = roster_configure,
	};
	return hg_service_main(&def, argc, argv);
}
