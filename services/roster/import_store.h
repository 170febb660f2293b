/* import_store.h - an import's transaction in PostgreSQL (SQL only; no HTTP).
 *
 * One transaction: the statement timeout raised for it, the district's
 * import lock (two imports of one district never interleave), the stored
 * keys loaded, job->parse run, then -- when it found no problem -- orgs,
 * academic sessions, staff roles and educators applied set-based (the
 * records travel as one JSON parameter per entity; only rows that differ
 * are written), one event per changed school, session and educator, and the
 * report. A dry run rolls the changes back to a savepoint before storing
 * its report. A second identical import writes nothing but its report.
 */
#ifndef ROSTER_IMPORT_STORE_H
#define ROSTER_IMPORT_STORE_H

#include <jansson.h>

#include "common/db.h"
#include "common/record.h"
#include "services/roster/import.h"

/* Run an opened import (import_open) in one transaction (hg_record_tx): HG_OK with job->report (also
 * call->record) and job->counts; else the parse's or the database's status. */
enum hg_status import_store_run(struct hg_db_pool *pool, struct hg_record_call *call, struct import_job *job);

/*
 * A background import (Prefer: respond-async). import_store_start creates its row (state running, phase
 * queued, the files the manifest declares) through call (hg_record_tx: the request's Idempotency-Key claimed
 * and its 202 stored with it), first marking interrupted any running import of the district whose process
 * died: HG_OK with call->record; HG_CONFLICT when one of the district runs. import_store_run then runs with
 * job->import_id set: it takes the import's advisory lock first (a reader who can take it knows the process
 * died: the import is interrupted) and finishes the row with the report. import_store_progress writes the
 * phase and job's figures (autocommit: a reader sees them at once); import_store_fail finishes the row
 * failed or interrupted with error ({"detail", ...}).
 */
enum hg_status import_store_start(struct hg_db_pool *pool, struct hg_record_call *call, const struct import_job *job);
enum hg_status import_store_progress(struct hg_db_pool *pool, const struct import_job *job, const char *phase);
enum hg_status import_store_fail(struct hg_db_pool *pool, const struct import_job *job, const char *state,
				 json_t *error);

/* A stored report: the entity the CRUD kit reads; a running import's row shows its progress. */
extern const struct hg_entity import_entity;

#endif
