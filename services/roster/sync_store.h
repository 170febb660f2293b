/* sync_store.h - roster syncs in PostgreSQL (SQL only; no HTTP).
 *
 * A sync's row is written as it runs, each write its own short statement (committed at once), so a GET sees
 * a running sync's phase and progress; the records themselves are applied by the import's transaction
 * (import_store_run). One running sync per district (a unique index); a running row whose heartbeat is more
 * than two minutes old (its process died) is marked failed when the next sync starts.
 */
#ifndef ROSTER_SYNC_STORE_H
#define ROSTER_SYNC_STORE_H

#include <jansson.h>

#include "common/db.h"
#include "common/record.h"

/* GET /v1/roster/syncs/{id}. */
extern const struct hg_entity sync_entity;

/* When the district's last successful sync started (RFC 3339, into since; "" when none). */
enum hg_status sync_store_last_success(struct hg_db_pool *pool, const char *district_id, char *since, size_t len);

/* The districts (a JSON array of ids, at most max; *due new reference) whose scheduled sync is due: the local
 * time of the connection's zone has passed its schedule time today, the connection was set before that
 * moment, no scheduled sync started since, none runs. Across districts: the schedule worker only. */
enum hg_status sync_store_due(struct hg_db_pool *pool, long max, json_t **due);

/* Start a sync (state running): HG_OK with *record (new reference; its "id"); HG_CONFLICT when one runs. */
enum hg_status sync_store_start(struct hg_db_pool *pool, const char *district_id, const char *created_by,
				const char *trigger, const char *mode, const char *since, json_t **record);

/* Record the phase and progress (an object) of a running sync. */
enum hg_status sync_store_progress(struct hg_db_pool *pool, const char *district_id, const char *id, const char *phase,
				   json_t *progress);

/* Finish it: state succeeded or failed, with its progress, timings, report (or NULL), error (or NULL) and
 * import id (or NULL), in one transaction through call (hg_record_tx: a request's Idempotency-Key is claimed
 * and its answer stored with it): HG_OK with call->record (the finished sync). Should the call's steps fail,
 * the sync is still finished, without them (a running row must not be left behind). */
enum hg_status sync_store_finish(struct hg_db_pool *pool, struct hg_record_call *call, const char *id, int succeeded,
				 json_t *progress, json_t *timings, json_t *report, json_t *error,
				 const char *import_id);

#endif
