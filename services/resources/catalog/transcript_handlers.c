/* transcript_handlers.c - transcripts over HTTP. */
#include <stdlib.h>

#include "common/reply.h"
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/roster_model_store.h"
#include "services/resources/catalog/transcript.h"
#include "services/resources/reasons.h"

/* May who read educator's transcript? HG_OK, HG_FORBIDDEN, or a database status. */
static enum hg_status may_read(struct hg_request *req, const char *educator)
{
	int shares = 0;
	enum hg_status st;
	switch (transcript_access(&req->who, educator)) {
	case CATALOG_TRANSCRIPT_ALLOWED:
		return HG_OK;
	case CATALOG_TRANSCRIPT_IF_SCHOOL:
		st = roster_model_store_shares_school(req->pool, &req->who, educator, &shares);
		return st == HG_OK && !shares ? HG_FORBIDDEN : st;
	case CATALOG_TRANSCRIPT_DENIED:
		break;
	}
	return HG_FORBIDDEN;
}

void transcript_handle_get(struct hg_request *req)
{
	struct hg_page page;
	json_t *totals = NULL, *body = NULL;
	json_t *errs = json_array();
	int64_t from_days, to_days;
	char educator[37];

	hg_page_init(&page, HG_PAGE_DEFAULT);
	if (!hg_uuid_param_or_reply(req, "educator_id", "educator", educator))
		goto out;
	hg_page_check(req, &page, errs);
	transcript_period(hg_query(req, "from"), hg_query(req, "to"), &from_days, &to_days, errs);
	if (json_array_size(errs) > 0) {
		hg_reply_bad_params(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st = may_read(req, educator);
	if (st == HG_FORBIDDEN) {
		hg_reply_refusal(req, RESOURCES_REFUSE(R_TRANSCRIPT_FORBIDDEN));
		goto out;
	}
	if (st == HG_OK)
		st = transcript_store_read(req->pool, &req->who, educator, from_days, to_days, &page, &totals);
	if (st != HG_OK) {
		hg_reply_status(req, st, "transcript");
		goto out;
	}
	body = json_pack("{s:s, s:s?, s:s?, s:O, s:O, s:s?}", "educator_id", educator, "from", hg_query(req, "from"),
			 "to", hg_query(req, "to"), "totals", totals, "data", page.items, "next_cursor", page.next);
	hg_reply_json(req, 200, body);
out:
	hg_page_cleanup(&page);
	json_decref(errs);
	json_decref(totals);
	json_decref(body);
}
