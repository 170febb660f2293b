/* outbox.h - the transactional outbox: a change and its event in one transaction.
 *
 * hg_outbox_write adds a CloudEvent to the service's outbox table on the
 * transaction's connection, so the event commits (or rolls back) with the
 * change. The relay (relay.h) publishes the rows to Kafka.
 */
#ifndef HG_OUTBOX_H
#define HG_OUTBOX_H

#include <jansson.h>

#include "common/db.h"
#include "common/status.h"

/* Name the producing service ("resources"): topic homegrown.<service>, source /homegrown/<service>. */
void hg_outbox_set_service(const char *service);

/*
 * Add one CloudEvent to the outbox on conn, inside the caller's transaction.
 * type e.g. "resource.created"; subject the entity id; data is borrowed.
 */
enum hg_status hg_outbox_write(struct hg_db_conn *conn, const char *district_id, const char *type, const char *subject,
			       json_t *data);
/* The same on another topic of the service (its dead-letter topic, e.g. homegrown.analytics.dlq). */
enum hg_status hg_outbox_write_topic(struct hg_db_conn *conn, const char *topic, const char *district_id,
				     const char *type, const char *subject, json_t *data);

#endif
