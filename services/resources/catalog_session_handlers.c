/* catalog_session_handlers.c - HTTP in and out for sessions of PD activities. */
#include <stdlib.h>

#include "catalog.h"
#include "catalog_activity.h"
#include "catalog_handlers.h"
#include "catalog_http.h"
#include "catalog_session.h"
#include "catalog_store.h"
#include "service.h"
#include "xmalloc.h"

#define WHAT "session"

void h_catalog_session_create(struct hg_request *req)
{
	json_t *body = NULL, *fields = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *why = NULL;
	char code[CATALOG_CODE_LEN + 1];
	const char *activity_id = hg_uuid_param_or_reply(req, "id", "activity");

	if (activity_id == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	fields = catalog_session_validate_create(body, errs);
	if (fields == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	catalog_checkin_code_new(code);
	enum hg_status st = catalog_session_create(&req->svc->pool, &req->who, activity_id, fields, code, &out, &why);
	if (st != HG_OK) {
		catalog_reply_failure(req, st, why, "activity");
		goto out;
	}
	hg_reply_created(req, "/v1/catalog/sessions", out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(fields);
	json_decref(out);
}

void h_catalog_session_list(struct hg_request *req)
{
	struct hg_cursor after;
	json_t *activity = NULL, *items = NULL;
	char *next = NULL;
	long limit;
	int has_cursor;
	const char *activity_id = hg_uuid_param_or_reply(req, "id", "activity");

	if (activity_id == NULL || !hg_limit_or_reply(req, CATALOG_PAGE_DEFAULT, CATALOG_PAGE_MAX, &limit) ||
	    !hg_cursor_or_reply(req, &after, &has_cursor))
		goto out;
	enum hg_status st = catalog_activity_get(&req->svc->pool, &req->who, activity_id, &activity);
	if (st == HG_OK &&
	    !catalog_activity_visible(&req->who, json_string_value(json_object_get(activity, "status"))))
		st = HG_NOT_FOUND;
	if (st != HG_OK) {
		hg_reply_status(req, st, "activity");
		goto out;
	}
	st = catalog_session_list(&req->svc->pool, &req->who, activity_id, has_cursor ? &after : NULL, limit, &items,
				  &next);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	size_t i;
	json_t *session;
	json_array_foreach(items, i, session) catalog_session_redact(&req->who, session);
	hg_reply_page(req, items, next);
out:
	json_decref(activity);
	json_decref(items);
	free(next);
}

void h_catalog_session_get(struct hg_request *req)
{
	json_t *out = NULL;
	char activity_status[16];
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);
	if (id == NULL)
		return;
	enum hg_status st = catalog_session_get(&req->svc->pool, &req->who, id, &out, activity_status);
	if (st == HG_OK && !catalog_activity_visible(&req->who, activity_status))
		st = HG_NOT_FOUND;
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	catalog_session_redact(&req->who, out);
	hg_set_etag(req, out);
	hg_reply_json(req, 200, out);
out:
	json_decref(out);
}

void h_catalog_session_update(struct hg_request *req)
{
	json_t *body = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *why = NULL, *status = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);

	if (id == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	if (!catalog_session_validate_patch(body, errs, &status)) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st = catalog_session_set_status(&req->svc->pool, &req->who, id, status,
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
	json_decref(out);
}
