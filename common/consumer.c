/* consumer.c - Kafka events into a service's own read models, applied once. */
#include "common/consumer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <stdarg.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/outbox.h"
#include "common/validate.h"
#include "common/xmalloc.h"

#define POLL_MS 200
#define RETRY_BACKOFF_MS 500
#define MAX_EVENT_ID 200
#define PURGE_EVERY_US (3600LL * 1000000)
#define DEDUPE_DAYS "30"
#define DLQ_MAX_PAYLOAD 65536 /* bytes of a rejected message its dead-letter record carries */
#define LAG_TIMEOUT_MS 500
#define REPLAY_TIMEOUT_MS 10000

/* Why the event in hand was rejected (the consumer thread's own). */
static _Thread_local char reject_reason[512];

void hg_consumer_reject_reason(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reject_reason, sizeof(reject_reason), fmt, ap);
	va_end(ap);
}

/* The message in hand as it came, for a dead-letter record. */
struct message {
	const char *topic;
	int partition;
	int64_t offset;
	const void *payload;
	size_t len;
	char district_id[37]; /* the envelope's districtid when it is a UUID, else the nil UUID */
};

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	hg_log(level <= 3 ? HG_LOG_ERROR : level <= 5 ? HG_LOG_WARN : HG_LOG_DEBUG, "kafka consumer %s: %s", fac, buf);
}

int hg_consumer_init(struct hg_consumer *c, const struct hg_kafka_client *kafka, const char *group,
		     const char *const *topics, const char *dsn, const char *schema, hg_event_fn fn, void *arg,
		     char *err, size_t errlen)
{
	static const char *const settings[][2] = {
		{"auto.offset.reset", "earliest"},
		{"enable.auto.commit", "true"},
		{"enable.auto.offset.store", "false"}, /* stored only after our transaction commits */
		{"auto.commit.interval.ms", "1000"},
		{"enable.partition.eof", "false"},
		{"client.id", "homegrown"},
		{"log.connection.close", "false"},
		/* A topic created after the consumer subscribed (its producer started later) is found within this,
		 * not librdkafka's default of 5 minutes. */
		{"topic.metadata.refresh.interval.ms", "5000"},
		/* A member that died (kill -9) holds its partitions until this passes: its replacement waits that
		 * long to rejoin (librdkafka's default is 45 s). Heartbeats come from librdkafka's own thread. */
		{"session.timeout.ms", "10000"},
		{"heartbeat.interval.ms", "3000"},
	};
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_topic_partition_list_t *subs = NULL;

	memset(c, 0, sizeof(*c));
	if (hg_kafka_conf_client(conf, kafka, err, errlen) != 0 ||
	    rd_kafka_conf_set(conf, "group.id", group, err, errlen) != RD_KAFKA_CONF_OK)
		goto fail_conf;
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (rd_kafka_conf_set(conf, settings[i][0], settings[i][1], err, errlen) != RD_KAFKA_CONF_OK)
			goto fail_conf;
	rd_kafka_conf_set_log_cb(conf, on_log);
	c->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
	if (c->rk == NULL)
		goto fail_conf;
	rd_kafka_poll_set_consumer(c->rk);

	subs = rd_kafka_topic_partition_list_new(HG_CONSUMER_MAX_TOPICS);
	for (size_t i = 0; topics[i] != NULL && i < HG_CONSUMER_MAX_TOPICS; i++)
		rd_kafka_topic_partition_list_add(subs, topics[i], RD_KAFKA_PARTITION_UA);
	rd_kafka_resp_err_t e = rd_kafka_subscribe(c->rk, subs);
	rd_kafka_topic_partition_list_destroy(subs);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "cannot subscribe: %s", rd_kafka_err2str(e));
		rd_kafka_destroy(c->rk);
		c->rk = NULL;
		return -1;
	}
	c->dsn = xstrdup(dsn);
	c->schema = xstrdup(schema);
	c->fn = fn;
	c->arg = arg;
	pthread_mutex_init(&c->mu, NULL);
	return 0;
