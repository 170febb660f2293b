/* roster_model_store.h - the roster read model in PostgreSQL: applying the roster's events. */
#ifndef SURVEYS_ROSTER_MODEL_STORE_H
#define SURVEYS_ROSTER_MODEL_STORE_H

#include <jansson.h>

#include "common/db.h"

/* The consumer's handler (common/consumer.h): apply one homegrown.roster event in the caller's transaction. */
enum hg_status roster_model_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg);

#endif
