/* main.c - hg-coaching: wiring only. */
#include <string.h>

#include "common/roster_event.h"
#include "common/service.h"
#include "services/coaching/coaching_store.h"
#include "services/coaching/reasons.h"
#include "services/coaching/routes.h"

extern const struct hg_migration coaching_migrations[];
extern const size_t coaching_migrations_count;

/* The roster service's educators: roles, schools and career stage (new teachers without a mentor); the catalog's
 * activities (a PLC meeting links to one). */
static const char *const consumed[] = {HG_ROSTER_TOPIC, COACHING_RESOURCES_TOPIC, NULL};

/*
 * A thread per connection by default, chosen by measurement (bench/coaching_year.sh, docs/coaching.md): at 16
 * clients the epoll pool's p99 was 55-110 ms on the caseload reads (a connection waits behind the others its
 * worker accepted), a thread per connection 17-39 ms.
 */
static const char *const env_defaults[] = {"HG_HTTP_THREADS=0", NULL};

/* Each topic to its read model. */
static enum hg_status apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg)
{
	if (strcmp(topic, COACHING_RESOURCES_TOPIC) == 0)
		return activity_model_store_apply(conn, topic, event, arg);
	return roster_model_store_apply(conn, topic, event, arg);
}

int main(int argc, char **argv)
{
	const struct hg_service_def def = {
		.name = "coaching",
		.default_port = 8084,
		.routes = coaching_routes,
		.nroutes = coaching_routes_count,
		.migrations = coaching_migrations,
		.nmigrations = coaching_migrations_count,
		.consume_topics = consumed,
		.consume_fn = apply,
		.reasons = coaching_reasons,
		.nreasons = coaching_REASON_COUNT,
		.env_defaults = env_defaults,
	};
	return hg_service_main(&def, argc, argv);
}