fail_conf:
	rd_kafka_conf_destroy(conf);
	return -1;
}

static int is_stopping(struct hg_consumer *c)
{
	pthread_mutex_lock(&c->mu);
	int s = c->stopping;
	pthread_mutex_unlock(&c->mu);
	return s;
}

static const struct hg_stmt mark_stmt = {"hg_consumer_mark",
					 "INSERT INTO processed_events (event_id, topic, outcome) VALUES ($1, $2, $3)"
					 " ON CONFLICT (event_id) DO NOTHING RETURNING 1",
					 3};

static enum hg_status exec_simple(struct hg_db_conn *conn, const char *sql)
{
	PGresult *res = PQexec(conn->pg, sql);
	ExecStatusType rs = PQresultStatus(res);
	enum hg_status st = rs == PGRES_COMMAND_OK ? HG_OK : HG_UNAVAILABLE;
	if (st != HG_OK)
		hg_log(HG_LOG_WARN, "consumer: %s failed: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
	return st;
}

/*
 * One attempt at one event: BEGIN; mark it processed (skip if it was); run
 * the handler; COMMIT. *duplicate tells a skip apart from an application.
 */
/* The dead-letter record of a rejected message, in the rejection's transaction. */
static enum hg_status dead_letter(struct hg_consumer *c, struct hg_db_conn *conn, const struct message *m,
				  const char *id)
{
	size_t len = m->len < DLQ_MAX_PAYLOAD ? m->len : DLQ_MAX_PAYLOAD;
	json_t *data = json_pack(
		"{s:s, s:i, s:I, s:s, s:s, s:s%, s:b}", "topic", m->topic, "partition", m->partition, "offset",
		(json_int_t)m->offset, "event_id", id, "reason", reject_reason[0] ? reject_reason : "rejected",
		"message", m->payload ? (const char *)m->payload : "", m->payload ? len : 0, "truncated", len < m->len);
	if (data == NULL) /* not UTF-8: the record says so instead of carrying the bytes */
		data = json_pack("{s:s, s:i, s:I, s:s, s:s, s:n, s:b}", "topic", m->topic, "partition", m->partition,
				 "offset", (json_int_t)m->offset, "event_id", id, "reason",
				 reject_reason[0] ? reject_reason : "rejected", "message", "truncated", len < m->len);
	if (data == NULL)
		return HG_INTERNAL;
	enum hg_status st = hg_outbox_write_topic(conn, c->dlq_topic, m->district_id, "event.rejected", id, data);
	json_decref(data);
	return st;
}

static enum hg_status apply_once(struct hg_consumer *c, struct hg_db_conn *conn, const struct message *m,
				 const char *id, json_t *event, const char *outcome, int *duplicate)
{
	PGresult *res = NULL;
	const char *topic = m->topic;
	const char *params[3] = {id, topic, outcome};
	enum hg_status st;

	*duplicate = 0;
	conn->wrote_event = 0;
	st = exec_simple(conn, "BEGIN");
	if (st != HG_OK)
		return st;
	st = hg_db_exec(conn, &mark_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		*duplicate = 1;
	PQclear(res);
	if (st == HG_OK && !*duplicate && event != NULL) {
		st = c->fn(conn, topic, event, c->arg);
		if (st != HG_OK && st != HG_RETRY && st != HG_UNAVAILABLE && !reject_reason[0]) {
			const char *msg = PQerrorMessage(conn->pg);
			hg_consumer_reject_reason("%s%s%s", hg_status_name(st), msg && msg[0] ? ": " : "",
						  msg ? msg : "");
			size_t n = strlen(reject_reason);
			while (n > 0 && (reject_reason[n - 1] == '\n' || reject_reason[n - 1] == ' '))
				reject_reason[--n] = '\0';
		}
	} else if (st == HG_OK && !*duplicate && c->dlq_topic != NULL) {
		st = dead_letter(c, conn, m, id);
	}
	if (st == HG_OK)
		st = exec_simple(conn, "COMMIT");
	if (st != HG_OK)
		PQclear(PQexec(conn->pg, "ROLLBACK"));
	else if (conn->wrote_event && c->after_commit != NULL)
		c->after_commit(c->after_commit_arg);
	if (st == HG_OK && !*duplicate && event != NULL && c->after_apply != NULL)
		c->after_apply(c->after_apply_arg);
	return st;
}

/* Ensure a live database connection (the consumer's own, outside the request pool). */
static int ensure_conn(struct hg_consumer *c, struct hg_db_conn *conn)
{
	if (conn->pg != NULL && PQstatus(conn->pg) == CONNECTION_OK)
		return 1;
	hg_db_conn_close(conn);
	conn->pg = hg_db_connect(c->dsn, c->schema, 30000);
	return conn->pg != NULL;
}

/* Handle one message until it is applied, skipped or rejected (or we stop). Returns 1 when done with it. */
static int handle(struct hg_consumer *c, struct hg_db_conn *conn, const rd_kafka_message_t *m)
{
	const char *topic = rd_kafka_topic_name(m->rkt);
	json_error_t jerr;
	json_t *event = json_loadb(m->payload, m->len, 0, &jerr);
	const char *given = json_string_value(json_object_get(event, "id"));
	const char *district = json_string_value(json_object_get(event, "districtid"));
	char id[MAX_EVENT_ID + 1]; /* a copy: the event may be dropped below */
	int done = 0;
	struct message msg = {topic, (int)m->partition, m->offset, m->payload, m->len, ""};

	if (district != NULL && hg_is_uuid(district))
		hg_uuid_lower(district, msg.district_id);
	else
		snprintf(msg.district_id, sizeof(msg.district_id), "00000000-0000-0000-0000-000000000000");
	reject_reason[0] = '\0';
	if (event == NULL || !json_is_object(event) || given == NULL || strlen(given) > MAX_EVENT_ID ||
	    json_string_value(json_object_get(event, "type")) == NULL) {
		/* Not a CloudEvent: remember where it was and move on. */
		hg_consumer_reject_reason("not a CloudEvent (%s)", event == NULL                  ? "not JSON"
								   : !json_is_object(event)       ? "not an object"
								   : given == NULL                ? "no id"
								   : strlen(given) > MAX_EVENT_ID ? "id too long"
												  : "no type");
		snprintf(id, sizeof(id), "invalid:%s:%d:%lld", topic, (int)m->partition, (long long)m->offset);
		hg_log(HG_LOG_ERROR, "consumer: %s is not a CloudEvent; skipped", id);
		json_decref(event);
		event = NULL;
	} else {
		snprintf(id, sizeof(id), "%s", given);
	}

	while (!done && !is_stopping(c)) {
		int duplicate = 0;
		if (!ensure_conn(c, conn)) {
			sleep_ms(RETRY_BACKOFF_MS);
			continue;
		}
		enum hg_status st = apply_once(c, conn, &msg, id, event, event ? "applied" : "rejected", &duplicate);
		if (st == HG_OK) {
			if (duplicate)
				c->duplicate_total++;
			else if (event == NULL)
				c->rejected_total++;
			else
				c->applied_total++;
			done = 1;
		} else if (st == HG_RETRY || st == HG_UNAVAILABLE) {
			sleep_ms(RETRY_BACKOFF_MS);
		} else {
			hg_log(HG_LOG_ERROR, "consumer: event %s (%s) rejected by the handler: %s", id,
			       json_string_value(json_object_get(event, "type")), reject_reason);
			json_decref(event);
			event = NULL; /* record it as rejected on the next pass */
		}
	}
	json_decref(event);
	return done;
}

/*
 * processed_events is bounded: ids older than the dedupe window are dropped.
 * Redelivery happens within minutes of a crash; a deliberate replay from the
 * start of a topic relies on handlers ignoring stale entity versions.
 */
static void purge_processed(struct hg_consumer *c, struct hg_db_conn *conn)
{
	static const struct hg_stmt purge = {
		"hg_consumer_purge",
		"DELETE FROM processed_events WHERE processed_at < now() - make_interval(days => $1::int)", 1};
	const char *params[1] = {DEDUPE_DAYS};
	if (ensure_conn(c, conn))
		hg_db_exec(conn, &purge, params, NULL);
}

/* The effect of m is committed: now the offset may move past it. */
static void store_offset(struct hg_consumer *c, const rd_kafka_message_t *m)
{
	rd_kafka_topic_partition_list_t *offs = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(offs, rd_kafka_topic_name(m->rkt), m->partition)->offset = m->offset + 1;
	rd_kafka_offsets_store(c->rk, offs);
	rd_kafka_topic_partition_list_destroy(offs);
}

/*
 * One attempt at a batch of CloudEvents (ms[0..n)) in one transaction: BEGIN; for each, mark it processed
 * (a duplicate is skipped) and run the handler; COMMIT. HG_OK: all committed, their outcomes in dup[] (1: a
 * duplicate). HG_RETRY/HG_UNAVAILABLE: a passing failure, nothing written. Any other status: an event was
 * rejected (or is not a CloudEvent) or the database refused a row: nothing written; apply them one by one.
 */
static enum hg_status apply_batch(struct hg_consumer *c, struct hg_db_conn *conn, rd_kafka_message_t *const *ms,
				  json_t *const *events, int n, int *dup)
{
	PGresult *res = NULL;
	enum hg_status st;

	conn->wrote_event = 0;
	st = exec_simple(conn, "BEGIN");
	if (st != HG_OK)
		return st;
	for (int i = 0; i < n && st == HG_OK; i++) {
		const char *topic = rd_kafka_topic_name(ms[i]->rkt);
		const char *params[3] = {json_string_value(json_object_get(events[i], "id")), topic, "applied"};
		dup[i] = 0;
		reject_reason[0] = '\0';
		st = hg_db_exec(conn, &mark_stmt, params, &res);
		if (st == HG_OK && PQntuples(res) == 0)
			dup[i] = 1;
		PQclear(res);
		res = NULL;
		if (st == HG_OK && !dup[i])
			st = c->fn(conn, topic, events[i], c->arg);
	}
	if (st == HG_OK)
		st = exec_simple(conn, "COMMIT");
	if (st != HG_OK)
		PQclear(PQexec(conn->pg, "ROLLBACK"));
	return st;
}

/*
 * Apply a batch of messages (at least two) in one transaction until done. Returns 1 when every one is
 * committed (their offsets may be stored), 0 when stopping first, -1 when they must be handled one by one
 * (one is not a CloudEvent, an event was rejected, or the database refused a row: nothing was written).
 */
static int handle_batch(struct hg_consumer *c, struct hg_db_conn *conn, rd_kafka_message_t *const *ms, int n)
{
	json_t *events[HG_CONSUMER_MAX_BATCH];
	int dup[HG_CONSUMER_MAX_BATCH];
	int result = -1;
	for (int i = 0; i < n; i++) {
		json_error_t jerr;
		json_t *e = json_loadb(ms[i]->payload, ms[i]->len, 0, &jerr);
		const char *id = json_string_value(json_object_get(e, "id"));
		if (e == NULL || !json_is_object(e) || id == NULL || strlen(id) > MAX_EVENT_ID ||
		    json_string_value(json_object_get(e, "type")) == NULL) {
			json_decref(e);
			e = NULL; /* handle() rejects it with its reason */
		}
		events[i] = e;
	}
	for (int i = 0; i < n; i++)
		if (events[i] == NULL)
			goto done;
	while (!is_stopping(c)) {
		if (!ensure_conn(c, conn)) {
			sleep_ms(RETRY_BACKOFF_MS);
			continue;
		}
		enum hg_status st = apply_batch(c, conn, ms, events, n, dup);
		if (st == HG_RETRY || st == HG_UNAVAILABLE) {
			sleep_ms(RETRY_BACKOFF_MS);
			continue;
		}
		if (st != HG_OK)
			break; /* one by one: the rejected event is found and recorded alone */
		int applied = 0;
		for (int i = 0; i < n; i++) {
			if (dup[i]) {
				c->duplicate_total++;
			} else {
				c->applied_total++;
				applied = 1;
			}
		}
		if (conn->wrote_event && c->after_commit != NULL)
			c->after_commit(c->after_commit_arg);
		if (applied && c->after_apply != NULL)
			c->after_apply(c->after_apply_arg);
		result = 1;
		goto done;
	}
	if (is_stopping(c))
		result = 0;
done:
	for (int i = 0; i < n; i++)
		json_decref(events[i]);
	return result;
}

static void *consumer_main(void *arg)
{
	struct hg_consumer *c = arg;
	struct hg_db_conn conn;
	int64_t last_purge = 0;
	int batch_max = c->batch_max < 1                       ? 1
			: c->batch_max > HG_CONSUMER_MAX_BATCH ? HG_CONSUMER_MAX_BATCH
							       : c->batch_max;
	rd_kafka_message_t *ms[HG_CONSUMER_MAX_BATCH];
	memset(&conn, 0, sizeof(conn));

	while (!is_stopping(c)) {
		if (hg_clock_mono_us() - last_purge > PURGE_EVERY_US) {
			purge_processed(c, &conn);
			last_purge = hg_clock_mono_us();
		}
		rd_kafka_message_t *m = rd_kafka_consumer_poll(c->rk, POLL_MS);
		if (m == NULL)
			continue;
		/* With batches: the messages the consumer already holds too, without waiting for more. */
		int n = 0;
		while (m != NULL) {
			if (m->err) {
				if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
					hg_log(HG_LOG_WARN, "consumer: %s", rd_kafka_message_errstr(m));
				rd_kafka_message_destroy(m);
			} else {
				ms[n++] = m;
			}
			m = n < batch_max ? rd_kafka_consumer_poll(c->rk, 0) : NULL;
		}
		int done = n > 1 ? handle_batch(c, &conn, ms, n) : -1;
		for (int i = 0; i < n; i++) {
			if (done < 0 && !is_stopping(c) && handle(c, &conn, ms[i]))
				store_offset(c, ms[i]);
			else if (done > 0)
				store_offset(c, ms[i]);
			rd_kafka_message_destroy(ms[i]);
		}
	}
	hg_db_conn_close(&conn);
	return NULL;
}

int hg_consumer_start(struct hg_consumer *c)
{
	if (pthread_create(&c->thread, NULL, consumer_main, c) != 0)
		return -1;
	c->started = 1;
	return 0;
}

int64_t hg_consumer_lag(struct hg_consumer *c, hg_consumer_lag_fn fn, void *arg)
{
	rd_kafka_topic_partition_list_t *parts = NULL, *unread = NULL;
	int64_t most = 0;

	if (c->rk == NULL || rd_kafka_assignment(c->rk, &parts) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return -1;
	rd_kafka_position(c->rk, parts);
	/* Partitions it has applied nothing from yet start at the group's committed offset. */
	unread = rd_kafka_topic_partition_list_new(parts->cnt > 0 ? parts->cnt : 1);
	for (int i = 0; i < parts->cnt; i++)
		if (parts->elems[i].offset < 0)
			rd_kafka_topic_partition_list_add(unread, parts->elems[i].topic, parts->elems[i].partition);
	if (unread->cnt > 0)
		rd_kafka_committed(c->rk, unread, LAG_TIMEOUT_MS);
	for (int i = 0; i < parts->cnt; i++) {
		rd_kafka_topic_partition_t *p = &parts->elems[i];
		int64_t lo = -1, hi = -1, next = p->offset;
		if (next < 0) {
			rd_kafka_topic_partition_t *u =
				rd_kafka_topic_partition_list_find(unread, p->topic, p->partition);
			next = u != NULL ? u->offset : -1;
		}
		if (rd_kafka_get_watermark_offsets(c->rk, p->topic, p->partition, &lo, &hi) !=
			    RD_KAFKA_RESP_ERR_NO_ERROR ||
		    hi < 0)
			if (rd_kafka_query_watermark_offsets(c->rk, p->topic, p->partition, &lo, &hi, LAG_TIMEOUT_MS) !=
			    RD_KAFKA_RESP_ERR_NO_ERROR)
				continue;
		if (next < 0)
			next = lo; /* nothing committed: the group starts at the beginning */
		int64_t lag = hi > next ? hi - next : 0;
		if (fn != NULL)
			fn(p->topic, (int)p->partition, lag, arg);
		if (lag > most)
			most = lag;
	}
	rd_kafka_topic_partition_list_destroy(unread);
	rd_kafka_topic_partition_list_destroy(parts);
	return most;
}

void hg_consumer_stop(struct hg_consumer *c)
{
	if (!c->started)
		return;
	pthread_mutex_lock(&c->mu);
	c->stopping = 1;
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	c->started = 0;
	/* Commits the stored offsets and leaves the group. */
	rd_kafka_consumer_close(c->rk);
}

/* The partitions of topic (none when it does not exist yet) appended to list, at offset 0. */
static int add_partitions(rd_kafka_t *rk, const char *topic, rd_kafka_topic_partition_list_t *list, char *err,
			  size_t errlen)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t e =
		rkt != NULL ? rd_kafka_metadata(rk, 0, rkt, &md, REPLAY_TIMEOUT_MS) : RD_KAFKA_RESP_ERR__INVALID_ARG;
	int rc = 0;
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "cannot read the partitions of %s: %s", topic, rd_kafka_err2str(e));
		rc = -1;
	} else {
		for (int t = 0; t < md->topic_cnt; t++)
			if (md->topics[t].err == RD_KAFKA_RESP_ERR_NO_ERROR)
				for (int p = 0; p < md->topics[t].partition_cnt; p++)
					rd_kafka_topic_partition_list_add(list, topic, md->topics[t].partitions[p].id);
	}
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	if (rkt != NULL)
		rd_kafka_topic_destroy(rkt);
	return rc;
}

