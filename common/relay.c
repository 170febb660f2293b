/* relay.c - the outbox's Kafka relay. */
#include "common/relay.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/db.h"
#include "common/idempotency.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define PURGE_EVERY_US (60LL * 1000000)
#define PURGE_LIMIT 10000
#define FAILURE_BACKOFF_MS 1000
#define TOPIC_TIMEOUT_MS 5000
#define BROKER_CHECK_US (5LL * 1000000) /* how often an idle relay asks whether a broker is reachable */
#define BROKER_CHECK_MS 1000

/* One in-flight batch; the delivery report callback fills done[]. */
struct batch {
	size_t n;
	char **ids;
	int *done; /* 0 pending, 1 delivered, -1 failed */
	size_t outstanding;
};

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque)
{
	(void)rk;
	struct hg_relay *relay = opaque;
	struct batch *b = relay != NULL ? relay->current : NULL;
	size_t slot = (size_t)(uintptr_t)msg->_private;
	if (b == NULL || slot >= b->n)
		return;
	b->done[slot] = msg->err == RD_KAFKA_RESP_ERR_NO_ERROR ? 1 : -1;
	if (msg->err)
		hg_log(HG_LOG_WARN, "event not delivered: %s", rd_kafka_err2str(msg->err));
	b->outstanding--;
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	hg_log(level <= 3 ? HG_LOG_ERROR : level <= 5 ? HG_LOG_WARN : HG_LOG_DEBUG, "kafka %s: %s", fac, buf);
}

/* librdkafka's errors (served by rd_kafka_poll on the relay thread): logged, and "all brokers down" marks the
 * broker unreachable at once, even while a batch waits out message.timeout.ms. */
static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct hg_relay *relay = opaque;
	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		relay->broker_up = 0;
	hg_log(HG_LOG_WARN, "kafka: %s: %s", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static rd_kafka_t *producer_new(struct hg_relay *relay, const struct hg_kafka_client *kafka, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	static const char *const settings[][2] = {
		{"enable.idempotence", "true"},       {"acks", "all"},
		{"message.timeout.ms", "15000"},      {"socket.keepalive.enable", "true"},
		{"reconnect.backoff.max.ms", "2000"}, {"linger.ms", "5"},
		{"client.id", "homegrown"},           {"log.connection.close", "false"},
	};
	if (hg_kafka_conf_client(conf, kafka, err, errlen) != 0)
		goto fail;
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (rd_kafka_conf_set(conf, settings[i][0], settings[i][1], err, errlen) != RD_KAFKA_CONF_OK)
			goto fail;
	rd_kafka_conf_set_opaque(conf, relay);
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_log_cb(conf, on_log);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen);
	if (rk == NULL)
		goto fail; /* rd_kafka_new takes conf only on success */
	return rk;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

int hg_relay_init(struct hg_relay *relay, const char *dsn, const char *schema, const struct hg_kafka_client *kafka,
		  long batch, long poll_ms, long retention_h, char *err, size_t errlen)
{
	memset(relay, 0, sizeof(*relay));
	relay->rk = producer_new(relay, kafka, err, errlen);
	if (relay->rk == NULL)
		return -1;
	relay->dsn = xstrdup(dsn);
	relay->schema = xstrdup(schema);
	hg_kafka_client_copy(&relay->kafka, kafka);
	relay->batch = batch;
	relay->poll_ms = poll_ms;
	relay->retention_h = retention_h;
	pthread_mutex_init(&relay->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&relay->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_rwlock_init(&relay->rk_lock, NULL);
	return 0;
}

void hg_relay_kick(void *arg)
{
	struct hg_relay *relay = arg;
	pthread_mutex_lock(&relay->mu);
	relay->kicked = 1;
	pthread_cond_signal(&relay->cv);
	pthread_mutex_unlock(&relay->mu);
}

static int is_stopping(struct hg_relay *relay)
{
	pthread_mutex_lock(&relay->mu);
	int s = relay->stopping;
	pthread_mutex_unlock(&relay->mu);
	return s;
}

/* Sleep until kicked, stopped or ms passed. */
static void wait_for_work(struct hg_relay *relay, long ms)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&relay->mu);
	while (!relay->kicked && !relay->stopping)
		if (pthread_cond_timedwait(&relay->cv, &relay->mu, &deadline) == ETIMEDOUT)
			break;
	relay->kicked = 0;
	pthread_mutex_unlock(&relay->mu);
}

