/* rebuild.c - a consuming service's read models built again from its topics and swapped in atomically. */
#include "common/rebuild.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/db.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define STEP_MS 200
#define PROGRESS_EVERY_US 500000
#define LOCK_TIMEOUT "30s"            /* the swap's wait for the live consumer's event in hand */
#define LOCK_WAIT_US (30LL * 1000000) /* and for a moment when no reader holds a read-model table */
#define LOCK_RETRY_MS 10

const char *const hg_rebuild_kept_tables[] = {"schema_migrations", "outbox", "idempotency_keys", "identities", NULL};

/* The read-model tables of a schema: every plain table but the kit's bookkeeping and those marked not rebuilt. */
static const char tables_sql[] =
	"SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> ALL ($2::text[])"
	" AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'hg:not-rebuilt%' ORDER BY c.relname";

struct rebuild {
	const struct hg_rebuild_spec *spec;
	PGconn *pg; /* the swap's connection */
	struct hg_consumer replay;
	struct hg_db_conn conn; /* the replay's connection (the shadow schema) */
	char shadow[64], retired[64];
	char *live_id, *shadow_id, *retired_id; /* quoted identifiers */
	int64_t applied, last_progress_us;
	char *err;
	size_t errlen;
};

static int fail(struct rebuild *r, const char *what, PGresult *res)
{
	snprintf(r->err, r->errlen, "%s%s%s", what, res != NULL ? ": " : "",
		 res != NULL ? PQresultErrorMessage(res) : "");
	size_t n = strlen(r->err);
	while (n > 0 && (r->err[n - 1] == '\n' || r->err[n - 1] == ' '))
		r->err[--n] = '\0';
	return -1;
}

/* One statement that returns nothing (or rows nobody reads). */
static int run(struct rebuild *r, const char *sql, int n, const char *const *params, const char *what)
{
	PGresult *res = n > 0 ? PQexecParams(r->pg, sql, n, NULL, params, NULL, NULL, 0) : PQexec(r->pg, sql);
	ExecStatusType rs = PQresultStatus(res);
	int rc = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK ? 0 : fail(r, what, res);
	PQclear(res);
	return rc;
}

/* One statement built by xasprintf (freed here). */
static int run_owned(struct rebuild *r, char *sql, const char *what)
{
	int rc = run(r, sql, 0, NULL, what);
	free(sql);
	return rc;
}
#define RUNF(r, what, ...) run_owned(r, xasprintf(__VA_ARGS__), what)

static int progress(struct rebuild *r, const char *phase, int force)
{
	int64_t now = hg_clock_mono_us();
	if (r->spec->progress == NULL || (!force && now - r->last_progress_us < PROGRESS_EVERY_US))
		return 0;
	r->last_progress_us = now;
	if (r->spec->progress(r->spec->progress_arg, r->applied, hg_replay_total(&r->replay), phase) != 0)
		return fail(r, "stopped", NULL);
	return 0;
}

/* Replay until the watermarks taken at the start. */
static int replay_to_watermarks(struct rebuild *r)
{
	int64_t last_event = hg_clock_mono_us();
	while (hg_replay_remaining(&r->replay) > 0) {
		if (hg_replay_step(&r->replay, &r->conn, STEP_MS)) {
			r->applied++;
			last_event = hg_clock_mono_us();
		} else if (hg_clock_mono_us() - last_event > (int64_t)r->spec->stall_ms * 1000) {
			return fail(r, "the replay stalled: no event from Kafka while short of the watermarks", NULL);
		}
		if (progress(r, "replaying", 0) != 0)
			return -1;
	}
	return 0;
}

/* The read-model tables of schema (a new result, one name a row), or NULL after fail. */
static PGresult *tables(struct rebuild *r, const char *schema)
{
	char kept[512] = "{";
	for (const char *const *t = hg_rebuild_kept_tables; *t != NULL; t++)
		snprintf(kept + strlen(kept), sizeof(kept) - strlen(kept), "%s%s",
			 t == hg_rebuild_kept_tables ? "" : ",", *t);
	snprintf(kept + strlen(kept), sizeof(kept) - strlen(kept), "}");
	const char *params[2] = {schema, kept};
	PGresult *res = PQexecParams(r->pg, tables_sql, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fail(r, "cannot list the read-model tables", res);
		PQclear(res);
		return NULL;
	}
	return res;
}

/* Events the live consumer applied since the start that the shadow does not hold; -1 after fail. */
static long missing(struct rebuild *r, const char *started_at)
{
	char *sql = xasprintf("SELECT count(*) FROM %s.processed_events l WHERE l.processed_at >= $1::timestamptz"
			      " AND NOT EXISTS (SELECT 1 FROM %s.processed_events s WHERE s.event_id = l.event_id)",
			      r->live_id, r->shadow_id);
	const char *params[1] = {started_at};
	PGresult *res = PQexecParams(r->pg, sql, 1, NULL, params, NULL, NULL, 0);
	long n = PQresultStatus(res) == PGRES_TUPLES_OK ? strtol(PQgetvalue(res, 0, 0), NULL, 10)
							: fail(r, "catch-up", res);
	PQclear(res);
	free(sql);
	return n;
}

