/* result_handlers.c - a closed survey's results over HTTP (JSON and CSV), and needs by topic. */
#include <stdlib.h>

#include "common/reply.h"
#include "services/surveys/needs.h"
#include "services/surveys/result_csv.h"
#include "services/surveys/surveys_handlers.h"
#include "services/surveys/surveys_store.h"

const char *const result_breakdowns[] = {"school", "locale", "poverty", "title_i", "role", "career_stage", NULL};

/* The suppressed results of the route's survey into *doc, or 0 after replying. */
static int results_or_reply(struct hg_request *req, json_t **doc)
{
	char survey_id[37];
	const char *by = NULL;
	const struct hg_reason *why = NULL;

	*doc = NULL;
	if (!hg_uuid_param_or_reply(req, "id", "survey", survey_id) ||
	    !hg_query_enum_or_reply(req, "by", result_breakdowns, &by))
		return 0;
	enum hg_status st = result_store_read(req->pool, &req->who, survey_id, by, doc, &why);
	if (st != HG_OK) {
		hg_reply_failure(req, st, why, "survey");
		return 0;
	}
	return 1;
}

void result_handle_get(struct hg_request *req)
{
	json_t *doc = NULL;
	if (results_or_reply(req, &doc))
		hg_reply_json(req, 200, doc);
	json_decref(doc);
}

void result_handle_csv(struct hg_request *req)
{
	json_t *doc = NULL;
	if (results_or_reply(req, &doc)) {
		char *csv = result_csv(doc);
		hg_set_header(req, "Content-Disposition", "attachment; filename=\"results.csv\"");
		hg_reply_text(req, 200, "text/csv; charset=utf-8; header=present", csv);
		free(csv);
	}
	json_decref(doc);
}

void needs_handle_get(struct hg_request *req)
{
	const char *school = NULL, *period = hg_query(req, "period");
	char from[16], to[16];
	json_t *doc = NULL;

	if (!hg_query_uuid_or_reply(req, "school_id", &school))
		return;
	if (period != NULL && !needs_period(period, from, to)) {
		json_t *errs = json_array();
		hg_err_add(errs, "period", "must be a calendar year (2026) or a school year (2025-26)");
		hg_reply_bad_params(req, errs);
		return;
	}
	enum hg_status st = needs_store_read(req->pool, &req->who, school, period != NULL ? from : NULL,
					     period != NULL ? to : NULL, &doc);
	if (st != HG_OK) {
		hg_reply_status(req, st, "needs");
	} else {
		json_object_set_new(doc, "period", period != NULL ? json_string(period) : json_null());
		hg_reply_json(req, 200, doc);
	}
	json_decref(doc);
}
