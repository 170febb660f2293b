/* catalog_activity_handlers.c - HTTP in and out for PD activities. */
#include <stdlib.h>

#include "catalog.h"
#include "catalog_activity.h"
#include "catalog_handlers.h"
#include "catalog_http.h"
#include "catalog_store.h"
#include "service.h"
#include "xmalloc.h"

#define WHAT "activity"

void h_catalog_activity_create(struct hg_request *req)
{
	json_t *body = NULL, *fields = NULL, *out = NULL;
	json_t *errs = json_array();

	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	fields = catalog_activity_validate_create(body, errs);
	if (fields == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st = catalog_activity_create(&req->svc->pool, &req->who, fields, &out);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	hg_reply_created(req, "/v1/catalog/activities", out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(fields);
	json_decref(out);
}

void h_catalog_activity_list(struct hg_request *req)
{
	struct hg_cursor after;
	json_t *items = NULL;
	char *next = NULL;
	long limit;
	int has_cursor;

	if (!hg_limit_or_reply(req, CATALOG_PAGE_DEFAULT, CATALOG_PAGE_MAX, &limit) ||
	    !hg_cursor_or_reply(req, &after, &has_cursor))
		goto out;
	const char *statuses = catalog_activity_list_statuses(&req->who, hg_query(req, "status"));
	if (statuses == NULL) {
		hg_reply_problem(req, HG_BAD_REQUEST, "status must be draft, published or archived");
		goto out;
	}
	enum hg_status st = catalog_activity_list(&req->svc->pool, &req->who, statuses, has_cursor ? &after : NULL,
						  limit, &items, &next);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	hg_reply_page(req, items, next);
out:
	json_decref(items);
	free(next);
}

void h_catalog_activity_get(struct hg_request *req)
{
	json_t *out = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);
	if (id == NULL)
		return;
	enum hg_status st = catalog_activity_get(&req->svc->pool, &req->who, id, &out);
	if (st == HG_OK && !catalog_activity_visible(&req->who, json_string_value(json_object_get(out, "status"))))
		st = HG_NOT_FOUND;
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	hg_set_etag(req, out);
	hg_reply_json(req, 200, out);
out:
	json_decref(out);
}

void h_catalog_activity_update(struct hg_request *req)
{
	json_t *body = NULL, *changes = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *why = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);

	if (id == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	changes = catalog_activity_validate_patch(body, errs);
	if (changes == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st = catalog_activity_update(&req->svc->pool, &req->who, id, changes,
						    hg_header(req, "If-Match"), &out, &why);
	if (st != HG_OK) {
		catalog_reply_failure(req, st, why, WHAT);
		goto out;
	}
	hg_set_etag(req, out);
	hg_reply_json(req, 200, out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(changes);
	json_decref(out);
}
