/* catalog_roster_store.h - the roster read model: the consumer's event handler. */
#ifndef RESOURCES_CATALOG_ROSTER_STORE_H
#define RESOURCES_CATALOG_ROSTER_STORE_H

#include <jansson.h>

#include "db.h"
#include "status.h"

/*
 * The consumer's handler (hg_event_fn) for homegrown.roster: applies
 * educator.upserted / educator.deactivated to the read model when the event's
 * version is newer than the one stored (older or equal versions change
 * nothing), replacing the educator's school assignments. Other event types
 * are ignored; an educator event that is not consistent is HG_INVALID (the
 * consumer records it as rejected and moves on).
 */
enum hg_status catalog_roster_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg);

#endif
