/* outbox.h - transactional outbox and its Kafka relay.
 *
 * A change and its event are written in one transaction (hg_outbox_write,
 * on the transaction's connection). The relay thread publishes unsent rows
 * in id order with an idempotent producer (acks=all) and marks a row sent
 * only when its delivery report says it was stored by the broker. Rows that
 * fail stay unsent and are retried, so an event can be delivered twice (after
 * a crash between delivery and marking) but never lost; consumers dedupe on
 * the CloudEvents id. Only one relay per service publishes at a time (a
 * PostgreSQL advisory lock), so replicas can run side by side.
 */
#ifndef HG_OUTBOX_H
#define HG_OUTBOX_H

#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdint.h>

#include "db.h"
#include "status.h"

/* Name the producing service ("resources"): topic homegrown.<service>, source /homegrown/<service>. */
void hg_outbox_set_service(const char *service);

/*
 * Add one CloudEvent to the outbox on conn, inside the caller's transaction.
 * type e.g. "resource.created"; subject the entity id; data is borrowed.
 */
enum hg_status hg_outbox_write(struct hg_db_conn *conn, const char *district_id, const char *type,
			       const char *subject, json_t *data);

struct hg_relay {
	char *dsn;
	char *schema;
	char *brokers;
	long batch;
	long poll_ms;
	long retention_h;

	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int kicked;
	int stopping;
	int started;

	struct batch *current; /* the batch being delivered (relay thread only) */
	pthread_rwlock_t rk_lock; /* guards rk against replacement while readyz uses it */
	rd_kafka_t *rk;

	/* figures for /metrics (read without the lock: word-sized, monotonic enough) */
	volatile int64_t backlog;
	volatile int64_t published_total;
	volatile int64_t failed_total;
};

int hg_relay_init(struct hg_relay *relay, const char *dsn, const char *schema, const char *brokers, long batch,
		  long poll_ms, long retention_h, char *err, size_t errlen);
/* Start the relay thread. */
int hg_relay_start(struct hg_relay *relay);
/* Wake the relay now (after a commit that wrote events). arg is the relay. */
void hg_relay_kick(void *relay);
/* Stop: publish what is pending (bounded by flush_ms), then join the thread. */
void hg_relay_stop(struct hg_relay *relay, long flush_ms);
void hg_relay_cleanup(struct hg_relay *relay);
/* Is a broker reachable? (a metadata round trip bounded by timeout_ms) */
enum hg_status hg_relay_ping(struct hg_relay *relay, int timeout_ms);

#endif
