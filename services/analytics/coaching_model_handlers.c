/* coaching_model_handlers.c - coaching figures over HTTP. */
#include "common/reply.h"
#include "common/roles.h"
#include "services/analytics/analytics_handlers.h"
#include "services/analytics/analytics_store.h"

void coaching_model_handle_get(struct hg_request *req)
{
	struct period period;
	json_t *doc = NULL;

	if (period_parse(hg_query(req, "period"), &period) != HG_OK) {
		hg_reply_bad_params(req,
				    json_pack("[{s:s, s:s}]", "field", "period", "reason", "must be " PERIOD_FORMS));
		return;
	}
	/* District admins see the district; a school leader the teachers they share a school with. */
	const char *leader = hg_has_role(req, HG_ROLE(DISTRICT_ADMIN)) ? NULL : req->who.sub;
	enum hg_status st = coaching_model_store_read(req->pool, req->who.district_id, leader, &period, &doc);
	if (st != HG_OK) {
		hg_reply_failure(req, st, NULL, "coaching figures");
		return;
	}
	json_object_set_new(doc, "period", json_pack("{s:s, s:s}", "from", period.from, "to", period.last));
	hg_reply_json(req, 200, doc);
	json_decref(doc);
}
