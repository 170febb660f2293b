/* main.c - hg-surveys: wiring only. */
#include "common/service.h"
#include "services/surveys/reasons.h"
#include "services/surveys/registrants.h"
#include "services/surveys/registrants_store.h"
#include "services/surveys/roster_model.h"
#include "services/surveys/routes.h"

extern const struct hg_migration surveys_migrations[];
extern const size_t surveys_migrations_count;

/* The roster's educators and schools: audiences, and the segments results are broken down by; the catalog's
 * registrations: the audiences that are a session's registrants. */
static const char *const consumed[] = {ROSTER_TOPIC, RESOURCES_TOPIC, NULL};

int main(int argc, char **argv)
{
	const struct hg_service_def def = {
		.name = "surveys",
		.default_port = 8083,
		.routes = surveys_routes,
		.nroutes = surveys_routes_count,
		.migrations = surveys_migrations,
		.nmigrations = surveys_migrations_count,
		.consume_topics = consumed,
		.consume_fn = surveys_store_apply_event,
		.reasons = surveys_reasons,
		.nreasons = surveys_REASON_COUNT,
	};
	return hg_service_main(&def, argc, argv);
}
