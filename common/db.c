/* db.c - a bounded PostgreSQL pool, prepared statements and transactions. */
#include "common/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define TX_MAX_ATTEMPTS 5

void hg_db_pool_init(struct hg_db_pool *pool, const char *dsn, const char *schema, size_t size, long wait_ms,
		     long statement_timeout_ms)
{
	memset(pool, 0, sizeof(*pool));
	pool->dsn = xstrdup(dsn);
	pool->schema = xstrdup(schema);
	pool->size = size;
	pool->wait_ms = wait_ms;
	pool->statement_timeout_ms = statement_timeout_ms;
	pool->conns = xcalloc(size, sizeof(*pool->conns));
	pool->busy = xcalloc(size, sizeof(*pool->busy));
	pthread_mutex_init(&pool->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pool->cv, &ca);
	pthread_condattr_destroy(&ca);
}

void hg_db_pool_cleanup(struct hg_db_pool *pool)
{
	if (pool->conns == NULL)
		return;
	for (size_t i = 0; i < pool->size; i++)
		hg_db_conn_close(&pool->conns[i]);
	free(pool->conns);
	free(pool->busy);
	free(pool->dsn);
	free(pool->schema);
	pthread_mutex_destroy(&pool->mu);
	pthread_cond_destroy(&pool->cv);
	memset(pool, 0, sizeof(*pool));
}

