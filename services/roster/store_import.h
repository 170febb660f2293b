/* store_import.h - an import's transaction in PostgreSQL (SQL only; no HTTP).
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
#ifndef ROSTER_STORE_IMPORT_H
#define ROSTER_STORE_IMPORT_H

#include <jansson.h>

#include "db.h"
#include "import.h"

/* HG_OK with job->report and job->counts; else the parse's or the database's status. */
enum hg_status store_import(struct hg_db_pool *pool, struct import_job *job);

/* A stored report of who's district; *out new reference. HG_NOT_FOUND when unknown there. */
enum hg_status store_import_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				json_t **out);

#endif