int hg_replay_init(struct hg_consumer *c, const struct hg_kafka_client *kafka, const char *const *topics,
		   const char *dsn, const char *schema, hg_event_fn fn, void *arg, char *err, size_t errlen)
{
	static const char *const settings[][2] = {
		{"enable.auto.commit", "false"},   {"enable.auto.offset.store", "false"},
		{"enable.partition.eof", "false"}, {"client.id", "homegrown-replay"},
		{"log.connection.close", "false"},
	};
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_topic_partition_list_t *start = NULL;
	char group[128];

	memset(c, 0, sizeof(*c));
	/* assign() joins no group; librdkafka still wants a group id for a consumer handle */
	snprintf(group, sizeof(group), "homegrown.%s.replay", schema);
	if (hg_kafka_conf_client(conf, kafka, err, errlen) != 0 ||
	    rd_kafka_conf_set(conf, "group.id", group, err, errlen) != RD_KAFKA_CONF_OK)
		goto fail_conf;
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (rd_kafka_conf_set(conf, settings[i][0], settings[i][1], err, errlen) != RD_KAFKA_CONF_OK)
			goto fail_conf;
	rd_kafka_conf_set_log_cb(conf, on_log);
	c->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
	if (c->rk == NULL)
		goto fail_conf;
	rd_kafka_poll_set_consumer(c->rk);
	c->replay_pos = rd_kafka_topic_partition_list_new(16);
	c->replay_end = rd_kafka_topic_partition_list_new(16);
	for (size_t i = 0; topics[i] != NULL && i < HG_CONSUMER_MAX_TOPICS; i++)
		if (add_partitions(c->rk, topics[i], c->replay_end, err, errlen) != 0)
			goto fail;
	start = rd_kafka_topic_partition_list_new(c->replay_end->cnt > 0 ? c->replay_end->cnt : 1);
	for (int i = 0; i < c->replay_end->cnt; i++) {
		rd_kafka_topic_partition_t *p = &c->replay_end->elems[i];
		int64_t lo = 0, hi = 0;
		rd_kafka_resp_err_t e =
			rd_kafka_query_watermark_offsets(c->rk, p->topic, p->partition, &lo, &hi, REPLAY_TIMEOUT_MS);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(err, errlen, "cannot read the watermarks of %s/%d: %s", p->topic, (int)p->partition,
				 rd_kafka_err2str(e));
			goto fail;
		}
		p->offset = hi;
		c->replay_total += hi > lo ? hi - lo : 0;
		rd_kafka_topic_partition_list_add(c->replay_pos, p->topic, p->partition)->offset = lo;
		rd_kafka_topic_partition_list_add(start, p->topic, p->partition)->offset = RD_KAFKA_OFFSET_BEGINNING;
	}
	rd_kafka_resp_err_t e = rd_kafka_assign(c->rk, start);
	rd_kafka_topic_partition_list_destroy(start);
	start = NULL;
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "cannot assign the partitions: %s", rd_kafka_err2str(e));
		goto fail;
	}
	c->dsn = xstrdup(dsn);
	c->schema = xstrdup(schema);
	c->fn = fn;
	c->arg = arg;
	pthread_mutex_init(&c->mu, NULL);
	return 0;
