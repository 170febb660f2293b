/* service.c - start-up, signal handling and orderly shutdown. */
#include "common/service.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/auth.h"
#include "common/db.h"
#include "common/health.h"
#include "common/identity.h"
#include "common/kafka.h"
#include "common/log.h"
#include "common/outbox.h"
#include "common/relay.h"
#include "common/server.h"
#include "common/xmalloc.h"

/* Everything one running service owns. */
struct hg_service {
	const struct hg_service_def *def;
	struct hg_config cfg;
	struct hg_auth auth;
	struct hg_identity identity;
	/* The educators the consumer's events changed since its last commit (a batch may change several); more
	 * than fit: the whole cache is forgotten. */
	struct {
		char district[37], educator[37];
	} changed[HG_CONSUMER_MAX_BATCH];
	int nchanged, changed_overflow;
	struct hg_db_pool pool;
	struct hg_relay relay;
	struct hg_consumer consumer; /* started only when def->consume_fn is set */
	struct hg_probes probes;
	struct hg_http http;
};

#define SHUTDOWN_FLUSH_MS 10000

static void usage(const struct hg_service_def *def)
{
	fprintf(stderr,
		"usage: hg-%s [--routes | --reasons | --help%s%s]\n"
		"  Runs the %s service; configuration comes from HG_* environment variables\n"
		"  (see README.md). --routes prints the route table, --reasons the codes of the\n"
		"  refusals (code, HTTP status, detail), and exits.%s%s%s\n",
		def->name, def->command_name != NULL ? " | --" : "", def->command_name != NULL ? def->command_name : "",
		def->name, def->command_name != NULL ? "\n  --" : "",
		def->command_name != NULL ? def->command_name : "",
		def->command_name != NULL ? " runs the operator's command of that name and exits with its status."
					  : "");
}

/* Is argv[1] the service's operator command (--<command_name>)? */
static int is_command(const struct hg_service_def *def, int argc, char **argv)
{
	return argc == 2 && def->command_name != NULL && def->command != NULL && strncmp(argv[1], "--", 2) == 0 &&
	       strcmp(argv[1] + 2, def->command_name) == 0;
}

static int wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigwait(&set, &sig);
	return sig;
}

/* The environment first, then the service's own defaults, then the common table's. */
static const char *service_lookup(const char *name, const void *arg)
{
	const struct hg_service_def *def = arg;
	const char *v = getenv(name);
	size_t len = strlen(name);
	if (v != NULL || def->env_defaults == NULL)
		return v;
	for (const char *const *d = def->env_defaults; *d != NULL; d++)
		if (strncmp(*d, name, len) == 0 && (*d)[len] == '=')
			return *d + len + 1;
	return NULL;
}

/* Every roster educator event feeds the identities the service resolves principals with, in the consumer's
 * transaction, and forgets what the cache held of that educator; then the service's own handler runs. */
static enum hg_status consume(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg)
{
	struct hg_service *svc = arg;
	struct hg_roster_educator ed;
	if (strcmp(topic, HG_ROSTER_TOPIC) == 0 && hg_roster_event_parse(event, &ed) == HG_OK) {
		enum hg_status st = hg_identity_apply(conn, &ed);
		if (st != HG_OK)
			return st;
		if (svc->nchanged < HG_CONSUMER_MAX_BATCH) {
			memcpy(svc->changed[svc->nchanged].district, ed.district_id, sizeof(svc->changed[0].district));
			memcpy(svc->changed[svc->nchanged].educator, ed.educator_id, sizeof(svc->changed[0].educator));
			svc->nchanged++;
		} else {
			svc->changed_overflow = 1;
		}
	}
	return svc->def->consume_fn(conn, topic, event, NULL);
}

/* Once the events' changes are committed, the cache forgets the educators they changed. (An attempt rolled
 * back and applied again lists an educator twice, or one not changed yet: forgetting more is harmless.) */
static void consumed(void *arg)
{
	struct hg_service *svc = arg;
	if (svc->changed_overflow)
		hg_identity_cache_clear(svc->identity.cache);
	else
		for (int i = 0; i < svc->nchanged; i++)
			hg_identity_cache_forget(svc->identity.cache, svc->changed[i].district,
						 svc->changed[i].educator);
	svc->nchanged = 0;
	svc->changed_overflow = 0;
}

