/* consumer.h - Kafka events into a service's own read models, applied once.
 *
 * A consumer thread reads the given topics in its own consumer group
 * (auto.offset.reset=earliest, so a new group replays from the start) and
 * calls the service's handler for each CloudEvent inside one database
 * transaction, together with the insert of the event id into
 * processed_events. A redelivered event (same id) is skipped, so the effect
 * is applied exactly once even though delivery is at-least-once. The offset
 * is stored only after that transaction commits. A handler that fails for a
 * passing reason (HG_RETRY, HG_UNAVAILABLE) is retried with backoff without
 * moving on; one that rejects the event (any other status) or an event that
 * is not a CloudEvent is recorded as rejected and skipped, so one bad event
 * cannot stop the stream. With a dead-letter topic (dlq_topic), a rejected
 * event is also written, with the reason, to the service's outbox for that
 * topic in the same transaction as its rejection (an "event.rejected"
 * CloudEvent whose data holds the topic, partition, offset, reason and the
 * message as it came), so it reaches the topic exactly once per rejection.
 */
#ifndef HG_CONSUMER_H
#define HG_CONSUMER_H

#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "common/db.h"
#include "common/kafka.h"
#include "common/status.h"

/*
 * Apply one event on conn (inside the consumer's transaction). event is the
 * whole CloudEvent (borrowed); its "type", "subject", "districtid" and "data"
 * are what handlers usually read.
 */
typedef enum hg_status (*hg_event_fn)(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg);

#define HG_CONSUMER_MAX_TOPICS 8
#define HG_CONSUMER_MAX_BATCH 64 /* the most events applied in one transaction (batch_max) */

struct hg_consumer {
	char *dsn;
	char *schema;
	hg_event_fn fn;
	void *arg;
	void (*after_commit)(void *arg); /* e.g. wake the outbox relay when a handler wrote events */
	void *after_commit_arg;
	void (*after_apply)(void *arg); /* after each commit in which the handler applied an event (not a duplicate) */
	void *after_apply_arg;
	const char *dlq_topic; /* NULL: rejected events are only logged and counted (set before start) */
	/*
	 * The most events applied in one transaction (set before start; 0 or 1: one event a transaction, at most
	 * HG_CONSUMER_MAX_BATCH). With more, the events the consumer already holds are applied together, each
	 * with its id, and their offsets stored after the one commit: the same effects, one commit instead of
	 * one per event. A batch in which an event is rejected or the database refuses a row is rolled back and
	 * applied again one event a transaction, so a poison event is handled exactly as alone.
	 */
	int batch_max;

	rd_kafka_t *rk;
	pthread_t thread;
	pthread_mutex_t mu;
	int stopping;
	int started;

	/* a replay (hg_replay_init): per assigned partition, the next offset to apply and the high watermark at
	 * the start (offset fields); NULL for a group consumer */
	rd_kafka_topic_partition_list_t *replay_pos;
	rd_kafka_topic_partition_list_t *replay_end;
	int64_t replay_total;

	/* figures for /metrics, read by request threads */
	_Atomic int64_t applied_total;
	_Atomic int64_t duplicate_total;
	_Atomic int64_t rejected_total;
};

/*
 * Subscribe group to topics (NULL-terminated, at most HG_CONSUMER_MAX_TOPICS)
 * on the brokers of kafka (borrowed, read only here). -1 with err on failure.
 */
int hg_consumer_init(struct hg_consumer *c, const struct hg_kafka_client *kafka, const char *group,
		     const char *const *topics, const char *dsn, const char *schema, hg_event_fn fn, void *arg,
		     char *err, size_t errlen);
int hg_consumer_start(struct hg_consumer *c);
/*
 * From a handler, on the consumer's thread: why the event in hand is rejected (printf format), for the log
 * and the dead-letter record. A handler that rejects without saying gets the database's message, or the
 * status.
 */
void hg_consumer_reject_reason(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The lag of each partition assigned to the consumer (the high watermark minus the next offset it will
 * apply, or its group's committed offset before it applied any): fn (may be NULL) is called per partition.
 * Returns the largest lag, 0 when nothing is assigned, -1 when it cannot be read. Any thread.
 */
typedef void (*hg_consumer_lag_fn)(const char *topic, int partition, int64_t lag, void *arg);
int64_t hg_consumer_lag(struct hg_consumer *c, hg_consumer_lag_fn fn, void *arg);
/*
 * A replay (a rebuild of the read models): every partition of topics read from its beginning by a consumer of
 * no group (nothing committed), each event applied exactly as the group consumer applies it (fn with the
 * event's id in processed_events, rejections recorded and dead-lettered to the outbox) on the connections
 * of schema. The high watermark of every partition is taken here: hg_replay_remaining says how far the
 * replay is from it. Reading goes on past it as long as hg_replay_step is called. -1 with err on failure
 * (c is then clean). hg_consumer_cleanup frees it.
 */
int hg_replay_init(struct hg_consumer *c, const struct hg_kafka_client *kafka, const char *const *topics,
		   const char *dsn, const char *schema, hg_event_fn fn, void *arg, char *err, size_t errlen);
/* Poll one message (at most timeout_ms) and apply it on conn (connected to the replay's schema when needed).
 * 1 when an event was handled, 0 when none came. The caller's thread. */
int hg_replay_step(struct hg_consumer *c, struct hg_db_conn *conn, int timeout_ms);
/* Events between the replay's position and the high watermarks taken at its start (0: reached); total: from
 * each partition's first offset (its low watermark then). */
int64_t hg_replay_remaining(const struct hg_consumer *c);
int64_t hg_replay_total(const struct hg_consumer *c);
/* Finish the event in hand, commit offsets and leave the group. */
void hg_consumer_stop(struct hg_consumer *c);
void hg_consumer_cleanup(struct hg_consumer *c);

#endif
