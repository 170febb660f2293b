/* catalog_credit_handlers.c - HTTP in and out for credit requests. */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "catalog_credit.h"
#include "catalog_handlers.h"
#include "catalog_http.h"
#include "catalog_store.h"
#include "clock.h"
#include "service.h"
#include "xmalloc.h"

#define WHAT "credit request"

void h_catalog_credit_create(struct hg_request *req)
{
	json_t *body = NULL, *fields = NULL, *out = NULL;
	json_t *errs = json_array();

	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	fields = catalog_credit_validate_create(body, hg_clock_now_us() / CATALOG_US_PER_DAY, errs);
	if (fields == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st = catalog_credit_create(&req->svc->pool, &req->who, fields, &out);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	hg_reply_created(req, "/v1/catalog/credit-requests", out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(fields);
	json_decref(out);
}

void h_catalog_credit_list(struct hg_request *req)
{
	struct hg_cursor after;
	json_t *items = NULL;
	char *next = NULL;
	long limit;
	int has_cursor;
	const char *status = hg_query(req, "status");
	const char *educator = hg_query(req, "educator_id");

	if (!hg_limit_or_reply(req, CATALOG_PAGE_DEFAULT, CATALOG_PAGE_MAX, &limit) ||
	    !hg_cursor_or_reply(req, &after, &has_cursor))
		goto out;
	if (status != NULL && strcmp(status, "pending") != 0 && strcmp(status, "approved") != 0 &&
	    strcmp(status, "denied") != 0) {
		hg_reply_problem(req, HG_BAD_REQUEST, "status must be pending, approved or denied");
		goto out;
	}
	if (educator != NULL && !hg_is_uuid(educator)) {
		hg_reply_problem(req, HG_BAD_REQUEST, "educator_id must be a UUID");
		goto out;
	}
	/* Others than district admins see their own requests only. */
	if (!catalog_is_admin(&req->who))
		educator = req->who.sub;
	enum hg_status st = catalog_credit_list(&req->svc->pool, &req->who, educator, status,
						has_cursor ? &after : NULL, limit, &items, &next);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	hg_reply_page(req, items, next);
out:
	json_decref(items);
	free(next);
}

void h_catalog_credit_get(struct hg_request *req)
{
	json_t *out = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);
	if (id == NULL)
		return;
	enum hg_status st = catalog_credit_get(&req->svc->pool, &req->who, id, &out);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	if (!catalog_credit_may_read(&req->who, json_string_value(json_object_get(out, "educator_id")))) {
		hg_reply_problem(req, HG_FORBIDDEN, "only the educator and district admins read a credit request");
		goto out;
	}
	hg_set_etag(req, out);
	hg_reply_json(req, 200, out);
out:
	json_decref(out);
}

void h_catalog_credit_decide(struct hg_request *req)
{
	json_t *body = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *why = NULL, *decision = NULL, *reason = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);

	if (id == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	if (!catalog_credit_validate_decision(body, errs, &decision, &reason)) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st = catalog_credit_decide(&req->svc->pool, &req->who, id, decision, reason, &out, &why);
	if (st != HG_OK) {
		catalog_reply_failure(req, st, why, WHAT);
		goto out;
	}
	hg_set_etag(req, out);
	hg_reply_json(req, 200, out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(out);
}
