/* service.h - what every service's main() shares.
 *
 * A service declares itself (name, schema, port, routes, migrations) and
 * calls hg_service_main, which loads the configuration, applies migrations,
 * starts the pool, the outbox relay and the HTTP server, waits for SIGTERM or
 * SIGINT, then shuts down in order: stop accepting, finish in-flight
 * requests, flush events, close the pool.
 */
#ifndef HG_SERVICE_H
#define HG_SERVICE_H

#include "auth.h"
#include "config.h"
#include "consumer.h"
#include "db.h"
#include "http.h"
#include "migrate.h"
#include "outbox.h"
#include "route.h"

struct hg_service;

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
	/*
	 * Optional: read the service's own settings once the common ones are
	 * loaded, before anything starts. It may set svc->max_upload and
	 * svc->ext. 0, or -1 with a message naming the variable in err (exit 2).
	 */
	int (*configure)(struct hg_service *svc, char *err, size_t errlen);
};

struct hg_service {
	const struct hg_service_def *def;
	struct hg_config cfg;
	struct hg_auth auth;
	struct hg_db_pool pool;
	struct hg_relay relay;
	struct hg_consumer consumer; /* started only when def->consume_fn is set */
	struct hg_http http;
	size_t max_upload; /* largest non-JSON body a route reads (hg_body_raw_or_reply); 0: none */
	const void *ext;   /* the service's own settings, set by def->configure */
};

/* Run the service; returns the process exit status. */
int hg_service_main(const struct hg_service_def *def, int argc, char **argv);

/* Handlers every service lists in its route table. */
void hg_handle_healthz(struct hg_request *req);
void hg_handle_readyz(struct hg_request *req);
void hg_handle_metrics(struct hg_request *req);

#endif
