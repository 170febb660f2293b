/* handlers.c - HTTP in and out for schools, educators and academic sessions. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cursor.h"
#include "educator.h"
#include "school.h"
#include "service.h"
#include "store.h"
#include "validate.h"

/* ?limit= and ?cursor= into page, or reply 400. */
static int page_or_reply(struct hg_request *req, struct store_page *page, struct hg_cursor *after)
{
	const char *cursor = hg_query(req, "cursor");
	page->after = NULL;
	page->items = NULL;
	page->next = NULL;
	if (!hg_limit_or_reply(req, ROSTER_PAGE_DEFAULT, ROSTER_PAGE_MAX, &page->limit))
		return 0;
	if (cursor != NULL) {
		if (hg_cursor_decode(cursor, after) != HG_OK) {
			hg_reply_problem(req, HG_BAD_REQUEST, "cursor is not one this API returned");
			return 0;
		}
		page->after = after;
	}
	return 1;
}

/* ?status= (active or inactive) or NULL; 0 after replying 400. */
static int status_or_reply(struct hg_request *req, const char **status)
{
	*status = hg_query(req, "status");
	if (*status != NULL && !roster_status_valid(*status)) {
		hg_reply_problem(req, HG_BAD_REQUEST, "status must be active or inactive");
		return 0;
	}
	return 1;
}

static void reply_page(struct hg_request *req, enum hg_status st, struct store_page *page, const char *what)
{
	if (st != HG_OK) {
		hg_reply_status(req, st, what);
	} else {
		json_t *body = json_pack("{s:O, s:s?}", "data", page->items, "next_cursor", page->next);
		hg_reply_json(req, 200, body);
		json_decref(body);
	}
	json_decref(page->items);
	free(page->next);
}

static void reply_one(struct hg_request *req, enum hg_status st, json_t *item, const char *what, int status)
{
	if (st != HG_OK) {
		hg_reply_status(req, st, what);
		return;
	}
	hg_set_etag(req, item);
	hg_reply_json(req, status, item);
}

/* ---- schools ---- */

void h_roster_school_list(struct hg_request *req)
{
	struct store_page page;
	struct hg_cursor after;
	const char *status;
	if (!page_or_reply(req, &page, &after) || !status_or_reply(req, &status))
		return;
	enum hg_status st = store_school_list(&req->svc->pool, &req->who, status, &page);
	reply_page(req, st, &page, "school");
}

void h_roster_school_get(struct hg_request *req)
{
	json_t *out = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", "school");
	if (id == NULL)
		return;
	enum hg_status st = store_school_get(&req->svc->pool, &req->who, id, &out);
	reply_one(req, st, out, "school", 200);
	json_decref(out);
}

void h_roster_school_update(struct hg_request *req)
{
	json_t *body = NULL, *changes = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *id = hg_uuid_param_or_reply(req, "id", "school");

	if (id == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	changes = school_validate_patch(body, errs);
	if (changes == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st =
		store_school_update(&req->svc->pool, &req->who, id, changes, hg_header(req, "If-Match"), &out);
	reply_one(req, st, out, "school", 200);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(changes);
	json_decref(out);
}

/* ---- educators ---- */

void h_roster_educator_list(struct hg_request *req)
{
	struct store_page page;
	struct hg_cursor after;
	struct educator_filter filter;
	if (!page_or_reply(req, &page, &after) || !status_or_reply(req, &filter.status))
		return;
	filter.school_id = hg_query(req, "school_id");
	filter.role = hg_query(req, "role");
	filter.q = hg_query(req, "q");
	if (filter.school_id != NULL && !hg_is_uuid(filter.school_id)) {
		hg_reply_problem(req, HG_BAD_REQUEST, "school_id must be a UUID");
		return;
	}
	if (filter.role != NULL && !educator_role_valid(filter.role)) {
		hg_reply_problem(req, HG_BAD_REQUEST, "role must be teacher, school_leader or district_admin");
		return;
	}
	if (filter.q != NULL && (filter.q[0] == '\0' || hg_utf8_len(filter.q) > EDUCATOR_QUERY_MAX)) {
		hg_reply_problem(req, HG_BAD_REQUEST, "q must be 1 to %d characters", EDUCATOR_QUERY_MAX);
		return;
	}
	enum hg_status st = store_educator_list(&req->svc->pool, &req->who, &filter, &page);
	reply_page(req, st, &page, "educator");
}

void h_roster_educator_get(struct hg_request *req)
{
	json_t *out = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", "educator");
	if (id == NULL)
		return;
	enum hg_status st = store_educator_get(&req->svc->pool, &req->who, id, &out);
	reply_one(req, st, out, "educator", 200);
	json_decref(out);
}

void h_roster_educator_update(struct hg_request *req)
{
	json_t *body = NULL, *changes = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *id = hg_uuid_param_or_reply(req, "id", "educator");
	char today[16];
	time_t now = time(NULL);
	struct tm tm;

	if (id == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	changes = educator_validate_patch(body, today, errs);
	if (changes == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st =
		store_educator_update(&req->svc->pool, &req->who, id, changes, hg_header(req, "If-Match"), &out);
	reply_one(req, st, out, "educator", 200);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(changes);
	json_decref(out);
}

/* ---- academic sessions ---- */

void h_roster_session_list(struct hg_request *req)
{
	struct store_page page;
	struct hg_cursor after;
	const char *status;
	if (!page_or_reply(req, &page, &after) || !status_or_reply(req, &status))
		return;
	enum hg_status st = store_session_list(&req->svc->pool, &req->who, status, &page);
	reply_page(req, st, &page, "academic session");
}
