/* import_async.h - imports answered 202 and run in the background (Prefer: respond-async).
 *
 * The request opens the zip and reads its manifest (import_async_new, its 413/422 at once), creates the running
 * row (import_store_start), answers 202 and hands the import to import_async_launch: a thread runs the same
 * transaction as a synchronous import (import_store_run, all or nothing), writing the phase and figures to
 * the row as it goes (at most every 100 ms, and at each change of phase), then the report, or the
 * problems (failed, nothing applied). import_async_stop (the service kit's worker_stop) tells running imports
 * to give up -- their transaction rolls back and the row says interrupted -- and waits for their threads.
 */
#ifndef ROSTER_IMPORT_ASYNC_H
#define ROSTER_IMPORT_ASYNC_H

#include <stddef.h>

#include "common/auth.h"
#include "common/db.h"
#include "services/roster/import.h"

struct import_async;

/* A copy of zip and who; job() is opened (import_open) into st: HG_OK, or HG_INVALID / HG_PAYLOAD_TOO_LARGE with
 * the job's problems or detail. Free with import_async_free unless launched. */
struct import_async *import_async_new(const struct hg_principal *who, const struct roster_settings *s, int dry_run,
				      const void *zip, size_t len, enum hg_status *st);
struct import_job *import_async_job(struct import_async *a);
void import_async_free(struct import_async *a);

/* Run the import of row id in the background; done() is called when it ends (the import slot released). 0, or -1
 * when the service is stopping or no thread starts (then the row is marked interrupted and a is freed; done()
 * is not called). */
int import_async_launch(struct import_async *a, const char *id, void (*done)(void));

/* The service kit's worker hooks: remember the pool; stop and wait for the running imports. */
int import_async_start(struct hg_db_pool *pool, const void *settings);
void import_async_stop(void);

#endif