/*
 * Tables locked ACCESS EXCLUSIVE at once. A reader takes its tables' locks one by one (and one that waited for
 * the swap holds a retired table's while it plans again against the new one), so waiting for one table while
 * holding another would deadlock with it: all are asked with NOWAIT and, when one is busy, all are let go and
 * asked again shortly, for at most LOCK_WAIT_US.
 */
/* LOCK TABLE list ... NOWAIT until it is granted (inside a transaction; each try under a savepoint). */
static int lock_all(struct rebuild *r, const char *list)
{
	char *sql = xasprintf("LOCK TABLE %s IN ACCESS EXCLUSIVE MODE NOWAIT", list);
	int64_t deadline = hg_clock_mono_us() + LOCK_WAIT_US;
	int rc = -1;
	while (rc != 0) {
		if (run(r, "SAVEPOINT hg_rebuild_locks", 0, NULL, "savepoint") != 0)
			break;
		PGresult *res = PQexec(r->pg, sql);
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (PQresultStatus(res) == PGRES_COMMAND_OK) {
			rc = 0;
		} else if (state == NULL || strcmp(state, "55P03") != 0 || hg_clock_mono_us() > deadline) {
			fail(r, "cannot lock the tables", res);
			PQclear(res);
			break;
		}
		PQclear(res);
		if (rc != 0) {
			if (run(r, "ROLLBACK TO SAVEPOINT hg_rebuild_locks", 0, NULL, "rollback to savepoint") != 0)
				break;
			struct timespec ts = {0, LOCK_RETRY_MS * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	free(sql);
	return rc;
}

/* Every live and shadow read-model table of names, locked at once. */
static int lock_tables(struct rebuild *r, PGresult *names)
{
	size_t len = 1;
	for (int i = 0; i < PQntuples(names); i++)
		len += 2 * (strlen(PQgetvalue(names, i, 0)) * 2 + 8 + strlen(r->live_id) + strlen(r->shadow_id));
	char *list = xmalloc(len);
	size_t at = 0;
	list[0] = '\0';
	for (int i = 0; i < PQntuples(names); i++) {
		const char *t = PQgetvalue(names, i, 0);
		char *table = PQescapeIdentifier(r->pg, t, strlen(t));
		if (table == NULL) {
			free(list);
			return fail(r, "cannot quote a table name", NULL);
		}
		at += (size_t)snprintf(list + at, len - at, "%s%s.%s, %s.%s", i > 0 ? ", " : "", r->live_id, table,
				       r->shadow_id, table);
		PQfreemem(table);
	}
	int rc = lock_all(r, list);
	free(list);
	return rc;
}

/* In one transaction: hold the live consumer, catch the shadow up with it, move the tables. */
static int swap(struct rebuild *r, const char *started_at)
{
	PGresult *live = NULL, *shadow = NULL;
	int rc = -1;

	if (run(r, "BEGIN", 0, NULL, "begin") != 0 ||
	    run(r, "SET LOCAL lock_timeout = '" LOCK_TIMEOUT "'", 0, NULL, "lock timeout") != 0 ||
	    RUNF(r, "lock processed_events", "LOCK TABLE %s.processed_events IN ACCESS EXCLUSIVE MODE", r->live_id) !=
		    0)
		goto out;
	int64_t locked_us = hg_clock_mono_us(), before = r->applied;
	int64_t deadline = locked_us + (int64_t)r->spec->catch_up_ms * 1000;
	for (;;) {
		long n = missing(r, started_at);
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		if (hg_clock_mono_us() > deadline) {
			fail(r, "the shadow did not catch up with the live consumer in time", NULL);
			goto out;
		}
		for (int i = 0; i < 100 && hg_replay_step(&r->replay, &r->conn, 50); i++)
			r->applied++;
	}
	live = tables(r, r->spec->schema);
	shadow = live != NULL ? tables(r, r->shadow) : NULL;
	if (shadow == NULL)
		goto out;
	int same = PQntuples(live) == PQntuples(shadow);
	for (int i = 0; same && i < PQntuples(live); i++)
		same = strcmp(PQgetvalue(live, i, 0), PQgetvalue(shadow, i, 0)) == 0;
	if (!same) {
		fail(r, "the shadow's tables differ from the live ones (another version of the service?)", NULL);
		goto out;
	}
	if (lock_tables(r, live) != 0 || RUNF(r, "create the retired schema", "CREATE SCHEMA %s", r->retired_id) != 0)
		goto out;
	for (int i = 0; i < PQntuples(live); i++) {
		const char *t = PQgetvalue(live, i, 0);
		char *table = PQescapeIdentifier(r->pg, t, strlen(t));
		int bad = table == NULL ||
			  RUNF(r, "retire a live table", "ALTER TABLE %s.%s SET SCHEMA %s", r->live_id, table,
			       r->retired_id) != 0 ||
			  RUNF(r, "move a rebuilt table", "ALTER TABLE %s.%s SET SCHEMA %s", r->shadow_id, table,
			       r->live_id) != 0;
		PQfreemem(table);
		if (bad)
			goto out;
	}
	rc = run(r, "COMMIT", 0, NULL, "commit");
	if (rc == 0)
		hg_log(HG_LOG_INFO,
		       "rebuild: %d tables of %s swapped in; %lld events caught up, the live consumer held %lld ms",
		       PQntuples(live), r->spec->schema, (long long)(r->applied - before),
		       (long long)((hg_clock_mono_us() - locked_us) / 1000));
out:
	if (rc != 0)
		PQclear(PQexec(r->pg, "ROLLBACK"));
	PQclear(live);
	PQclear(shadow);
	return rc;
}

/* The retired and shadow schemas dropped, their tables locked first as the swap locks them. */
static int drop_leftovers(struct rebuild *r)
{
	const char *params[2] = {r->retired, r->shadow};
	PGresult *res = NULL;
	int rc = run(r, "BEGIN", 0, NULL, "begin");
	if (rc == 0) {
		res = PQexecParams(r->pg,
				   "SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') FROM pg_tables"
				   " WHERE schemaname IN ($1, $2)",
				   2, NULL, params, NULL, NULL, 0);
		rc = PQresultStatus(res) == PGRES_TUPLES_OK ? 0 : fail(r, "list the leftovers", res);
	}
	if (rc == 0 && !PQgetisnull(res, 0, 0))
		rc = lock_all(r, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (rc == 0)
		rc = RUNF(r, "drop", "DROP SCHEMA IF EXISTS %s CASCADE", r->retired_id) != 0 ||
		     RUNF(r, "drop", "DROP SCHEMA IF EXISTS %s CASCADE", r->shadow_id) != 0 ||
		     run(r, "COMMIT", 0, NULL, "commit") != 0;
	if (rc != 0) {
		PQclear(PQexec(r->pg, "ROLLBACK"));
		hg_log(HG_LOG_WARN, "rebuild: could not drop %s and %s (the next rebuild will): %s", r->retired,
		       r->shadow, r->err);
	}
	return rc;
}

int hg_rebuild_run(const struct hg_rebuild_spec *spec, char *err, size_t errlen)
{
	struct rebuild r;
	char started_at[64] = "";
	char kerr[512];
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.spec = spec;
	r.err = err;
	r.errlen = errlen;
	err[0] = '\0';
	snprintf(r.shadow, sizeof(r.shadow), "%s_rebuild", spec->schema);
	snprintf(r.retired, sizeof(r.retired), "%s_retired", spec->schema);
	r.pg = hg_db_connect(spec->dsn, spec->schema, 0);
	if (r.pg == NULL)
		return fail(&r, "cannot connect to the database", NULL);
	r.live_id = PQescapeIdentifier(r.pg, spec->schema, strlen(spec->schema));
	r.shadow_id = PQescapeIdentifier(r.pg, r.shadow, strlen(r.shadow));
	r.retired_id = PQescapeIdentifier(r.pg, r.retired, strlen(r.retired));
	if (r.live_id == NULL || r.shadow_id == NULL || r.retired_id == NULL) {
		fail(&r, "cannot quote the schema names", NULL);
		goto out;
	}
	if (drop_leftovers(&r) != 0) /* of a rebuild that died: never migrate into them */
		goto out;
	if (hg_migrate(spec->dsn, r.shadow, spec->migrations, spec->nmigrations) != 0) {
		fail(&r, "the migrations of the shadow schema failed", NULL);
		goto out;
	}
	PGresult *res = PQexec(r.pg, "SELECT now()::text");
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		snprintf(started_at, sizeof(started_at), "%s", PQgetvalue(res, 0, 0));
	else
		fail(&r, "cannot read the time", res);
	PQclear(res);
	if (started_at[0] == '\0')
		goto out;
	/* After the time: every event applied live before it lies below the watermarks taken now. */
	if (hg_replay_init(&r.replay, spec->kafka, spec->topics, spec->dsn, r.shadow, spec->fn, NULL, kerr,
			   sizeof(kerr)) != 0) {
		snprintf(err, errlen, "cannot start the replay: %s", kerr);
		goto out;
	}
	r.replay.dlq_topic = spec->dlq_topic;
	hg_log(HG_LOG_INFO, "rebuild: replaying %lld events into %s", (long long)hg_replay_total(&r.replay), r.shadow);
	if (replay_to_watermarks(&r) != 0 || progress(&r, "swapping", 1) != 0 || swap(&r, started_at) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		hg_log(HG_LOG_ERROR, "rebuild of %s failed: %s", spec->schema, err);
	if (r.live_id != NULL && r.shadow_id != NULL && r.retired_id != NULL) {
		char keep[512];
		snprintf(keep, sizeof(keep), "%s", err);
		drop_leftovers(&r);
		snprintf(err, errlen, "%s", keep);
	}
	if (rc == 0)
		progress(&r, "done", 1);
	hg_consumer_cleanup(&r.replay);
	hg_db_conn_close(&r.conn);
	PQfreemem(r.live_id);
	PQfreemem(r.shadow_id);
	PQfreemem(r.retired_id);
	PQfinish(r.pg);
	return rc;
}
