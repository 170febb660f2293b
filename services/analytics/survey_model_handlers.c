/* survey_model_handlers.c - survey figures over HTTP. */
#include "common/reply.h"
#include "services/analytics/analytics_handlers.h"
#include "services/analytics/analytics_store.h"

#define MAX_SURVEYS 100 /* surveys listed in one answer (truncated beyond) */

void survey_model_handle_get(struct hg_request *req)
{
	struct period period;
	json_t *doc = NULL;

	if (period_parse(hg_query(req, "period"), &period) != HG_OK) {
		hg_reply_bad_params(req,
				    json_pack("[{s:s, s:s}]", "field", "period", "reason", "must be " PERIOD_FORMS));
		return;
	}
	/* Survey results are the district's (the surveys service shows them to leaders and admins alike). */
	enum hg_status st = survey_model_store_read(req->pool, req->who.district_id, &period, MAX_SURVEYS, &doc);
	if (st != HG_OK) {
		hg_reply_failure(req, st, NULL, "survey figures");
		return;
	}
	json_object_set_new(doc, "period", json_pack("{s:s, s:s}", "from", period.from, "to", period.last));
	hg_reply_json(req, 200, doc);
	json_decref(doc);
}
