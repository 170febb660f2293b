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

/* A stored report: the entity the CRUD kit reads. */
extern const struct hg_entity import_entity;

#endif
