/* relay.h - the outbox's Kafka relay.
 *
 * The relay thread publishes unsent outbox rows in id order with an
 * idempotent producer (acks=all) and marks a row sent only when its delivery
 * report says it was stored by the broker. Rows that fail stay unsent and
 * are retried, so an event can be delivered twice (after a crash between
 * delivery and marking) but never lost; consumers dedupe on the CloudEvents
 * id. Only one relay per service publishes at a time (a PostgreSQL advisory
 * lock), so replicas can run side by side. The relay is also the service's
 * housekeeping thread (published rows and expired idempotency keys are
 * purged).
 */
#ifndef HG_RELAY_H
#define HG_RELAY_H

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "common/kafka.h"
#include "common/status.h"

struct hg_relay {
	char *dsn;
	char *schema;
	struct hg_kafka_client kafka; /* owned copies: a fatal producer error makes a new producer */
	long batch;
	long poll_ms;
	long retention_h;

	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int kicked;
	int stopping;
	int started;

	struct batch *current;    /* the batch being delivered (relay thread only) */
	pthread_rwlock_t rk_lock; /* guards rk against replacement while readyz uses it */
	rd_kafka_t *rk;

	/* figures for /metrics and /readyz, read by request threads */
	_Atomic int broker_up;     /* 1 when the last delivery or metadata round trip reached a broker */
	int64_t broker_checked_us; /* relay thread only: when it last asked the broker while idle */
	_Atomic int64_t backlog;
	_Atomic int64_t published_total;
	_Atomic int64_t failed_total;
};

/* kafka: the brokers and how to authenticate (copied). */
int hg_relay_init(struct hg_relay *relay, const char *dsn, const char *schema, const struct hg_kafka_client *kafka,
		  long batch, long poll_ms, long retention_h, char *err, size_t errlen);
/* Start the relay thread. */
int hg_relay_start(struct hg_relay *relay);
/* Wake the relay now (after a commit that wrote events). arg is the relay. */
void hg_relay_kick(void *relay);
/* Stop: publish what is pending (bounded by flush_ms), then join the thread. */
void hg_relay_stop(struct hg_relay *relay, long flush_ms);
void hg_relay_cleanup(struct hg_relay *relay);
/* Is a broker reachable? (a metadata round trip bounded by timeout_ms) */
enum hg_status hg_relay_ping(struct hg_relay *relay, int timeout_ms);
/* Did the relay last reach a broker? (what it saw publishing, or its check every few seconds when idle; no
 * round trip now: for probes that must answer at once) */
int hg_relay_broker_up(const struct hg_relay *relay);

#endif
