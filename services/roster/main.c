/* main.c - hg-roster: wiring only. */
#include "common/service.h"
#include "services/roster/import_async.h"
#include "services/roster/roster_settings.h"
#include "services/roster/roster_store.h"
#include "services/roster/routes.h"
#include "services/roster/schedule.h"

extern const struct hg_migration roster_migrations[];
extern const size_t roster_migrations_count;

/*
 * A thread per connection by default: an import of a large district runs for
 * seconds, and in the epoll pool it would hold up every other connection
 * served by the same worker thread. Roster traffic is small and bursty.
 */
static const char *const env_defaults[] = {"HG_HTTP_THREADS=0", NULL};

/* The nightly syncs, and the imports answered 202 (stopped and waited for before the pool closes). */
static int workers_start(struct hg_db_pool *pool, const void *settings)
{
	if (import_async_start(pool, settings) != 0)
		return -1;
	return schedule_start(pool, settings);
}

static void workers_stop(void)
{
	schedule_stop();
	import_async_stop();
}

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
		.settings = &roster_settings_table,
		.upload_limit = roster_upload_limit,
		.worker_start = workers_start,
		.worker_stop = workers_stop,
		.identity_lookup = &roster_identity_lookup,
	};
	return hg_service_main(&def, argc, argv);
}
