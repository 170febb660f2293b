/* public_report_handlers.c - the public aggregate report over HTTP, as JSON and as CSV. */
#include "services/analytics/public_report_handlers.h"

#include <stdlib.h>

#include "common/reply.h"
#include "services/analytics/analytics_settings.h"
#include "services/analytics/analytics_store.h"
#include "services/analytics/offering_summary.h"
#include "services/analytics/offering_summary_store.h"
#include "services/analytics/public_report.h"

/* ?period= into period, or a 400 naming it (0). */
static int period_or_reply(struct hg_request *req, struct period *period)
{
	if (period_parse(hg_query(req, "period"), period) == HG_OK)
		return 1;
	json_t *errs = json_array();
	json_array_append_new(errs, json_pack("{s:s, s:s}", "field", "period", "reason", "must be " PERIOD_FORMS));
	hg_reply_bad_params(req, errs);
	return 0;
}

/* The report of ?period= for the token's district, or a reply (NULL). */
static json_t *report_or_reply(struct hg_request *req, struct period *period)
{
	const struct analytics_settings *s = req->settings;
	json_t *overall = NULL, *by[8] = {NULL};
	enum hg_status st;

	if (!period_or_reply(req, period))
		return NULL;
	/* Each dimension is one statement over the read models (participation_store.c), the whole district. */
	st = participation_store_read(req->pool, req->who.district_id, NULL, period, NULL, s->max_groups, &overall);
	size_t d = 0;
	for (; st == HG_OK && public_report_dimensions[d] != NULL; d++)
		st = participation_store_read(req->pool, req->who.district_id, NULL, period,
					      public_report_dimensions[d], s->max_groups, &by[d]);
	json_t *report = NULL;
	if (st == HG_OK) {
		for (size_t i = 0; public_report_dimensions[i] != NULL; i++)
			json_object_set_new(
				by[i], "truncated",
				json_boolean(json_integer_value(json_object_get(by[i], "group_count")) >
					     (json_int_t)json_array_size(json_object_get(by[i], "groups"))));
		report = public_report_build(json_object_get(overall, "overall"), by, PUBLIC_MIN_CELL);
		json_object_set_new(report, "period",
				    json_pack("{s:s, s:s}", "from", period->from, "to", period->last));
	} else {
		hg_reply_failure(req, st, NULL, "report");
	}
	json_decref(overall);
	for (size_t i = 0; i < sizeof(by) / sizeof(by[0]); i++)
		json_decref(by[i]);
	return report;
}

void public_report_handle_get(struct hg_request *req)
{
	struct period period;
	json_t *report = report_or_reply(req, &period);
	if (report != NULL)
		hg_reply_json(req, 200, report);
	json_decref(report);
}

void public_report_handle_csv(struct hg_request *req)
{
	struct period period;
	struct hg_csv csv = {NULL, 0, 0};
	json_t *report = report_or_reply(req, &period);
	if (report == NULL)
		return;
	public_report_csv(report, &csv);
	hg_set_header(req, "Content-Disposition", "attachment; filename=\"participation.csv\"");
	hg_reply_text(req, 200, "text/csv; charset=utf-8; header=present", csv.data);
	free(csv.data);
	json_decref(report);
}

/* The efficacy summary of ?period= for the token's district, or a reply (NULL). */
static json_t *summary_or_reply(struct hg_request *req)
{
	const struct analytics_settings *s = req->settings;
	struct period period;
	json_t *counts = NULL;

	if (!period_or_reply(req, &period))
		return NULL;
	enum hg_status st =
		offering_summary_store_read(req->pool, req->who.district_id, &period, s->max_groups, &counts);
	if (st != HG_OK) {
		hg_reply_failure(req, st, NULL, "summary");
		return NULL;
	}
	json_t *summary = offering_summary_build(counts, PUBLIC_MIN_CELL);
	json_decref(counts);
	json_object_set_new(summary, "period", json_pack("{s:s, s:s}", "from", period.from, "to", period.last));
	return summary;
}

void offering_summary_handle_get(struct hg_request *req)
{
	json_t *summary = summary_or_reply(req);
	if (summary != NULL)
		hg_reply_json(req, 200, summary);
	json_decref(summary);
}

void offering_summary_handle_csv(struct hg_request *req)
{
	struct hg_csv csv = {NULL, 0, 0};
	json_t *summary = summary_or_reply(req);
	if (summary == NULL)
		return;
	offering_summary_csv(summary, &csv);
	hg_set_header(req, "Content-Disposition", "attachment; filename=\"offerings.csv\"");
	hg_reply_text(req, 200, "text/csv; charset=utf-8; header=present", csv.data);
	free(csv.data);
	json_decref(summary);
}
