/* db.h - a bounded PostgreSQL pool, prepared statements and transactions.
 *
 * A connection serves one request at a time: it is checked out with
 * hg_db_acquire and given back with hg_db_release. Waiting for one is bounded
 * (HG_UNAVAILABLE after the configured wait). A broken connection is replaced
 * on the next checkout; one left inside a transaction is rolled back on
 * release. SQL text never contains input: statements are prepared once per
 * connection and run with parameters.
 */
#ifndef HG_DB_H
#define HG_DB_H

#include <jansson.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

/* A statement: declare it once as a static const and run it with hg_db_exec. */
struct hg_stmt {
	const char *name; /* unique per service */
	const char *sql;
	int nparams;
};

struct hg_db_conn {
	PGconn *pg;
	/* The statements prepared on pg (a connection prepares each at most once; grows as needed). */
	const struct hg_stmt **prepared;
	size_t nprepared, cap;
	int wrote_event; /* set by the outbox writer; read after commit */
};

struct hg_db_pool {
	char *dsn;
	char *schema;
	long wait_ms;
	long statement_timeout_ms;
	size_t size;
	struct hg_db_conn *conns;
	int *busy;
	size_t in_use;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void (*after_commit)(void *arg); /* called after a commit that wrote events */
	void *after_commit_arg;
};

/* Set up a pool of size connections (opened lazily). */
void hg_db_pool_init(struct hg_db_pool *pool, const char *dsn, const char *schema, size_t size, long wait_ms,
		     long statement_timeout_ms);
/* Close every connection. No connection may be checked out. */
void hg_db_pool_cleanup(struct hg_db_pool *pool);

/* Open a connection with the pool's session settings (search_path, timeout). NULL on failure. */
PGconn *hg_db_connect(const char *dsn, const char *schema, long statement_timeout_ms);

/* Close a connection that is not the pool's (its server side and its statement cache); conn stays usable
 * as an empty one. */
void hg_db_conn_close(struct hg_db_conn *conn);

/* Check a connection out: HG_OK, or HG_UNAVAILABLE (wait timed out, database down). */
enum hg_status hg_db_acquire(struct hg_db_pool *pool, struct hg_db_conn **out);
/* Give it back; rolls back an open or failed transaction. conn may be NULL. */
void hg_db_release(struct hg_db_pool *pool, struct hg_db_conn *conn);
/* Connections checked out right now. */
size_t hg_db_in_use(struct hg_db_pool *pool);

/*
 * Run stmt with params (text format, NULL for SQL NULL). On HG_OK *res (if
 * res is not NULL) holds the result, which the caller PQclears. Errors are
 * mapped from SQLSTATE (hg_db_status_from_sqlstate) and logged.
 */
enum hg_status hg_db_exec(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
			  PGresult **res);

/* A JSON text column parsed into a new reference; NULL (logged) when it is not JSON. */
json_t *hg_db_json(PGresult *res, int row, int col);

/* A bigint column (0 when NULL). */
int64_t hg_db_int(PGresult *res, int row, int col);

/* A JSON array of UUID strings (checked by the caller) as a PostgreSQL array literal "{a,b}"; caller frees. */
char *hg_db_uuid_array(json_t *ids);

/* Map a SQLSTATE (NULL: no state, e.g. connection lost) to a status. */
enum hg_status hg_db_status_from_sqlstate(const char *sqlstate);

/*
 * Run fn(conn, arg) inside one transaction at the given isolation level
 * ("READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"), committing when it
 * returns HG_OK and rolling back otherwise. Serialization failures and
 * deadlocks (HG_RETRY) are retried a few times with backoff; fn must be safe
 * to run again.
 */
typedef enum hg_status (*hg_db_tx_fn)(struct hg_db_conn *conn, void *arg);
enum hg_status hg_db_tx(struct hg_db_pool *pool, const char *isolation, hg_db_tx_fn fn, void *arg);

/*
 * What a caller adds to a write transaction it does not write itself: begin runs first in the transaction,
 * before_commit last (each may refuse with a status, which rolls everything back); after runs once the
 * transaction has ended, with its final status. Any member may be NULL. (Idempotency-Key uses it: the key is
 * claimed first and the answer stored last, in the transaction of the change.)
 */
struct hg_tx_hook {
	enum hg_status (*begin)(struct hg_db_conn *conn, void *arg);
	enum hg_status (*before_commit)(struct hg_db_conn *conn, void *arg);
	void (*after)(enum hg_status st, void *arg);
};

/*
 * A pause (test builds only): when HG_TEST_PAUSE_AFTER_COMMIT_MS is set in the environment of a build made
 * with -DHG_TEST_HOOKS, every write made with an Idempotency-Key that committed sleeps that long before it is
 * answered (common/idempotency.c calls this after its transaction), so a fault test can kill the process or the
 * database between the commit and the reply every time. Release builds ignore it.
 */
void hg_db_test_pause_after_commit(void);

/* Is the database reachable? (a round trip on a pooled connection) */
enum hg_status hg_db_ping(struct hg_db_pool *pool);

#endif