/* Exec with text parameters on the relay's own connection; returns the result or NULL (logged). */
static PGresult *relay_query(PGconn *pg, const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType rs = PQresultStatus(res);
	if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
		hg_log(HG_LOG_WARN, "outbox query failed: %s", PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

/* Keep a connection holding the service's relay lock; NULL while unavailable or another relay leads. */
static PGconn *ensure_leader(struct hg_relay *relay, PGconn *pg)
{
	const char *params[1] = {relay->schema};
	if (pg != NULL && PQstatus(pg) == CONNECTION_OK)
		return pg;
	if (pg != NULL)
		PQfinish(pg);
	pg = hg_db_connect(relay->dsn, relay->schema, 30000);
	if (pg == NULL)
		return NULL;
	PGresult *res = relay_query(pg, "SELECT pg_try_advisory_lock(hashtext('hg_outbox.' || $1))", 1, params);
	int leader = res != NULL && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!leader) {
		hg_log(HG_LOG_DEBUG, "another relay publishes this outbox; standing by");
		PQfinish(pg);
		return NULL;
	}
	hg_log(HG_LOG_INFO, "outbox relay is publishing");
	return pg;
}

static void replace_producer_if_fatal(struct hg_relay *relay)
{
	char errstr[512];
	rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(relay->rk, errstr, sizeof(errstr));
	if (fatal == RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	hg_log(HG_LOG_ERROR, "kafka producer failed fatally (%s); replacing it", errstr);
	rd_kafka_t *fresh = producer_new(relay, &relay->kafka, errstr, sizeof(errstr));
	if (fresh == NULL) {
		hg_log(HG_LOG_ERROR, "cannot create kafka producer: %s", errstr);
		return;
	}
	pthread_rwlock_wrlock(&relay->rk_lock);
	rd_kafka_t *old = relay->rk;
	relay->rk = fresh;
	pthread_rwlock_unlock(&relay->rk_lock);
	rd_kafka_purge(old, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	rd_kafka_destroy(old);
}

/*
 * Publish one batch of unsent rows. Returns the number of rows marked sent,
 * or -1 when something failed (the caller backs off). deadline_us bounds the
 * wait for delivery reports (0: until every report arrived).
 */
static long publish_batch(struct hg_relay *relay, PGconn *pg, int64_t deadline_us)
{
	char limit[24];
	long marked = -1;
	struct batch b = {0};
	PGresult *rows = NULL;
	char *idlist = NULL;

	snprintf(limit, sizeof(limit), "%ld", relay->batch);
	const char *lp[1] = {limit};
	rows = relay_query(
		pg, "SELECT id, topic, event_key, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1", 1,
		lp);
	if (rows == NULL)
		goto out;
	b.n = (size_t)PQntuples(rows);
	if (b.n == 0) {
		marked = 0;
		goto out;
	}
	b.ids = xcalloc(b.n, sizeof(*b.ids));
	b.done = xcalloc(b.n, sizeof(*b.done));
	relay->current = &b;

	for (size_t i = 0; i < b.n; i++) {
		b.ids[i] = PQgetvalue(rows, (int)i, 0);
		const char *topic = PQgetvalue(rows, (int)i, 1);
		char *key = PQgetvalue(rows, (int)i, 2);
		char *payload = PQgetvalue(rows, (int)i, 3);
		for (;;) {
			rd_kafka_resp_err_t e =
				rd_kafka_producev(relay->rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, strlen(key)),
						  RD_KAFKA_V_VALUE(payload, strlen(payload)),
						  RD_KAFKA_V_OPAQUE((void *)(uintptr_t)i), RD_KAFKA_V_END);
			if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
				b.outstanding++;
				break;
			}
			if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
				hg_log(HG_LOG_WARN, "cannot queue event %s: %s", b.ids[i], rd_kafka_err2str(e));
				b.done[i] = -1;
				break;
			}
			rd_kafka_poll(relay->rk, 50);
		}
	}

	/* The delivery callback gets the batch through the producer's opaque. */
	while (b.outstanding > 0) {
		if (deadline_us != 0 && hg_clock_mono_us() > deadline_us) {
			hg_log(HG_LOG_WARN, "giving up on %zu undelivered events; they stay in the outbox",
			       b.outstanding);
			rd_kafka_purge(relay->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
			deadline_us = 0; /* purged messages report at once */
		}
		rd_kafka_poll(relay->rk, 100);
	}

	/* Mark what the broker acknowledged: "{1,2,3}" as one bigint[] parameter. */
	size_t cap = 3, len = 0, ok = 0;
	for (size_t i = 0; i < b.n; i++)
		cap += strlen(b.ids[i]) + 1;
	idlist = xmalloc(cap);
	idlist[len++] = '{';
	for (size_t i = 0; i < b.n; i++) {
		if (b.done[i] != 1)
			continue;
		len += (size_t)snprintf(idlist + len, cap - len, "%s%s", ok ? "," : "", b.ids[i]);
		ok++;
	}
	idlist[len++] = '}';
	idlist[len] = '\0';
	if (ok > 0) {
		const char *mp[1] = {idlist};
		PGresult *res =
			relay_query(pg, "UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])", 1, mp);
		if (res == NULL)
			goto out; /* delivered but unmarked: published again later (at-least-once) */
		PQclear(res);
	}
	relay->published_total += (int64_t)ok;
	relay->failed_total += (int64_t)(b.n - ok);
	marked = ok == b.n ? (long)ok : -1;
out:
	relay->current = NULL;
	free(idlist);
	free(b.ids);
	free(b.done);
	PQclear(rows);
	return marked;
}

static void update_backlog(struct hg_relay *relay, PGconn *pg)
{
	PGresult *res = relay_query(pg, "SELECT count(*) FROM outbox WHERE sent_at IS NULL", 0, NULL);
	if (res != NULL)
		relay->backlog = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
}

static void purge_sent(struct hg_relay *relay, PGconn *pg)
{
	char hours[24], limit[24];
	snprintf(hours, sizeof(hours), "%ld", relay->retention_h);
	snprintf(limit, sizeof(limit), "%d", PURGE_LIMIT);
	const char *params[2] = {hours, limit};
	PGresult *res = relay_query(pg,
				    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at < now() -"
				    " make_interval(hours => $1::int) ORDER BY sent_at LIMIT $2::int)",
				    2, params);
	PQclear(res);
	/* The relay is the service's one housekeeping thread: expired idempotency keys go too. */
	hg_idempotency_purge(pg, PURGE_LIMIT);
}

/*
 * Create the service's topic (broker defaults for partitions and replication)
 * so that consumers can subscribe before the first event; a topic that exists
 * already is fine. Returns 1 once the topic is known to exist.
 */
static int ensure_topic(struct hg_relay *relay)
{
	char topic[96], errstr[256];
	int ok = 0;
	snprintf(topic, sizeof(topic), "homegrown.%s", relay->schema);
	rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, -1, -1, errstr, sizeof(errstr));
	if (nt == NULL) {
		hg_log(HG_LOG_WARN, "cannot describe topic %s: %s", topic, errstr);
		return 0;
	}
	rd_kafka_queue_t *q = rd_kafka_queue_new(relay->rk);
	rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(relay->rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
	rd_kafka_AdminOptions_set_request_timeout(opts, TOPIC_TIMEOUT_MS, errstr, sizeof(errstr));
	rd_kafka_CreateTopics(relay->rk, &nt, 1, opts, q);
	rd_kafka_event_t *ev = rd_kafka_queue_poll(q, TOPIC_TIMEOUT_MS + 1000);
	const rd_kafka_CreateTopics_result_t *res = ev ? rd_kafka_event_CreateTopics_result(ev) : NULL;
	if (res != NULL) {
		size_t n = 0;
		const rd_kafka_topic_result_t **topics = rd_kafka_CreateTopics_result_topics(res, &n);
		rd_kafka_resp_err_t e = n == 1 ? rd_kafka_topic_result_error(topics[0]) : rd_kafka_event_error(ev);
		ok = e == RD_KAFKA_RESP_ERR_NO_ERROR || e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS;
		if (!ok)
			hg_log(HG_LOG_WARN, "cannot create topic %s: %s", topic, rd_kafka_err2str(e));
	}
	if (ev != NULL)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(opts);
	rd_kafka_queue_destroy(q);
	rd_kafka_NewTopic_destroy(nt);
	return ok;
}

/* What the last round says of the broker: a delivery reached it, a failed one did not; an idle round asks it
 * every few seconds (probes read the answer without a round trip of their own). */
static void note_broker(struct hg_relay *relay, long published)
{
	if (published > 0) {
		relay->broker_up = 1;
		relay->broker_checked_us = hg_clock_mono_us();
		return;
	}
	if (published < 0) {
		relay->broker_up = 0;
		return;
	}
	/* Down: ask every round, so recovery shows within about a second. Up: every BROKER_CHECK_US. */
	if (relay->broker_up && hg_clock_mono_us() - relay->broker_checked_us < BROKER_CHECK_US)
		return;
	relay->broker_up = hg_relay_ping(relay, BROKER_CHECK_MS) == HG_OK;
	relay->broker_checked_us = hg_clock_mono_us();
}

static void *relay_main(void *arg)
{
	struct hg_relay *relay = arg;
	PGconn *pg = NULL;
	int64_t last_purge = 0;
	int topic_ready = 0;

	while (!is_stopping(relay)) {
		long wait = relay->poll_ms;
		if (!topic_ready) {
			topic_ready = ensure_topic(relay);
			relay->broker_up = topic_ready;
			relay->broker_checked_us = hg_clock_mono_us();
		}
		pg = ensure_leader(relay, pg);
		long n = 0;
		if (pg != NULL) {
			update_backlog(relay, pg); /* before too: a batch may wait out message.timeout.ms */
			n = publish_batch(relay, pg, 0);
			update_backlog(relay, pg);
			if (n < 0)
				wait = FAILURE_BACKOFF_MS;
			else if (n == relay->batch)
				wait = 0; /* more waiting: go again at once */
			if (hg_clock_mono_us() - last_purge > PURGE_EVERY_US) {
				purge_sent(relay, pg);
				last_purge = hg_clock_mono_us();
			}
		} else {
			wait = FAILURE_BACKOFF_MS;
		}
		note_broker(relay, n);
		replace_producer_if_fatal(relay);
		rd_kafka_poll(relay->rk, 0);
		if (wait > 0)
			wait_for_work(relay, wait);
	}
	if (pg != NULL)
		PQfinish(pg);
	return NULL;
}

int hg_relay_start(struct hg_relay *relay)
{
	if (pthread_create(&relay->thread, NULL, relay_main, relay) != 0)
		return -1;
	relay->started = 1;
	return 0;
}

void hg_relay_stop(struct hg_relay *relay, long flush_ms)
{
	if (!relay->started)
		return;
	pthread_mutex_lock(&relay->mu);
	relay->stopping = 1;
	pthread_cond_signal(&relay->cv);
	pthread_mutex_unlock(&relay->mu);
	pthread_join(relay->thread, NULL);
	relay->started = 0;

	/* Final drain: events committed by the last requests go out before exit. */
	int64_t deadline = hg_clock_mono_us() + (int64_t)flush_ms * 1000;
	PGconn *pg = ensure_leader(relay, NULL);
	if (pg != NULL) {
		while (hg_clock_mono_us() < deadline) {
			long n = publish_batch(relay, pg, deadline);
			if (n <= 0)
				break;
		}
		PQfinish(pg);
	}
	rd_kafka_flush(relay->rk, 1000);
}

void hg_relay_cleanup(struct hg_relay *relay)
{
	if (relay->rk != NULL)
		rd_kafka_destroy(relay->rk);
	free(relay->dsn);
	free(relay->schema);
	hg_kafka_client_cleanup(&relay->kafka);
	pthread_mutex_destroy(&relay->mu);
	pthread_cond_destroy(&relay->cv);
	pthread_rwlock_destroy(&relay->rk_lock);
	memset(relay, 0, sizeof(*relay));
}

enum hg_status hg_relay_ping(struct hg_relay *relay, int timeout_ms)
{
	const struct rd_kafka_metadata *md = NULL;
	pthread_rwlock_rdlock(&relay->rk_lock);
	rd_kafka_resp_err_t e = rd_kafka_metadata(relay->rk, 0, NULL, &md, timeout_ms);
	pthread_rwlock_unlock(&relay->rk_lock);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
		return HG_UNAVAILABLE;
	int brokers = md->broker_cnt;
	rd_kafka_metadata_destroy(md);
	return brokers > 0 ? HG_OK : HG_UNAVAILABLE;
}

int hg_relay_broker_up(const struct hg_relay *relay) { return relay->broker_up; }