fail_conf:
	rd_kafka_conf_destroy(conf);
	return -1;
fail:
	if (start != NULL)
		rd_kafka_topic_partition_list_destroy(start);
	hg_consumer_cleanup(c);
	return -1;
}

int hg_replay_step(struct hg_consumer *c, struct hg_db_conn *conn, int timeout_ms)
{
	rd_kafka_message_t *m = rd_kafka_consumer_poll(c->rk, timeout_ms);
	int handled = 0;
	if (m == NULL)
		return 0;
	if (m->err) {
		if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			hg_log(HG_LOG_WARN, "replay: %s", rd_kafka_message_errstr(m));
	} else if (handle(c, conn, m)) {
		rd_kafka_topic_partition_t *p =
			rd_kafka_topic_partition_list_find(c->replay_pos, rd_kafka_topic_name(m->rkt), m->partition);
		if (p != NULL)
			p->offset = m->offset + 1;
		handled = 1;
	}
	rd_kafka_message_destroy(m);
	return handled;
}

int64_t hg_replay_remaining(const struct hg_consumer *c)
{
	int64_t left = 0;
	for (int i = 0; c->replay_end != NULL && i < c->replay_end->cnt; i++) {
		const rd_kafka_topic_partition_t *end = &c->replay_end->elems[i];
		const rd_kafka_topic_partition_t *pos = &c->replay_pos->elems[i]; /* added in the same order */
		if (end->offset > pos->offset)
			left += end->offset - pos->offset;
	}
	return left;
}

int64_t hg_replay_total(const struct hg_consumer *c) { return c->replay_total; }

void hg_consumer_cleanup(struct hg_consumer *c)
{
	if (c->replay_pos != NULL)
		rd_kafka_topic_partition_list_destroy(c->replay_pos);
	if (c->replay_end != NULL)
		rd_kafka_topic_partition_list_destroy(c->replay_end);
	if (c->rk != NULL)
		rd_kafka_destroy(c->rk);
	if (c->dsn != NULL)
		pthread_mutex_destroy(&c->mu);
	free(c->dsn);
	free(c->schema);
	memset(c, 0, sizeof(*c));
}
