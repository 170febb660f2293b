/* equity_handlers.c - the equity audit over HTTP. */
#include "common/reply.h"
#include "common/roles.h"
#include "services/analytics/analytics_handlers.h"
#include "services/analytics/analytics_store.h"
#include "services/analytics/equity.h"

void equity_handle_get(struct hg_request *req)
{
	struct period period;
	enum equity_measure measure;
	json_t *counts = NULL;

	json_t *errs = json_array();
	if (period_parse(hg_query(req, "period"), &period) != HG_OK)
		json_array_append_new(errs,
				      json_pack("{s:s, s:s}", "field", "period", "reason", "must be " PERIOD_FORMS));
	if (!equity_measure_parse(hg_query(req, "measure"), &measure))
		json_array_append_new(
			errs, json_pack("{s:s, s:s}", "field", "measure", "reason", "must be " EQUITY_MEASURES));
	if (json_array_size(errs) > 0) {
		hg_reply_bad_params(req, errs);
		return;
	}
	json_decref(errs);
	/* District admins see the district; a school leader the educators they share a school with. */
	const char *leader = hg_has_role(req, HG_ROLE(DISTRICT_ADMIN)) ? NULL : req->who.sub;
	enum hg_status st = equity_store_read(req->pool, req->who.district_id, leader, &period, &counts);
	if (st != HG_OK) {
		hg_reply_failure(req, st, NULL, "equity");
		return;
	}
	json_t *doc = equity_build(counts, measure, EQUITY_MIN_CELL);
	json_decref(counts);
	json_object_set_new(doc, "period", json_pack("{s:s, s:s}", "from", period.from, "to", period.last));
	hg_reply_json(req, 200, doc);
	json_decref(doc);
}
