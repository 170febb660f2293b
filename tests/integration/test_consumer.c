/* Integration tests of common/consumer.c against real Kafka and PostgreSQL.
 *
 * Needs HG_TEST_PG and HG_TEST_KAFKA (tests/blackbox/run.sh sets both). Each
 * run uses its own topic, consumer groups and schema.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/consumer.h"
#include "common/db.h"
#include "common/migrate.h"

static char schema[64], topic[64];
static const char *dsn, *brokers;

static const struct hg_migration migrations[] = {
	{"0001_seen", "CREATE TABLE seen (event_id text PRIMARY KEY, type text NOT NULL);"},
};

static int flaky_failures; /* how often the "flaky" event still fails with HG_RETRY */

static enum hg_status handler(struct hg_db_conn *conn, const char *t, json_t *event, void *arg)
{
	static const struct hg_stmt insert = {"it_seen_insert", "INSERT INTO seen (event_id, type) VALUES ($1, $2)", 2};
	(void)t;
	(void)arg;
	const char *type = json_string_value(json_object_get(event, "type"));
	if (strcmp(type, "bad") == 0)
		return HG_INVALID;
	if (strcmp(type, "flaky") == 0 && flaky_failures > 0) {
		flaky_failures--;
		return HG_RETRY;
	}
	const char *params[2] = {json_string_value(json_object_get(event, "id")), type};
	return hg_db_exec(conn, &insert, params, NULL);
}

static void produce(const char *const *payloads)
{
	char err[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	assert_int_equal(rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof(err)), RD_KAFKA_CONF_OK);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
	assert_non_null(rk);
	for (size_t i = 0; payloads[i] != NULL; i++)
		assert_int_equal(
			rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY("k", 1),
					  RD_KAFKA_V_VALUE((char *)(uintptr_t)payloads[i], strlen(payloads[i])),
					  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
			RD_KAFKA_RESP_ERR_NO_ERROR);
	assert_int_equal(rd_kafka_flush(rk, 15000), RD_KAFKA_RESP_ERR_NO_ERROR);
	rd_kafka_destroy(rk);
}

static long query_long(const char *sql)
{
	PGconn *pg = hg_db_connect(dsn, schema, 0);
	assert_non_null(pg);
	PGresult *res = PQexec(pg, sql);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	long v = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(pg);
	return v;
}

/* Run a consumer of group until processed_events holds want rows (bounded), then stop it. */
static void consume_until(const char *group, long want, struct hg_consumer *c)
{
	char err[256];
	const char *topics[] = {topic, NULL};
	struct hg_kafka_client kafka = {.brokers = brokers};
	assert_int_equal(hg_consumer_init(c, &kafka, group, topics, dsn, schema, handler, NULL, err, sizeof(err)), 0);
	assert_int_equal(hg_consumer_start(c), 0);
	int64_t deadline = hg_clock_mono_us() + 30 * 1000000LL;
	while (hg_clock_mono_us() < deadline) {
		if (query_long("SELECT count(*) FROM processed_events") >= want &&
		    c->applied_total + c->duplicate_total + c->rejected_total > 0)
			break;
		usleep(100000);
	}
	usleep(300000); /* let a wrong extra event show up if there were one */
	hg_consumer_stop(c);
}

static int setup(void **state)
{
	(void)state;
	dsn = getenv("HG_TEST_PG");
	brokers = getenv("HG_TEST_KAFKA");
	if (dsn == NULL || brokers == NULL) {
		fprintf(stderr, "HG_TEST_PG and HG_TEST_KAFKA must be set\n");
		return -1;
	}
	snprintf(schema, sizeof(schema), "it_consumer_%d", (int)getpid());
	snprintf(topic, sizeof(topic), "it.consumer.%d", (int)getpid());
	return hg_migrate(dsn, schema, migrations, 1);
}

static int teardown(void **state)
{
	(void)state;
	PGconn *pg = hg_db_connect(dsn, "public", 0);
	char *ident = PQescapeIdentifier(pg, schema, strlen(schema));
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", ident);
	PQclear(PQexec(pg, sql));
	PQfreemem(ident);
	PQfinish(pg);
	return 0;
}

static void test_applies_once_skips_bad_and_resumes(void **state)
{
	(void)state;
	struct hg_consumer c;
	const char *first[] = {
		"{\"specversion\":\"1.0\",\"id\":\"e1\",\"type\":\"ok\"}",
		"{\"specversion\":\"1.0\",\"id\":\"e2\",\"type\":\"ok\"}",
		"{\"specversion\":\"1.0\",\"id\":\"e1\",\"type\":\"ok\"}", /* redelivery of e1 */
		"this is not json",
		"{\"specversion\":\"1.0\",\"id\":\"e3\",\"type\":\"bad\"}",   /* the handler rejects it */
		"{\"specversion\":\"1.0\",\"id\":\"e4\",\"type\":\"flaky\"}", /* fails twice, then works */
		"{\"specversion\":\"1.0\",\"id\":\"e5\",\"type\":\"ok\"}",
		NULL,
	};
	flaky_failures = 2;
	produce(first);
	/* e1, e2, not-json, e3, e4, e5 */
	consume_until("it-group-a", 6, &c);
	assert_int_equal(c.applied_total, 4); /* e1 e2 e4 e5 */
	assert_int_equal(c.duplicate_total, 1);
	assert_int_equal(c.rejected_total, 2);
	assert_int_equal(flaky_failures, 0);
	hg_consumer_cleanup(&c);
	assert_int_equal(query_long("SELECT count(*) FROM seen"), 4);
	assert_int_equal(query_long("SELECT count(*) FROM seen WHERE event_id = 'e1'"), 1);
	assert_int_equal(query_long("SELECT count(*) FROM processed_events WHERE outcome = 'rejected'"), 2);
	assert_int_equal(query_long("SELECT count(*) FROM seen WHERE event_id = 'e3'"), 0);

	/* The same group resumes after what it committed: only the new event. */
	const char *second[] = {"{\"specversion\":\"1.0\",\"id\":\"e6\",\"type\":\"ok\"}", NULL};
	produce(second);
	consume_until("it-group-a", 7, &c);
	assert_int_equal(c.applied_total, 1);
	assert_int_equal(c.duplicate_total, 0);
	assert_int_equal(c.rejected_total, 0);
	hg_consumer_cleanup(&c);

	/* A new group replays from the start: everything is recognised, nothing applied twice. */
	consume_until("it-group-b", 7, &c);
	hg_consumer_stop(&c);
	assert_int_equal(c.applied_total, 0);
	hg_consumer_cleanup(&c);
	assert_int_equal(query_long("SELECT count(*) FROM seen"), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_applies_once_skips_bad_and_resumes),
	};
	return cmocka_run_group_tests_name("consumer", tests, setup, teardown);
}
