/* Integration tests of common/db.c and common/migrate.c against a real PostgreSQL.
 *
 * Needs HG_TEST_PG (a libpq URL); tests/blackbox/run.sh starts a throwaway
 * server and sets it. Each run works in a fresh schema, dropped at the end.
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
#include "common/db.h"
#include "common/migrate.h"

static char schema[64];
static const char *dsn;

static int setup(void **state)
{
	(void)state;
	dsn = getenv("HG_TEST_PG");
	if (dsn == NULL) {
		fprintf(stderr, "HG_TEST_PG is not set\n");
		return -1;
	}
	snprintf(schema, sizeof(schema), "it_db_%d", (int)getpid());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	PGconn *pg = hg_db_connect(dsn, "public", 0);
	if (pg == NULL)
		return -1;
	char *ident = PQescapeIdentifier(pg, schema, strlen(schema));
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", ident);
	PQclear(PQexec(pg, sql));
	PQfreemem(ident);
	PQfinish(pg);
	return 0;
}

static const struct hg_migration migrations[] = {
	{"0001_items", "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL CHECK (name <> ''));"},
};

static const struct hg_stmt insert_item = {"it_insert", "INSERT INTO items (id, name) VALUES ($1, $2)", 2};
static const struct hg_stmt count_items = {"it_count", "SELECT count(*) FROM items", 0};
static const struct hg_stmt fail_stmt = {"it_fail", "SELECT 1 / 0", 0};
static const struct hg_stmt my_pid = {"it_pid", "SELECT pg_backend_pid()", 0};

static long count(struct hg_db_pool *pool)
{
	struct hg_db_conn *c = NULL;
	PGresult *res = NULL;
	assert_int_equal(hg_db_acquire(pool, &c), HG_OK);
	assert_int_equal(hg_db_exec(c, &count_items, NULL, &res), HG_OK);
	long n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	hg_db_release(pool, c);
	return n;
}

static void test_migrations_apply_once(void **state)
{
	(void)state;
	assert_int_equal(hg_migrate(dsn, schema, migrations, 1), 0);
	assert_int_equal(hg_migrate(dsn, schema, migrations, 1), 0); /* again: nothing to do, no error */
	/* A broken migration fails, is not recorded and leaves nothing behind. */
	const struct hg_migration broken[] = {
		migrations[0],
		{"0002_broken", "CREATE TABLE half (id int); SELECT no_such_function();"},
	};
	assert_int_equal(hg_migrate(dsn, schema, broken, 2), -1);
	struct hg_db_pool pool;
	hg_db_pool_init(&pool, dsn, schema, 1, 1000, 5000);
	struct hg_db_conn *c = NULL;
	PGresult *res = NULL;
	static const struct hg_stmt check = {
		"it_check",
		"SELECT (SELECT count(*) FROM schema_migrations WHERE version = '0002_broken'),"
		" to_regclass('half') IS NULL",
		0};
	assert_int_equal(hg_db_acquire(&pool, &c), HG_OK);
	assert_int_equal(hg_db_exec(c, &check, NULL, &res), HG_OK);
	assert_string_equal(PQgetvalue(res, 0, 0), "0");
	assert_string_equal(PQgetvalue(res, 0, 1), "t");
	PQclear(res);
	hg_db_release(&pool, c);
	hg_db_pool_cleanup(&pool);
}

static void test_sqlstate_mapping(void **state)
{
	(void)state;
	struct hg_db_pool pool;
	struct hg_db_conn *c = NULL;
	hg_db_pool_init(&pool, dsn, schema, 2, 1000, 5000);
	assert_int_equal(hg_db_acquire(&pool, &c), HG_OK);
	const char *a[2] = {"1", "one"};
	assert_int_equal(hg_db_exec(c, &insert_item, a, NULL), HG_OK);
	assert_int_equal(hg_db_exec(c, &insert_item, a, NULL), HG_CONFLICT); /* 23505 */
	const char *empty[2] = {"2", ""};
	assert_int_equal(hg_db_exec(c, &insert_item, empty, NULL), HG_INVALID); /* 23514 */
	assert_int_equal(hg_db_exec(c, &fail_stmt, NULL, NULL), HG_INVALID);    /* 22012 */
	hg_db_release(&pool, c);
	assert_int_equal(hg_db_status_from_sqlstate("40001"), HG_RETRY);
	assert_int_equal(hg_db_status_from_sqlstate("40P01"), HG_RETRY);
	assert_int_equal(hg_db_status_from_sqlstate("57014"), HG_UNAVAILABLE);
	assert_int_equal(hg_db_status_from_sqlstate("42P01"), HG_INTERNAL);
	hg_db_pool_cleanup(&pool);
}

