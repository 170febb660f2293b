/* rebuild.h - the read models rebuilt from the topics and swapped in (common/rebuild.h): started by
 * POST /v1/analytics/rebuild (run in the background, its progress in the rebuilds table) or by an operator's
 * hg-analytics --rebuild (run to its end). One at a time across every process (the rebuilds table). */
#ifndef ANALYTICS_REBUILD_H
#define ANALYTICS_REBUILD_H

#include "common/config.h"
#include "common/db.h"
#include "common/status.h"

/* The topics the consumer reads, NULL-terminated (the live consumer's and the rebuild's). */
extern const char *const analytics_topics[];

/* struct hg_service_def's hooks: keep what a rebuild needs of the configuration; the pool, and the stop. */
void analytics_rebuild_configure(const struct hg_config *cfg, const void *settings);
int analytics_rebuild_start(struct hg_db_pool *pool, const void *settings);
void analytics_rebuild_stop(void);

/* hg-analytics --rebuild: 0 when rebuilt, 1 when it failed, 3 when another rebuild runs. */
int analytics_rebuild_command(const struct hg_config *cfg, const void *settings);

/*
 * Start a rebuild for who (district and subject) in the background: *row (a new reference) is its resource.
 * HG_CONFLICT while another runs; HG_UNAVAILABLE when the service is stopping or the database is down.
 */
enum hg_status analytics_rebuild_launch(struct hg_db_pool *pool, const char *district_id, const char *requested_by,
					json_t **row);

/* The rebuilds table (rebuild_store.c). */
enum hg_status rebuild_store_start(struct hg_db_pool *pool, const char *district_id, const char *requested_by,
				   json_t **row);
enum hg_status rebuild_store_progress(struct hg_db_pool *pool, const char *district_id, const char *id, int64_t applied,
				      int64_t total, const char *phase);
enum hg_status rebuild_store_finish(struct hg_db_pool *pool, const char *district_id, const char *id, int ok,
				    const char *error);
/* The rebuild id of district_id (HG_NOT_FOUND: none, or another district's). */
enum hg_status rebuild_store_get(struct hg_db_pool *pool, const char *district_id, const char *id, json_t **row);

#endif
