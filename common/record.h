/* record.h - the common shape of a write: one record and its event, one transaction. */
#ifndef HG_RECORD_H
#define HG_RECORD_H

#include <jansson.h>

#include "auth.h"
#include "db.h"

/*
 * Insert one record of who's district and write its event in the same
 * transaction. insert takes $1 district id, $2 the author (who->sub) and $3
 * the validated fields as one jsonb, and returns the record's JSON text in
 * its first column. The event (event_type, subject = the record's "id",
 * data = the record) goes to the outbox. *out (new reference) is the record.
 */
enum hg_status hg_record_create(struct hg_db_pool *pool, const struct hg_stmt *insert,
				const struct hg_principal *who, json_t *fields, const char *event_type, json_t **out);

#endif
