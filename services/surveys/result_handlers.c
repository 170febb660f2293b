/* result_handlers.c - a closed survey's results over HTTP. */
#include "common/reply.h"
#include "services/surveys/surveys_handlers.h"
#include "services/surveys/surveys_store.h"

const char *const result_breakdowns[] = {"school", "locale", "poverty", "title_i", "role", "career_stage", NULL};

void result_handle_get(struct hg_request *req)
{
	char survey_id[37];
	const char *by = NULL;
	const struct hg_reason *why = NULL;
	json_t *doc = NULL;

	if (!hg_uuid_param_or_reply(req, "id", "survey", survey_id) ||
	    !hg_query_enum_or_reply(req, "by", result_breakdowns, &by))
		return;
	enum hg_status st = result_store_read(req->pool, &req->who, survey_id, by, &doc, &why);
	if (st != HG_OK)
		hg_reply_failure(req, st, why, "survey");
	else
		hg_reply_json(req, 200, doc);
	json_decref(doc);
}
