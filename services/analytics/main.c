/* main.c - hg-analytics: wiring only. */
#include "common/roster_event.h"
#include "common/service.h"
#include "services/analytics/analytics_settings.h"
#include "services/analytics/analytics_store.h"
#include "services/analytics/projection.h"
#include "services/analytics/routes.h"

extern const struct hg_migration analytics_migrations[];
extern const size_t analytics_migrations_count;

/* The roster (schools, educators), the catalog (activities, sessions, attendance, completions, credit),
 * coaching (cycles, feedback, time) and surveys (surveys and their final results). */
static const char *const consumed[] = {HG_ROSTER_TOPIC, ANALYTICS_RESOURCES_TOPIC, ANALYTICS_COACHING_TOPIC,
				       ANALYTICS_SURVEYS_TOPIC, NULL};

int main(int argc, char **argv)
{
	const struct hg_service_def def = {
		.name = "analytics",
		.default_port = 8085,
		.routes = analytics_routes,
		.nroutes = analytics_routes_count,
		.migrations = analytics_migrations,
		.nmigrations = analytics_migrations_count,
		.consume_topics = consumed,
		.consume_fn = projection_store_apply,
		.dlq_topic = ANALYTICS_DLQ_TOPIC,
		.ready_max_lag = analytics_ready_max_lag,
		.consume_batch = analytics_consume_batch,
		.settings = &analytics_settings_table,
	};
	return hg_service_main(&def, argc, argv);
}
