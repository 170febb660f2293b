/* catalog_registration_handlers.c - HTTP in and out for registrations and the waitlist. */
#include <stdlib.h>

#include "catalog.h"
#include "catalog_activity.h"
#include "catalog_handlers.h"
#include "catalog_http.h"
#include "catalog_registration.h"
#include "catalog_store.h"
#include "service.h"
#include "xmalloc.h"

#define WHAT "registration"

void h_catalog_registration_create(struct hg_request *req)
{
	json_t *body = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *why = NULL;
	char educator[37];
	const char *session_id = hg_uuid_param_or_reply(req, "id", "session");

	if (session_id == NULL || !catalog_optional_body_or_reply(req, &body))
		goto out;
	enum hg_status st = catalog_registration_target(&req->who, body, errs, educator);
	if (st == HG_INVALID) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	if (st == HG_FORBIDDEN) {
		hg_reply_problem(req, st, "only district admins register another educator");
		goto out;
	}
	st = catalog_registration_create(&req->svc->pool, &req->who, session_id, educator, &out, &why);
	if (st != HG_OK) {
		catalog_reply_failure(req, st, why, "session");
		goto out;
	}
	hg_reply_created(req, "/v1/catalog/registrations", out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(out);
}

void h_catalog_registration_list(struct hg_request *req)
{
	struct hg_cursor after;
	json_t *session = NULL, *items = NULL;
	char *next = NULL, activity_status[16];
	long limit;
	int has_cursor;
	const char *session_id = hg_uuid_param_or_reply(req, "id", "session");

	if (session_id == NULL || !hg_limit_or_reply(req, CATALOG_PAGE_DEFAULT, CATALOG_PAGE_MAX, &limit) ||
	    !hg_cursor_or_reply(req, &after, &has_cursor))
		goto out;
	const char *statuses = catalog_registration_list_statuses(hg_query(req, "status"));
	if (statuses == NULL) {
		hg_reply_problem(req, HG_BAD_REQUEST, "status must be registered, waitlisted or cancelled");
		goto out;
	}
	enum hg_status st = catalog_session_get(&req->svc->pool, &req->who, session_id, &session, activity_status);
	if (st == HG_OK && !catalog_activity_visible(&req->who, activity_status))
		st = HG_NOT_FOUND;
	if (st != HG_OK) {
		hg_reply_status(req, st, "session");
		goto out;
	}
	if (!catalog_registration_may_list(&req->who, json_object_get(session, "facilitators"))) {
		hg_reply_problem(req, HG_FORBIDDEN, "only the session's facilitators and district admins list its registrations");
		goto out;
	}
	st = catalog_registration_list(&req->svc->pool, &req->who, session_id, statuses, has_cursor ? &after : NULL,
				       limit, &items, &next);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	hg_reply_page(req, items, next);
out:
	json_decref(session);
	json_decref(items);
	free(next);
}

void h_catalog_registration_get(struct hg_request *req)
{
	json_t *out = NULL, *facilitators = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);
	if (id == NULL)
		return;
	enum hg_status st = catalog_registration_get(&req->svc->pool, &req->who, id, &out, &facilitators);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	if (!catalog_registration_may_read(&req->who, json_string_value(json_object_get(out, "educator_id")),
					   facilitators)) {
		hg_reply_problem(req, HG_FORBIDDEN, "only the educator, the session's facilitators and district admins "
						    "read a registration");
		goto out;
	}
	hg_set_etag(req, out);
	hg_reply_json(req, 200, out);
out:
	json_decref(out);
	json_decref(facilitators);
}

void h_catalog_registration_cancel(struct hg_request *req)
{
	const char *why = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);
	if (id == NULL)
		return;
	enum hg_status st =
		catalog_registration_cancel(&req->svc->pool, &req->who, id, hg_header(req, "If-Match"), &why);
	if (st == HG_FORBIDDEN) {
		hg_reply_problem(req, st, "only the educator and district admins cancel a registration");
		return;
	}
	if (st != HG_OK) {
		catalog_reply_failure(req, st, why, WHAT);
		return;
	}
	hg_reply_empty(req, 204);
}