/* After a commit that wrote events: the relay publishes them; the roster, whose educators may have changed,
 * forgets every principal it resolved. */
static void committed(void *arg)
{
	struct hg_service *svc = arg;
	hg_relay_kick(&svc->relay);
	if (svc->def->identity_lookup != NULL)
		hg_identity_cache_clear(svc->identity.cache);
}

static int start_consumer(struct hg_service *svc)
{
	char err[512];
	char group[96];
	snprintf(group, sizeof(group), "homegrown.%s", svc->def->name);
	struct hg_kafka_client kafka = hg_kafka_client_from_config(&svc->cfg);
	if (hg_consumer_init(&svc->consumer, &kafka, group, svc->def->consume_topics, svc->cfg.database_url,
			     svc->def->name, consume, svc, err, sizeof(err)) != 0) {
		hg_log(HG_LOG_ERROR, "cannot create the kafka consumer: %s", err);
		return -1;
	}
	svc->consumer.after_commit = hg_relay_kick;
	svc->consumer.after_commit_arg = &svc->relay;
	svc->consumer.after_apply = consumed;
	svc->consumer.after_apply_arg = svc;
	svc->consumer.dlq_topic = svc->def->dlq_topic;
	if (svc->def->consume_batch != NULL)
		svc->consumer.batch_max =
			(int)svc->def->consume_batch(svc->def->settings != NULL ? svc->def->settings->values : NULL);
	if (hg_consumer_start(&svc->consumer) != 0) {
		hg_log(HG_LOG_ERROR, "cannot start the consumer thread");
		return -1;
	}
	hg_log(HG_LOG_INFO, "consuming as group %s", group);
	return 0;
}