static void test_pool_wait_times_out(void **state)
{
	(void)state;
	struct hg_db_pool pool;
	struct hg_db_conn *c1 = NULL, *c2 = NULL, *c3 = NULL;
	hg_db_pool_init(&pool, dsn, schema, 2, 300, 5000);
	assert_int_equal(hg_db_acquire(&pool, &c1), HG_OK);
	assert_int_equal(hg_db_acquire(&pool, &c2), HG_OK);
	assert_int_equal(hg_db_in_use(&pool), 2);
	int64_t t0 = hg_clock_mono_us();
	assert_int_equal(hg_db_acquire(&pool, &c3), HG_UNAVAILABLE);
	int64_t waited = hg_clock_mono_us() - t0;
	assert_true(waited >= 290000); /* it did wait ... */
	assert_true(waited < 3000000); /* ... and not forever */
	assert_null(c3);
	hg_db_release(&pool, c1);
	assert_int_equal(hg_db_acquire(&pool, &c3), HG_OK); /* a released connection is reused */
	assert_ptr_equal(c3, c1);
	hg_db_release(&pool, c2);
	hg_db_release(&pool, c3);
	assert_int_equal(hg_db_in_use(&pool), 0);
	hg_db_pool_cleanup(&pool);
}

static void test_failed_transaction_rolled_back_on_release(void **state)
{
	(void)state;
	struct hg_db_pool pool;
	struct hg_db_conn *c = NULL;
	hg_db_pool_init(&pool, dsn, schema, 1, 1000, 5000);
	long before = count(&pool);
	assert_int_equal(hg_db_acquire(&pool, &c), HG_OK);
	PQclear(PQexec(c->pg, "BEGIN"));
	const char *a[2] = {"100", "hundred"};
	assert_int_equal(hg_db_exec(c, &insert_item, a, NULL), HG_OK);
	assert_int_equal(hg_db_exec(c, &fail_stmt, NULL, NULL), HG_INVALID);
	assert_int_equal(PQtransactionStatus(c->pg), PQTRANS_INERROR);
	hg_db_release(&pool, c);
	/* Same (only) connection: usable, idle, and the insert did not survive. */
	assert_int_equal(hg_db_acquire(&pool, &c), HG_OK);
	assert_int_equal(PQtransactionStatus(c->pg), PQTRANS_IDLE);
	hg_db_release(&pool, c);
	assert_int_equal(count(&pool), before);
	hg_db_pool_cleanup(&pool);
}

