/* sis_store.h - the district's SIS connection in PostgreSQL (SQL only; no HTTP).
 *
 * One row per district (sis_connections). Its answers (sis_connection_json) never hold the secret; only
 * sis_store_credentials reads the sealed secret, for a sync.
 */
#ifndef ROSTER_SIS_STORE_H
#define ROSTER_SIS_STORE_H

#include <jansson.h>

#include "common/db.h"
#include "common/record.h"

/* GET: the district's connection ($1 only), 404 when it has none. */
extern const struct hg_entity sis_connection_entity;

/* Is zone a time zone PostgreSQL knows (pg_timezone_names)? HG_OK with *known set, or the database's status. */
enum hg_status sis_store_zone_known(struct hg_db_pool *pool, const char *zone, int *known);

/* Create or replace the caller's connection with call->fields (validated; client_secret already sealed):
 * HG_OK with call->record. */
enum hg_status sis_store_put(struct hg_db_pool *pool, struct hg_record_call *call);

/* Delete the caller's connection: HG_OK, or HG_NOT_FOUND when there is none. */
enum hg_status sis_store_delete(struct hg_db_pool *pool, struct hg_record_call *call);

/* The district's connection with its sealed secret as "client_secret" (*out new reference; for a sync only):
 * HG_OK, HG_NOT_FOUND, or the database's status. */
enum hg_status sis_store_credentials(struct hg_db_pool *pool, const char *district_id, json_t **out);

#endif
