/* service.h - the composition root every service's main() calls.
 *
 * A service declares itself (name, port, routes, migrations, the events it
 * consumes, its own settings) and calls hg_service_main, which loads the
 * configuration, applies migrations, starts the pool, the outbox relay, the
 * consumer and the HTTP server, waits for SIGTERM or SIGINT, then shuts down
 * in order: stop accepting, finish in-flight requests, flush events, close
 * the pool. Only main.c files include this header.
 */
#ifndef HG_SERVICE_H
#define HG_SERVICE_H

#include <stddef.h>

#include "common/config.h"
#include "common/consumer.h"
#include "common/db.h"
#include "common/migrate.h"
#include "common/reason.h"
#include "common/route.h"

struct hg_service_def {
	const char *name; /* "resources": schema, topic homegrown.<name>, binary hg-<name> */
	long default_port;
	/* "HG_NAME=value" defaults of this service that differ from the common table; NULL-terminated or NULL. */
	const char *const *env_defaults;
	const struct hg_route *routes;
	size_t nroutes;
	const struct hg_migration *migrations;
	size_t nmigrations;
	/* Events this service consumes (group homegrown.<name>); NULL: none. */
	const char *const *consume_topics; /* NULL-terminated */
	hg_event_fn consume_fn;
	/* The most events applied in one transaction (common/consumer.h batch_max; from the settings); NULL: one a
	 * transaction. */
	long (*consume_batch)(const void *settings);
	/* Where rejected events go, with the reason (common/consumer.h), e.g. "homegrown.analytics.dlq"; NULL: none. */
	const char *dlq_topic;
	/* /readyz answers 503 while the consumer's lag on some partition exceeds this (from the settings; 0 or
	 * NULL: lag does not count). */
	long (*ready_max_lag)(const void *settings);
	/* The service's own settings (HG_<SERVICE>_*), loaded, validated and logged with the common ones; or NULL. */
	const struct hg_config_table *settings;
	/* The largest non-JSON body a route reads, from the settings; NULL: JSON bodies only. */
	size_t (*upload_limit)(const void *settings);
	/* A background worker (the roster's sync schedule): started once the pool and the relay run, with the pool
	 * and the settings (0, or -1: not starting); stopped after the HTTP server at shutdown. NULL: none. */
	int (*worker_start)(struct hg_db_pool *pool, const void *settings);
	void (*worker_stop)(void);
	/* How a token's identity claim finds an educator (common/identity.h): NULL for the identities table the
	 * roster's events feed; the roster, which holds the educators, gives its own statement. */
	const struct hg_stmt *identity_lookup;
	/* The loaded configuration (borrowed; it lives until the service exits), given before anything starts, to
	 * a service whose background jobs need more of it than the pool and the settings; NULL: none. */
	void (*configure)(const struct hg_config *cfg, const void *settings);
	/* An operator's command: hg-<name> --<command_name> runs command once the configuration is loaded and the
	 * migrations applied, instead of the service; its return is the exit status. NULL: none. */
	const char *command_name;
	int (*command)(const struct hg_config *cfg, const void *settings);
	/* The service's refusals (its reasons table), printed by --reasons; NULL: none. */
	const struct hg_reason *reasons;
	size_t nreasons;
};

/* Run the service; returns the process exit status. */
int hg_service_main(const struct hg_service_def *def, int argc, char **argv);

#endif
