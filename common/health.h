/* health.h - liveness, readiness and metrics: the routes every service serves.
 *
 * /healthz: the process answers. /readyz: the service can do its work — the database answers and the
 * outbox's backlog is under its bound. A broker that is down does not make the service unready: writes still
 * succeed (their events wait in the outbox, published when the broker is back), and taking every replica out of
 * the load balancer would turn a Kafka outage into a full outage. The broker's state and the backlog are in
 * /readyz's body and in /metrics (hg_kafka_up, hg_outbox_backlog) for alerts. A service whose answers are its
 * consumer's read models (analytics) may also set a lag bound: beyond it /readyz answers 503 (its answers are
 * stale); the lag per partition is in /metrics (hg_consumer_lag) for every consumer.
 *
 * The composition root (service.c) fills a struct hg_probes with the parts
 * readiness and metrics look at; the server hands it to these handlers
 * through the request.
 */
#ifndef HG_HEALTH_H
#define HG_HEALTH_H

#include "common/request.h"

struct hg_db_pool;
struct hg_relay;
struct hg_consumer;

struct hg_probes {
	struct hg_db_pool *pool;
	struct hg_relay *relay;
	struct hg_consumer *consumer; /* NULL when the service consumes no events */
	long ready_max_backlog;       /* unready beyond this many unpublished events (HG_READY_MAX_BACKLOG) */
	long ready_max_lag;           /* unready while a consumed partition lags more than this (0: not checked) */
};

void hg_handle_healthz(struct hg_request *req);
void hg_handle_readyz(struct hg_request *req);
void hg_handle_metrics(struct hg_request *req);

/* The first lines of every route table. */
/* a table: one entry a line, aligned by hand */
/* clang-format off */
#define HG_HEALTH_ROUTES                                     \
	{"GET", "/healthz", 0, hg_handle_healthz, NULL},    \
	{"GET", "/readyz", 0, hg_handle_readyz, NULL},      \
	{"GET", "/metrics", 0, hg_handle_metrics, NULL}
/* clang-format on */

#endif