int hg_service_main(const struct hg_service_def *def, int argc, char **argv)
{
	struct hg_service svc;
	char err[512];
	sigset_t set;
	int rc = 1;

	if (argc > 1 && strcmp(argv[1], "--routes") == 0) {
		hg_route_print(stdout, def->routes, def->nroutes);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--reasons") == 0) {
		for (size_t i = 0; i < def->nreasons; i++)
			printf("%s %d %s\n", def->reasons[i].code, hg_status_http(def->reasons[i].status),
			       def->reasons[i].detail);
		return 0;
	}
	int command = is_command(def, argc, argv);
	if (argc > 1 && !command) {
		usage(def);
		return strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}

	/* Signals are collected by sigwait in this thread only: block them before
	 * any thread (libpq, librdkafka, libmicrohttpd) starts and inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* jansson allocates through the aborting allocator: its error paths are for bad input only. */
	json_set_alloc_funcs(xmalloc, free);
	json_object_seed(0);

	memset(&svc, 0, sizeof(svc));
	svc.def = def;
	if (hg_config_load(&svc.cfg, service_lookup, def, def->default_port, err, sizeof(err)) != 0) {
		hg_log(HG_LOG_ERROR, "invalid configuration: %s", err);
		return 2;
	}
	hg_log_min_level = svc.cfg.log_level_value;
	if (def->settings != NULL && hg_config_load_table(def->settings, service_lookup, def, err, sizeof(err)) != 0) {
		hg_log(HG_LOG_ERROR, "invalid configuration: %s", err);
		hg_config_cleanup(&svc.cfg);
		return 2;
	}
	hg_log(HG_LOG_INFO, "hg-%s starting%s%s", def->name, command ? " --" : "", command ? def->command_name : "");
	hg_config_log(&svc.cfg, def->settings);
	if (def->configure != NULL)
		def->configure(&svc.cfg, def->settings != NULL ? def->settings->values : NULL);

	if (hg_auth_init(&svc.auth, &svc.cfg, err, sizeof(err)) != 0) {
		hg_log(HG_LOG_ERROR, "invalid configuration: %s", err);
		rc = 2;
		goto out_auth;
	}
	svc.identity.match = svc.auth.match;
	svc.identity.lookup = def->identity_lookup != NULL ? def->identity_lookup : &hg_identity_lookup_stmt;
	if (svc.auth.match != HG_MATCH_ID)
		svc.identity.cache = hg_identity_cache_new((size_t)svc.cfg.identity_cache_size,
							   (int64_t)svc.cfg.identity_cache_ttl_s * 1000);
	if (hg_migrate(svc.cfg.database_url, def->name, def->migrations, def->nmigrations) != 0) {
		hg_log(HG_LOG_ERROR, "database migrations failed; not starting");
		goto out_auth;
	}
	if (command) {
		rc = def->command(&svc.cfg, def->settings != NULL ? def->settings->values : NULL);
		goto out_auth;
	}
	hg_outbox_set_service(def->name);
	struct hg_kafka_client kafka = hg_kafka_client_from_config(&svc.cfg);
	if (hg_relay_init(&svc.relay, svc.cfg.database_url, def->name, &kafka, svc.cfg.outbox_batch,
			  svc.cfg.outbox_poll_ms, svc.cfg.outbox_retention_h, err, sizeof(err)) != 0) {
		hg_log(HG_LOG_ERROR, "cannot create the kafka producer: %s", err);
		goto out_auth;
	}
	hg_db_pool_init(&svc.pool, svc.cfg.database_url, def->name, (size_t)svc.cfg.db_pool_size,
			svc.cfg.db_pool_wait_ms, svc.cfg.db_statement_timeout_ms);
	svc.pool.after_commit = committed;
	svc.pool.after_commit_arg = &svc;
	if (hg_relay_start(&svc.relay) != 0) {
		hg_log(HG_LOG_ERROR, "cannot start the outbox relay thread");
		goto out_pool;
	}
	if (def->consume_fn != NULL && start_consumer(&svc) != 0) {
		hg_relay_stop(&svc.relay, SHUTDOWN_FLUSH_MS);
		goto out_pool;
	}
	const void *settings = def->settings != NULL ? def->settings->values : NULL;
	svc.probes = (struct hg_probes){&svc.pool, &svc.relay, def->consume_fn != NULL ? &svc.consumer : NULL,
					svc.cfg.ready_max_backlog,
					def->ready_max_lag != NULL ? def->ready_max_lag(settings) : 0};
	if (def->worker_start != NULL && def->worker_start(&svc.pool, settings) != 0) {
		hg_log(HG_LOG_ERROR, "cannot start the service's worker thread");
		hg_consumer_stop(&svc.consumer);
		hg_relay_stop(&svc.relay, SHUTDOWN_FLUSH_MS);
		goto out_pool;
	}
	const struct hg_http_deps deps = {
		def->routes, def->nroutes, &svc.auth,   &svc.identity,
		&svc.pool,   settings,     &svc.probes, def->upload_limit != NULL ? def->upload_limit(settings) : 0};
	if (hg_http_start(&svc.http, &svc.cfg, &deps, err, sizeof(err)) != 0) {
		hg_log(HG_LOG_ERROR, "%s", err);
		if (def->worker_stop != NULL)
			def->worker_stop();
		hg_consumer_stop(&svc.consumer);
		hg_relay_stop(&svc.relay, SHUTDOWN_FLUSH_MS);
		goto out_pool;
	}
	hg_log(HG_LOG_INFO, "hg-%s listening on %s:%ld", def->name, svc.cfg.http_addr, svc.cfg.http_port);

	int sig = wait_for_signal();
	hg_log(HG_LOG_INFO, "received %s; shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
	hg_http_stop(&svc.http);
	if (def->worker_stop != NULL)
		def->worker_stop();      /* before the relay: its work writes events */
	hg_consumer_stop(&svc.consumer); /* before the relay: its handlers may write events */
	hg_relay_stop(&svc.relay, SHUTDOWN_FLUSH_MS);
	rc = 0;
out_pool:
	hg_consumer_cleanup(&svc.consumer);
	hg_db_pool_cleanup(&svc.pool);
	hg_relay_cleanup(&svc.relay);
out_auth:
	hg_identity_cache_free(svc.identity.cache);
	hg_auth_cleanup(&svc.auth);
	if (def->settings != NULL)
		hg_config_table_cleanup(def->settings);
	hg_config_cleanup(&svc.cfg);
	if (rc == 0)
		hg_log(HG_LOG_INFO, "hg-%s stopped", def->name);
	return rc;
}
