/* recommend_handlers.c - an educator's recommendations over HTTP. */
#include "services/analytics/recommend_handlers.h"

#include "common/reply.h"
#include "common/roles.h"
#include "services/analytics/analytics_settings.h"
#include "services/analytics/recommend_store.h"

#define REC_DEFAULT_ITEMS 10
#define REC_MAX_ITEMS 50

void recommend_handle_get(struct hg_request *req)
{
	const struct analytics_settings *s = req->settings;
	char id[37];
	long limit;
	json_t *doc = NULL;

	if (!hg_uuid_param_or_reply(req, "educator_id", "educator", id))
		return;
	if (!hg_limit_or_reply(req, REC_DEFAULT_ITEMS, REC_MAX_ITEMS, &limit))
		return;
	/* A district admin sees any educator of the district; anyone else themself, and a school leader also the
	 * educators who share a school with them. Everyone else's educators answer as unknown ones (404). */
	struct rec_viewer viewer = {NULL, 0};
	if (!hg_has_role(req, HG_ROLE(DISTRICT_ADMIN))) {
		viewer.viewer_id = req->who.sub;
		viewer.leader = hg_has_role(req, HG_ROLE(SCHOOL_LEADER));
	}
	enum hg_status st =
		recommend_store_read(req->pool, req->who.district_id, id, &viewer, &s->rec_weights, limit, &doc);
	if (st != HG_OK) {
		hg_reply_failure(req, st, NULL, "educator");
		return;
	}
	json_object_set_new(doc, "limit", json_integer(limit));
	hg_reply_json(req, 200, doc);
	json_decref(doc);
}
