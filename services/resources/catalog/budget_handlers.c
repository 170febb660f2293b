/* budget_handlers.c - PD budgets over HTTP: funding sources (the CRUD kit), charges, substitute settings and
 * releases, and the reports (JSON and CSV). */
#include <stdio.h>
#include <stdlib.h>

#include "common/date.h"
#include "common/reply.h"
#include "common/write.h"
#include "services/resources/catalog/budget.h"
#include "services/resources/catalog/budget_store.h"
#include "services/resources/catalog/catalog.h"
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/reasons.h"

static const struct hg_list_param source_params[] = {{"fiscal_year", HG_PARAM_TEXT, NULL, 4}};

const struct hg_crud funding_source_crud = {
	.entity = &funding_source_entity,
	.collection = "/v1/catalog/funding-sources",
	.validate_create = budget_validate_source_create,
	.validate_update = budget_validate_source_patch,
	.params = source_params,
	.nparams = 1,
};

static const struct hg_list_param cost_params[] = {{"activity_id", HG_PARAM_UUID, NULL, 0}};

/* GET /v1/catalog/funding-sources/{id}/costs ({id} is the source); GET /v1/catalog/costs/{id}. */
const struct hg_crud cost_crud = {
	.entity = &cost_entity,
	.parent_param = "id",
	.params = cost_params,
	.nparams = 1,
};
const struct hg_crud cost_item_crud = {.entity = &cost_entity};

/* 201 with the cost and its address. */
static void answer_cost(struct hg_request *req, const struct hg_record_call *call, const void *arg)
{
	(void)arg;
	hg_reply_created(req, "/v1/catalog/costs", call->record);
}

void budget_handle_charge(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *fields = NULL;
	char source[37];

	hg_record_call_init(&call, &req->who);
	if (!hg_uuid_param_or_reply(req, "id", "funding source", source))
		goto out;
	if ((fields = hg_validated_or_reply(req, budget_validate_charge, 0)) == NULL)
		goto out;
	call.fields = fields;
	hg_write_begin(req, &call, answer_cost, NULL);
	hg_write_end(req, budget_store_charge(req->pool, &call, source), "funding source");
out:
	json_decref(fields);
	hg_record_call_cleanup(&call);
}

void budget_handle_settings_get(struct hg_request *req)
{
	json_t *settings = NULL;
	enum hg_status st = budget_store_settings_get(req->pool, &req->who, &settings);
	if (st == HG_OK)
		hg_reply_record(req, 200, settings);
	else
		hg_reply_status(req, st, "budget settings");
	json_decref(settings);
}

void budget_handle_settings_put(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *fields = NULL;

	hg_record_call_init(&call, &req->who);
	if ((fields = hg_validated_or_reply(req, budget_validate_settings, 0)) == NULL)
		goto out;
	call.fields = fields;
	hg_write_begin(req, &call, hg_answer_record, NULL);
	hg_write_end(req, budget_store_settings_put(req->pool, &call), "budget settings");
out:
	json_decref(fields);
	hg_record_call_cleanup(&call);
}

void budget_handle_release(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *fields = NULL;
	char registration[37];

	hg_record_call_init(&call, &req->who);
	if (!hg_uuid_param_or_reply(req, "id", "registration", registration))
		goto out;
	if ((fields = hg_validated_or_reply(req, budget_validate_release, 0)) == NULL)
		goto out;
	call.fields = fields;
	hg_write_begin(req, &call, hg_answer_created_here, NULL);
	hg_write_end(req, budget_store_release(req->pool, &call, registration), "registration");
out:
	json_decref(fields);
	hg_record_call_cleanup(&call);
}

/* A school leader reads their own schools only (their educator id); a district admin every school (NULL). */
static const char *leader_of(const struct hg_request *req) { return catalog_is_admin(&req->who) ? NULL : req->who.sub; }

void budget_handle_releases(struct hg_request *req)
{
	struct hg_page page;
	json_t *errs = json_array();
	const char *school = NULL, *date = NULL;
	int64_t days = 0;
	char days_text[24];

	hg_page_init(&page, HG_PAGE_DEFAULT);
	hg_page_check(req, &page, errs);
	hg_query_uuid_check(req, "school_id", errs, &school);
	if ((date = hg_query(req, "date")) != NULL) {
		if (hg_api_date_parse(date, &days))
			snprintf(days_text, sizeof(days_text), "%lld", (long long)days);
		else
			hg_err_add(errs, "date", "must be a date YYYY-MM-DD");
	}
	if (json_array_size(errs) > 0) {
		hg_reply_bad_params(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st =
		budget_store_releases(req->pool, &req->who, leader_of(req), school, date ? days_text : NULL, &page);
	if (st == HG_FORBIDDEN)
		hg_reply_refusal(req, RESOURCES_REFUSE(R_RELEASES_SCHOOL_FORBIDDEN));
	else if (st != HG_OK)
		hg_reply_status(req, st, "releases");
	else
		hg_reply_page(req, &page);
out:
	hg_page_cleanup(&page);
	json_decref(errs);
}

/* ?fiscal_year= (required), or reply 400 naming it. */
static int fiscal_year_or_reply(struct hg_request *req, long *year)
{
	if (budget_fiscal_year(hg_query(req, "fiscal_year"), year))
		return 1;
	json_t *errs = json_array();
	hg_err_add(errs, "fiscal_year", "is required: a year from 2000 to 2100");
	hg_reply_bad_params(req, errs);
	return 0;
}

void budget_handle_report(struct hg_request *req)
{
	json_t *report = NULL;
	long year;
	if (!fiscal_year_or_reply(req, &year))
		return;
	enum hg_status st = budget_store_report(req->pool, &req->who, year, &report);
	if (st == HG_OK) {
		json_object_set_new(report, "fiscal_year", json_integer(year));
		hg_reply_json(req, 200, report);
	} else {
		hg_reply_status(req, st, "budget report");
	}
	json_decref(report);
}

void budget_handle_report_csv(struct hg_request *req)
{
	json_t *report = NULL;
	char *csv = NULL;
	long year;
	if (!fiscal_year_or_reply(req, &year))
		return;
	enum hg_status st = budget_store_report(req->pool, &req->who, year, &report);
	if (st != HG_OK) {
		hg_reply_status(req, st, "budget report");
		goto out;
	}
	json_object_set_new(report, "fiscal_year", json_integer(year));
	csv = budget_report_csv(report);
	hg_reply_text(req, 200, "text/csv; charset=utf-8", csv);
out:
	free(csv);
	json_decref(report);
}

void budget_handle_report_schools(struct hg_request *req)
{
	json_t *schools = NULL, *body = NULL;
	long year;
	if (!fiscal_year_or_reply(req, &year))
		return;
	enum hg_status st = budget_store_report_schools(req->pool, &req->who, year, leader_of(req), &schools);
	if (st == HG_OK) {
		body = json_pack("{s:I, s:O}", "fiscal_year", (json_int_t)year, "data", schools);
		hg_reply_json(req, 200, body);
	} else {
		hg_reply_status(req, st, "budget report");
	}
	json_decref(schools);
	json_decref(body);
}
