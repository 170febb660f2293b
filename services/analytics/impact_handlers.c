/* impact_handlers.c - the impact of one catalog offering over HTTP. */
#include "common/reply.h"
#include "common/roles.h"
#include "services/analytics/analytics_handlers.h"
#include "services/analytics/analytics_store.h"

void impact_handle_get(struct hg_request *req)
{
	char id[37];
	json_t *doc = NULL;

	if (!hg_uuid_param_or_reply(req, "id", "activity", id))
		return;
	/* District admins see the district's participants; a school leader those they share a school with. */
	const char *leader = hg_has_role(req, HG_ROLE(DISTRICT_ADMIN)) ? NULL : req->who.sub;
	enum hg_status st = impact_store_read(req->pool, req->who.district_id, id, leader, &doc);
	if (st != HG_OK) {
		hg_reply_failure(req, st, NULL, "activity");
		return;
	}
	hg_reply_json(req, 200, doc);
	json_decref(doc);
}
