/* roster_model_store.h - the roster read model in PostgreSQL: the consumer's event handler, school scoping. */
#ifndef CATALOG_ROSTER_MODEL_STORE_H
#define CATALOG_ROSTER_MODEL_STORE_H

#include <jansson.h>

#include "common/auth.h"
#include "common/db.h"
#include "common/record.h"
#include "common/status.h"

/*
 * The consumer's handler (hg_event_fn) for homegrown.roster: applies
 * educator.upserted / educator.deactivated to the read model when the event's
 * version is newer than the one stored (older or equal versions change
 * nothing), replacing the educator's school assignments. When it makes the
 * educator inactive, their registrations of sessions still open are cancelled
 * in the same transaction (registration_store_withdraw). Other event types
 * are ignored; an educator event that is not consistent is HG_INVALID (the
 * consumer records it as rejected and moves on).
 */
enum hg_status roster_model_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg);

/*
 * Inside a write's transaction: are all of ids (a JSON array of UUID strings) active educators of the
 * caller's district in the read model? Their rows are locked FOR SHARE until the commit, so a deactivation
 * applied meanwhile waits for the write and then sees it (and withdraws it). HG_OK when they all are; else
 * the refusal (R_EDUCATOR_NOT_ON_ROSTER, R_EDUCATOR_INACTIVE) naming field, or field[i] for the first bad
 * item when indexed.
 */
enum hg_status roster_model_store_require_active(struct hg_db_conn *conn, struct hg_record_call *call, json_t *ids,
						 const char *field, int indexed);

/*
 * The same in two steps, for a store that takes the rows' locks before a lock of its own (the roster
 * consumer's order: the roster row, then a session) but answers a refusal of the person only after its own
 * rules: lock ids' rows and find the first that is not active (*why NULL when all are, else the reason and
 * *bad its index); then refuse with roster_model_store_refuse.
 */
enum hg_status roster_model_store_lock_active(struct hg_db_conn *conn, const char *district_id, json_t *ids,
					      const struct hg_reason **why, size_t *bad);
enum hg_status roster_model_store_refuse(struct hg_record_call *call, const struct hg_reason *why, const char *field,
					 int indexed, size_t bad);

/* Do who and educator share a school in the roster read model (both active)? */
enum hg_status roster_model_store_shares_school(struct hg_db_pool *pool, const struct hg_principal *who,
						const char *educator, int *shares);

#endif