static void test_broken_connection_replaced(void **state)
{
	(void)state;
	struct hg_db_pool pool;
	struct hg_db_conn *c = NULL;
	PGresult *res = NULL;
	hg_db_pool_init(&pool, dsn, schema, 1, 1000, 5000);
	assert_int_equal(hg_db_acquire(&pool, &c), HG_OK);
	assert_int_equal(hg_db_exec(c, &my_pid, NULL, &res), HG_OK);
	char pid[32];
	snprintf(pid, sizeof(pid), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	hg_db_release(&pool, c);

	/* Kill the server side of the pooled connection from outside. */
	PGconn *admin = hg_db_connect(dsn, "public", 0);
	assert_non_null(admin);
	const char *p[1] = {pid};
	PQclear(PQexecParams(admin, "SELECT pg_terminate_backend($1::int)", 1, NULL, p, NULL, NULL, 0));
	PQfinish(admin);
	usleep(100000);

	assert_int_equal(hg_db_acquire(&pool, &c), HG_OK);
	assert_int_equal(hg_db_exec(c, &my_pid, NULL, NULL), HG_UNAVAILABLE); /* the dead one fails once */
	hg_db_release(&pool, c);
	assert_int_equal(hg_db_acquire(&pool, &c), HG_OK); /* ... and is replaced */
	assert_int_equal(hg_db_exec(c, &my_pid, NULL, &res), HG_OK);
	assert_string_not_equal(PQgetvalue(res, 0, 0), pid);
	PQclear(res);
	hg_db_release(&pool, c);
	hg_db_pool_cleanup(&pool);
}

struct tx_arg {
	int calls;
	int fail_times;
};

static enum hg_status serialization_failure_then_insert(struct hg_db_conn *conn, void *arg)
{
	static const struct hg_stmt raise = {
		"it_raise", "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$",
		0};
	struct tx_arg *t = arg;
	const char *a[2] = {"200", "two hundred"};
	enum hg_status st = hg_db_exec(conn, &insert_item, a, NULL);
	if (st != HG_OK)
		return st;
	if (t->calls++ < t->fail_times)
		return hg_db_exec(conn, &raise, NULL, NULL); /* a real 40001 from the server */
	return HG_OK;
}

static void test_tx_retries_serialization_failures(void **state)
{
	(void)state;
	struct hg_db_pool pool;
	hg_db_pool_init(&pool, dsn, schema, 1, 1000, 5000);
	long before = count(&pool);
	struct tx_arg t = {0, 2};
	assert_int_equal(hg_db_tx(&pool, "SERIALIZABLE", serialization_failure_then_insert, &t), HG_OK);
	assert_int_equal(t.calls, 3);
	assert_int_equal(count(&pool), before + 1); /* the failed attempts left nothing */

	/* One that never stops conflicting gives up with 503, leaving nothing. */
	struct tx_arg forever = {0, 1000};
	const char *del[1] = {"200"};
	static const struct hg_stmt delete_item = {"it_delete", "DELETE FROM items WHERE id = $1", 1};
	struct hg_db_conn *c = NULL;
	assert_int_equal(hg_db_acquire(&pool, &c), HG_OK);
	assert_int_equal(hg_db_exec(c, &delete_item, del, NULL), HG_OK);
	hg_db_release(&pool, c);
	assert_int_equal(hg_db_tx(&pool, "SERIALIZABLE", serialization_failure_then_insert, &forever), HG_UNAVAILABLE);
	assert_int_equal(count(&pool), before);
	hg_db_pool_cleanup(&pool);
}

/* A connection prepares every statement the binary has, however many: the 200th runs twice like the first. */
static void test_many_statements(void **state)
{
	(void)state;
	enum { N = 200 };
	static struct hg_stmt stmts[N];
	static char names[N][32], sqls[N][48];
	struct hg_db_pool pool;
	struct hg_db_conn *conn = NULL;
	hg_db_pool_init(&pool, dsn, schema, 1, 1000, 5000);
	assert_int_equal(hg_db_acquire(&pool, &conn), HG_OK);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < N; i++) {
			PGresult *res = NULL;
			snprintf(names[i], sizeof(names[i]), "it_many_%d", i);
			snprintf(sqls[i], sizeof(sqls[i]), "SELECT %d + 0", i);
			stmts[i] = (struct hg_stmt){names[i], sqls[i], 0};
			assert_int_equal(hg_db_exec(conn, &stmts[i], NULL, &res), HG_OK);
			assert_int_equal(strtoll(PQgetvalue(res, 0, 0), NULL, 10), i);
			PQclear(res);
		}
	}
	assert_true(conn->nprepared >= N);
	hg_db_release(&pool, conn);
	hg_db_pool_cleanup(&pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_apply_once),
		cmocka_unit_test(test_sqlstate_mapping),
		cmocka_unit_test(test_pool_wait_times_out),
		cmocka_unit_test(test_failed_transaction_rolled_back_on_release),
		cmocka_unit_test(test_broken_connection_replaced),
		cmocka_unit_test(test_tx_retries_serialization_failures),
		cmocka_unit_test(test_many_statements),
	};
	return cmocka_run_group_tests_name("db", tests, setup, teardown);
}
