/* sync_run.h - one roster sync from the district's SIS, start to finish (no HTTP).
 *
 * 1. The connection is read and its secret opened (HG_ROSTER_SECRET_KEY). A delta sync (the connection's
 *    use_deltas, a previous successful sync, and no "full" asked) filters on dateLastModified after the start
 *    of the last successful sync; otherwise every file is bulk (what is missing is deactivated).
 * 2. The sync's row is started (one running sync per district), then a token is fetched and orgs,
 *    academicSessions and users are paged through (limit/offset; the Link rel="next" when the provider gives
 *    one, on its own host only; X-Total-Count for the estimate), the row's phase and progress written after
 *    every page. Nothing is written to the roster while fetching.
 * 3. The records are applied by the CSV import's transaction (import_store_run): the same checks,
 *    all-or-nothing, student filtering, events and report. Any failure -- the provider, a malformed page, a
 *    problem in the records -- fails the sync with nothing applied.
 */
#ifndef ROSTER_SYNC_RUN_H
#define ROSTER_SYNC_RUN_H

#include <jansson.h>

#include "common/auth.h"
#include "common/db.h"
#include "common/record.h"
#include "services/roster/roster_settings.h"

enum sync_refusal {
	SYNC_RAN,             /* the sync ran (succeeded or failed): *record is its row */
	SYNC_NO_CONNECTION,   /* the district has no SIS connection */
	SYNC_NO_KEY,          /* HG_ROSTER_SECRET_KEY is missing, or the stored secret does not open with it */
	SYNC_ALREADY_RUNNING, /* another sync of the district runs */
	SYNC_ERROR,           /* the database or the client library failed before the sync started */
};

/* Run a sync for the district of call->who (trigger "api" or "schedule"; full: no delta). When SYNC_RAN,
 * call->record is the finished sync, written by a transaction through call (hg_record_tx: a request binds its
 * Idempotency-Key to it with hg_write_begin). */
enum sync_refusal sync_run(struct hg_db_pool *pool, struct hg_record_call *call, const struct roster_settings *s,
			   const char *trigger, int full);

#endif
