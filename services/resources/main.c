/* main.c - hg-resources: wiring only. */
#include <string.h>

#include "common/roster_event.h"
#include "common/service.h"
#include "services/resources/catalog/plc_model_store.h"
#include "services/resources/catalog/roster_model_store.h"
#include "services/resources/credentials/credentials_settings.h"
#include "services/resources/reasons.h"
#include "services/resources/routes.h"

extern const struct hg_migration resources_migrations[];
extern const size_t resources_migrations_count;

/* The roster service's educators (school assignments), for school leaders' access to transcripts; the coaching
 * service's PLCs and meetings, for the educators' calendar feeds. */
static const char *const consumed[] = {HG_ROSTER_TOPIC, CALENDAR_COACHING_TOPIC, NULL};

/* Each topic to its read model. */
static enum hg_status apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg)
{
	if (strcmp(topic, CALENDAR_COACHING_TOPIC) == 0)
		return plc_model_store_apply(conn, topic, event, arg);
	return roster_model_store_apply(conn, topic, event, arg);
}

/*
 * A thread per connection: search pages cost 1-7 ms each, and in the epoll pool a connection waits behind
 * the others its thread happened to accept. bench/library_search.sh, 16 connections, three runs each:
 * p99 19-28 ms (q) and 31-36 ms (q + filters) here, against 32-48 ms and 47-57 ms with a pool of 4.
 */
static const char *const env_defaults[] = {"HG_HTTP_THREADS=0", NULL};

int main(int argc, char **argv)
{
	const struct hg_service_def def = {
		.name = "resources",
		.default_port = 8082,
		.env_defaults = env_defaults,
		.routes = resources_routes,
		.nroutes = resources_routes_count,
		.migrations = resources_migrations,
		.nmigrations = resources_migrations_count,
		.consume_topics = consumed,
		.consume_fn = apply,
		.settings = &credentials_settings_table,
		.worker_start = credentials_start, /* the issuer's signing key, loaded before the first request */
		.worker_stop = credentials_stop,
		.reasons = resources_reasons,
		.nreasons = resources_REASON_COUNT,
	};
	return hg_service_main(&def, argc, argv);
}
