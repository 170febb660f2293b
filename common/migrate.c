/* migrate.c - per-service schema migrations. */
#include "common/migrate.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/log.h"
#include "common/xmalloc.h"

static int run(PGconn *pg, const char *sql, int nparams, const char *const *params, const char *what)
{
	PGresult *res = nparams > 0 ? PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL, 0) : PQexec(pg, sql);
	ExecStatusType rs = PQresultStatus(res);
	int ok = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK;
	if (!ok) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		hg_log(HG_LOG_ERROR, "migration step \"%s\" failed: sqlstate %s: %s", what, state ? state : "none",
		       PQresultErrorMessage(res));
	}
	PQclear(res);
	return ok ? 0 : -1;
}

static int is_applied(PGconn *pg, const char *version, int *applied)
{
	const char *params[1] = {version};
	PGresult *res =
		PQexecParams(pg, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, NULL, params, NULL, NULL, 0);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (ok)
		*applied = PQntuples(res) > 0;
	else
		hg_log(HG_LOG_ERROR, "reading schema_migrations failed: %s", PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

static int apply_one(PGconn *pg, const struct hg_migration *m)
{
	int applied = 0;
	const char *params[1] = {m->version};

	if (is_applied(pg, m->version, &applied) != 0)
		return -1;
	if (applied)
		return 0;
	if (run(pg, "BEGIN", 0, NULL, "begin") != 0)
		return -1;
	if (run(pg, m->sql, 0, NULL, m->version) != 0 ||
	    run(pg, "INSERT INTO schema_migrations (version) VALUES ($1)", 1, params, m->version) != 0 ||
	    run(pg, "COMMIT", 0, NULL, "commit") != 0) {
		PQclear(PQexec(pg, "ROLLBACK"));
		hg_log(HG_LOG_ERROR, "migration %s was not applied; fix it and start again", m->version);
		return -1;
	}
	hg_log(HG_LOG_INFO, "applied migration %s", m->version);
	return 0;
}

int hg_migrate(const char *dsn, const char *schema, const struct hg_migration *migrations, size_t n)
{
	int rc = -1;
	char *ident = NULL;
	char *create = NULL;
	const char *lock_params[1] = {schema};
	PGconn *pg = hg_db_connect(dsn, schema, 0);

	if (pg == NULL)
		goto out;
	ident = PQescapeIdentifier(pg, schema, strlen(schema));
	if (ident == NULL)
		goto out;
	create = xasprintf("CREATE SCHEMA IF NOT EXISTS %s", ident);
	/* Session lock: held across the per-migration transactions. */
	if (run(pg, "SELECT pg_advisory_lock(hashtext('hg_migrate.' || $1))", 1, lock_params, "lock") != 0)
		goto out;
	if (run(pg, create, 0, NULL, "create schema") != 0 ||
	    run(pg,
		"CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY,"
		" applied_at timestamptz NOT NULL DEFAULT now())",
		0, NULL, "create schema_migrations") != 0)
		goto unlock;
	for (size_t i = 0; i < hg_common_migrations_count; i++)
		if (apply_one(pg, &hg_common_migrations[i]) != 0)
			goto unlock;
	for (size_t i = 0; i < n; i++)
		if (apply_one(pg, &migrations[i]) != 0)
			goto unlock;
	rc = 0;
unlock:
	run(pg, "SELECT pg_advisory_unlock(hashtext('hg_migrate.' || $1))", 1, lock_params, "unlock");
out:
	free(create);
	PQfreemem(ident);
	if (pg != NULL)
		PQfinish(pg);
	return rc;
}
