/* main.c - hg-analytics: wiring only. */
#include "common/service.h"
#include "services/analytics/analytics_settings.h"
#include "services/analytics/analytics_store.h"
#include "services/analytics/projection.h"
#include "services/analytics/reasons.h"
#include "services/analytics/rebuild.h"
#include "services/analytics/routes.h"

extern const struct hg_migration analytics_migrations[];
extern const size_t analytics_migrations_count;

int main(int argc, char **argv)
{
	const struct hg_service_def def = {
		.name = "analytics",
		.default_port = 8085,
		.routes = analytics_routes,
		.nroutes = analytics_routes_count,
		.migrations = analytics_migrations,
		.nmigrations = analytics_migrations_count,
		.consume_topics = analytics_topics,
		.consume_fn = projection_store_apply,
		.dlq_topic = ANALYTICS_DLQ_TOPIC,
		.ready_max_lag = analytics_ready_max_lag,
		.consume_batch = analytics_consume_batch,
		.settings = &analytics_settings_table,
		/* rebuilds: in the background for POST /v1/analytics/rebuild, or hg-analytics --rebuild */
		.configure = analytics_rebuild_configure,
		.worker_start = analytics_rebuild_start,
		.worker_stop = analytics_rebuild_stop,
		.command_name = "rebuild",
		.command = analytics_rebuild_command,
		.reasons = analytics_reasons,
		.nreasons = analytics_REASON_COUNT,
	};
	return hg_service_main(&def, argc, argv);
}