static void notice_quiet(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

static int session_setup(PGconn *pg, const char *schema, long statement_timeout_ms)
{
	char timeout[32];
	snprintf(timeout, sizeof(timeout), "%ld", statement_timeout_ms);
	const char *params[3] = {schema, timeout, "UTC"};
	PGresult *res = PQexecParams(pg,
				     "SELECT set_config('search_path', $1, false),"
				     " set_config('statement_timeout', $2, false),"
				     " set_config('TimeZone', $3, false)",
				     3, NULL, params, NULL, NULL, 0);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		hg_log(HG_LOG_ERROR, "session setup failed: %s", PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

PGconn *hg_db_connect(const char *dsn, const char *schema, long statement_timeout_ms)
{
	PGconn *pg = PQconnectdb(dsn);
	if (PQstatus(pg) != CONNECTION_OK) {
		hg_log(HG_LOG_ERROR, "database connection failed: %s", PQerrorMessage(pg));
		PQfinish(pg);
		return NULL;
	}
	PQsetNoticeReceiver(pg, notice_quiet, NULL);
	if (session_setup(pg, schema, statement_timeout_ms) != 0) {
		PQfinish(pg);
		return NULL;
	}
	return pg;
}

void hg_db_conn_close(struct hg_db_conn *conn)
{
	if (conn->pg != NULL)
		PQfinish(conn->pg);
	free(conn->prepared);
	memset(conn, 0, sizeof(*conn));
}

/* Make conn usable: open it, or replace it when the server side is gone. */
static enum hg_status conn_ready(struct hg_db_pool *pool, struct hg_db_conn *conn)
{
	if (conn->pg != NULL && PQstatus(conn->pg) == CONNECTION_OK)
		return HG_OK;
	if (conn->pg != NULL) {
		hg_log(HG_LOG_WARN, "replacing a broken database connection");
		PQfinish(conn->pg);
		conn->pg = NULL;
	}
	conn->nprepared = 0;
	conn->pg = hg_db_connect(pool->dsn, pool->schema, pool->statement_timeout_ms);
	return conn->pg != NULL ? HG_OK : HG_UNAVAILABLE;
}

enum hg_status hg_db_acquire(struct hg_db_pool *pool, struct hg_db_conn **out)
{
	struct timespec deadline;
	size_t slot = pool->size;
	enum hg_status st;

	*out = NULL;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += pool->wait_ms / 1000;
	deadline.tv_nsec += (pool->wait_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}

	pthread_mutex_lock(&pool->mu);
	for (;;) {
		/* Prefer an open connection so a quiet pool does not grow. */
		for (size_t i = 0; i < pool->size; i++) {
			if (!pool->busy[i] && (slot == pool->size || pool->conns[i].pg != NULL)) {
				slot = i;
				if (pool->conns[i].pg != NULL)
					break;
			}
		}
		if (slot < pool->size)
			break;
		int rc = pthread_cond_timedwait(&pool->cv, &pool->mu, &deadline);
		if (rc == ETIMEDOUT) {
			pthread_mutex_unlock(&pool->mu);
			hg_log(HG_LOG_WARN, "no database connection free within %ld ms", pool->wait_ms);
			return HG_UNAVAILABLE;
		}
	}
	pool->busy[slot] = 1;
	pool->in_use++;
	pthread_mutex_unlock(&pool->mu);

	/* Connecting happens outside the lock: other requests keep flowing. */
	st = conn_ready(pool, &pool->conns[slot]);
	if (st != HG_OK) {
		hg_db_release(pool, &pool->conns[slot]);
		return st;
	}
	pool->conns[slot].wrote_event = 0;
	*out = &pool->conns[slot];
	return HG_OK;
}

void hg_db_release(struct hg_db_pool *pool, struct hg_db_conn *conn)
{
	if (conn == NULL)
		return;
	if (conn->pg != NULL && PQstatus(conn->pg) == CONNECTION_OK && PQtransactionStatus(conn->pg) != PQTRANS_IDLE) {
		PGresult *res = PQexec(conn->pg, "ROLLBACK");
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			/* A connection we cannot clean is replaced on next checkout. */
			PQfinish(conn->pg);
			conn->pg = NULL;
		}
		PQclear(res);
	}
	pthread_mutex_lock(&pool->mu);
	pool->busy[conn - pool->conns] = 0;
	pool->in_use--;
	pthread_cond_signal(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
}

size_t hg_db_in_use(struct hg_db_pool *pool)
{
	pthread_mutex_lock(&pool->mu);
	size_t n = pool->in_use;
	pthread_mutex_unlock(&pool->mu);
	return n;
}

int64_t hg_db_int(PGresult *res, int row, int col) { return strtoll(PQgetvalue(res, row, col), NULL, 10); }

char *hg_db_uuid_array(json_t *ids)
{
	size_t n = json_array_size(ids);
	char *buf = xmalloc(n * 37 + 3);
	char *p = buf;
	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		/* ids were checked to be UUIDs (36 characters): nothing to quote */
		memcpy(p, json_string_value(json_array_get(ids, i)), 36);
		p += 36;
	}
	*p++ = '}';
	*p = '\0';
	return buf;
}

json_t *hg_db_json(PGresult *res, int row, int col)
{
	json_error_t jerr;
	json_t *v = json_loads(PQgetvalue(res, row, col), 0, &jerr);
	if (v == NULL)
		hg_log(HG_LOG_ERROR, "database returned invalid JSON: %s", jerr.text);
	return v;
}

enum hg_status hg_db_status_from_sqlstate(const char *sqlstate)
{
	if (sqlstate == NULL)
		return HG_UNAVAILABLE;
	if (strcmp(sqlstate, "23505") == 0 || strcmp(sqlstate, "23P01") == 0)
		return HG_CONFLICT; /* unique / exclusion violation */
	if (strcmp(sqlstate, "23503") == 0)
		return HG_CONFLICT; /* foreign key: the referenced row is gone or still referenced */
	if (strncmp(sqlstate, "23", 2) == 0 || strncmp(sqlstate, "22", 2) == 0)
		return HG_INVALID; /* check, not-null, data exceptions */
	if (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0)
		return HG_RETRY;
	if (strncmp(sqlstate, "08", 2) == 0 || strcmp(sqlstate, "57014") == 0 || strncmp(sqlstate, "53", 2) == 0 ||
	    strcmp(sqlstate, "57P01") == 0 || strcmp(sqlstate, "57P03") == 0)
		return HG_UNAVAILABLE; /* connection, cancel/timeout, resources, shutdown */
	return HG_INTERNAL;
}

static enum hg_status result_status(struct hg_db_conn *conn, PGresult *res, const char *what)
{
	ExecStatusType rs = PQresultStatus(res);
	if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK)
		return HG_OK;
	const char *sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	enum hg_status st = hg_db_status_from_sqlstate(PQstatus(conn->pg) == CONNECTION_OK ? sqlstate : NULL);
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	enum hg_log_level lvl = (st == HG_CONFLICT || st == HG_RETRY || st == HG_INVALID) ? HG_LOG_INFO : HG_LOG_ERROR;
	hg_log(lvl, "statement %s failed: sqlstate %s: %s", what, sqlstate ? sqlstate : "none",
	       msg ? msg : PQerrorMessage(conn->pg));
	return st;
}

static enum hg_status prepare(struct hg_db_conn *conn, const struct hg_stmt *stmt)
{
	for (size_t i = 0; i < conn->nprepared; i++)
		if (conn->prepared[i] == stmt)
			return HG_OK;
	PGresult *res = PQprepare(conn->pg, stmt->name, stmt->sql, stmt->nparams, NULL);
	enum hg_status st = result_status(conn, res, stmt->name);
	PQclear(res);
	if (st != HG_OK)
		return st;
	/* Bounded by the statements compiled into the binary: each is prepared once per connection. */
	if (conn->nprepared == conn->cap) {
		conn->cap = conn->cap ? 2 * conn->cap : 64;
		conn->prepared = xrealloc(conn->prepared, conn->cap * sizeof(*conn->prepared));
	}
	conn->prepared[conn->nprepared++] = stmt;
	return HG_OK;
}

enum hg_status hg_db_exec(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
			  PGresult **res)
{
	enum hg_status st;
	PGresult *r = NULL;

	if (res != NULL)
		*res = NULL;
	st = prepare(conn, stmt);
	if (st != HG_OK)
		return st;
	r = PQexecPrepared(conn->pg, stmt->name, stmt->nparams, params, NULL, NULL, 0);
	st = result_status(conn, r, stmt->name);
	if (st == HG_OK && res != NULL)
		*res = r;
	else
		PQclear(r);
	return st;
}

static enum hg_status exec_simple(struct hg_db_conn *conn, const char *sql)
{
	PGresult *res = PQexec(conn->pg, sql);
	enum hg_status st = result_status(conn, res, sql);
	PQclear(res);
	return st;
}

static void backoff(int attempt)
{
	/* 5, 10, 20, 40 ms plus up to 5 ms of jitter (from the clock: no shared PRNG state): enough for a
	 * competing transaction to finish. */
	long jitter_us = (long)(hg_clock_mono_us() % 5000);
	struct timespec ts = {0, ((long)(5 << attempt) * 1000 + jitter_us) * 1000L};
	nanosleep(&ts, NULL);
}

enum hg_status hg_db_tx(struct hg_db_pool *pool, const char *isolation, hg_db_tx_fn fn, void *arg)
{
	enum hg_status st = HG_INTERNAL;
	char begin[64];
	snprintf(begin, sizeof(begin), "BEGIN ISOLATION LEVEL %s", isolation);

	for (int attempt = 0; attempt < TX_MAX_ATTEMPTS; attempt++) {
		struct hg_db_conn *conn = NULL;
		st = hg_db_acquire(pool, &conn);
		if (st != HG_OK)
			return st;
		st = exec_simple(conn, begin);
		if (st == HG_OK)
			st = fn(conn, arg);
		if (st == HG_OK)
			st = exec_simple(conn, "COMMIT");
		int wrote_event = st == HG_OK && conn->wrote_event;
		hg_db_release(pool, conn); /* rolls back unless committed */
		if (wrote_event && pool->after_commit != NULL)
			pool->after_commit(pool->after_commit_arg);
		if (st != HG_RETRY)
			return st;
		backoff(attempt);
	}
	hg_log(HG_LOG_WARN, "transaction still conflicting after %d attempts", TX_MAX_ATTEMPTS);
	return HG_UNAVAILABLE;
}

enum hg_status hg_db_ping(struct hg_db_pool *pool)
{
	static const struct hg_stmt ping = {"hg_ping", "SELECT 1", 0};
	struct hg_db_conn *conn = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_db_exec(conn, &ping, NULL, NULL);
	hg_db_release(pool, conn);
	return st;
}

void hg_db_test_pause_after_commit(void)
{
#ifdef HG_TEST_HOOKS
	const char *ms = getenv("HG_TEST_PAUSE_AFTER_COMMIT_MS");
	long v = ms != NULL ? strtol(ms, NULL, 10) : 0;
	if (v > 0 && v <= 60000) {
		hg_log(HG_LOG_WARN, "test hook: pausing %ld ms after a commit", v);
		struct timespec ts = {v / 1000, (v % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
#endif
}
