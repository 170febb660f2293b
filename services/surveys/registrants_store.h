/* registrants_store.h - the catalog's registrations in PostgreSQL, and the consumer's handler for every topic
 * hg-surveys reads. */
#ifndef SURVEYS_REGISTRANTS_STORE_H
#define SURVEYS_REGISTRANTS_STORE_H

#include <jansson.h>

#include "common/db.h"

/* The consumer's handler (common/consumer.h): one event of homegrown.roster (roster_model_store.c) or of
 * homegrown.resources (registrations), applied in the caller's transaction. */
enum hg_status surveys_store_apply_event(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg);

#endif
