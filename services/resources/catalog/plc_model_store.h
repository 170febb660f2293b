/* plc_model_store.h - the coaching service's PLCs and meetings as resources keeps them for the educators' calendar
 * feeds (SQL only): a read model fed by homegrown.coaching. */
#ifndef CATALOG_PLC_MODEL_STORE_H
#define CATALOG_PLC_MODEL_STORE_H

#include <jansson.h>

#include "common/db.h"

#define CALENDAR_COACHING_TOPIC "homegrown.coaching"

/*
 * Apply one CloudEvent of homegrown.coaching (a consumer's hg_event_fn, in its transaction): plc.created and
 * plc.updated replace a PLC's name and members, plc.meeting_held and plc.meeting_updated a meeting, each only
 * when its version is newer than the stored one. Other types are ignored (HG_OK). An event whose data's
 * district differs from its envelope's, or that does not describe a PLC or a meeting, is HG_INVALID (rejected).
 */
enum hg_status plc_model_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg);

#endif
