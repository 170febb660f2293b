/* recommend_store.h - recommendations in PostgreSQL: their read models fed from the events (with the others, in
 * the consumer's transaction) and one educator's ranked list read in one statement. SQL only. */
#ifndef ANALYTICS_RECOMMEND_STORE_H
#define ANALYTICS_RECOMMEND_STORE_H

#include <jansson.h>

#include "common/db.h"
#include "services/analytics/recommend.h"

/* What event (of topic, already accepted by the other read models) adds to the recommendation read models, in
 * conn's transaction. HG_OK when there is nothing to add. */
enum hg_status recommend_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event,
				     const char *district_id);

/* Who asks: viewer_id NULL for a district admin (the district's educators); else the caller, who sees
 * themself and, when leader, the educators sharing a school with them. */
struct rec_viewer {
	const char *viewer_id;
	int leader;
};

/*
 * The recommendations of educator_id in district (at most limit items, best first, each with its reasons)
 * under weights. HG_NOT_FOUND when the district has no such active educator or the viewer may not see them.
 * *doc a new reference.
 */
enum hg_status recommend_store_read(struct hg_db_pool *pool, const char *district_id, const char *educator_id,
				    const struct rec_viewer *viewer, const struct rec_weights *weights, long limit,
				    json_t **doc);

#endif
