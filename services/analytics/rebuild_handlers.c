/* rebuild_handlers.c - POST /v1/analytics/rebuild and GET /v1/analytics/rebuilds/{id} over HTTP. */
#include <stdlib.h>

#include "common/reply.h"
#include "common/xmalloc.h"
#include "services/analytics/analytics_handlers.h"
#include "services/analytics/reasons.h"
#include "services/analytics/rebuild.h"

void rebuild_handle_post(struct hg_request *req)
{
	json_t *row = NULL;
	enum hg_status st = analytics_rebuild_launch(req->pool, req->who.district_id, req->who.sub, &row);
	if (st == HG_CONFLICT) {
		hg_reply_refusal(req, HG_REASON(analytics, R_REBUILD_RUNNING));
		return;
	}
	if (st != HG_OK) {
		hg_reply_failure(req, st, NULL, "rebuild");
		return;
	}
	char *location = xasprintf("/v1/analytics/rebuilds/%s", json_string_value(json_object_get(row, "id")));
	hg_set_header(req, "Location", location);
	free(location);
	hg_reply_json(req, 202, row);
	json_decref(row);
}

void rebuild_handle_get(struct hg_request *req)
{
	char id[37];
	json_t *row = NULL;
	if (!hg_uuid_param_or_reply(req, "id", "rebuild", id))
		return;
	enum hg_status st = rebuild_store_get(req->pool, req->who.district_id, id, &row);
	if (st != HG_OK) {
		hg_reply_failure(req, st, NULL, "rebuild");
		return;
	}
	hg_reply_json(req, 200, row);
	json_decref(row);
}
