/* review_handlers.c - HTTP in and out for reviews and content checks of library resources. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cursor.h"
#include "library.h"
#include "review.h"
#include "review_store.h"
#include "service.h"
#include "xmalloc.h"

void h_review_create(struct hg_request *req)
{
	json_t *body = NULL, *fields = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *rid = hg_uuid_param_or_reply(req, "id", "resource");
	enum hg_status st;

	if (rid == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	fields = review_validate_create(body, errs);
	if (fields == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	st = review_store_create(&req->svc->pool, &req->who, rid, fields, &out);
	if (st == HG_CONFLICT) {
		hg_reply_problem(req, st, "you have already reviewed this resource; change your review instead");
		goto out;
	}
	if (st != HG_OK) {
		hg_reply_status(req, st, "resource");
		goto out;
	}
	char *reviews = xasprintf("/v1/library/resources/%s/reviews", rid);
	hg_reply_created(req, reviews, out);
	free(reviews);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(fields);
	json_decref(out);
}

void h_review_list(struct hg_request *req)
{
	struct hg_cursor after;
	const char *cursor = hg_query(req, "cursor");
	const char *rid = hg_uuid_param_or_reply(req, "id", "resource");
	json_t *items = NULL, *page = NULL;
	char *next = NULL;
	long limit;

	if (rid == NULL)
		goto out;
	if (!hg_limit_or_reply(req, LIBRARY_PAGE_DEFAULT, LIBRARY_PAGE_MAX, &limit))
		goto out;
	if (cursor != NULL && hg_cursor_decode(cursor, &after) != HG_OK) {
		hg_reply_problem(req, HG_BAD_REQUEST, "cursor is not one this API returned");
		goto out;
	}
	enum hg_status st =
		review_store_list(&req->svc->pool, &req->who, rid, cursor ? &after : NULL, limit, &items, &next);
	if (st != HG_OK) {
		hg_reply_status(req, st, "resource");
		goto out;
	}
	page = json_pack("{s:O, s:s?}", "data", items, "next_cursor", next);
	hg_reply_json(req, 200, page);
out:
	json_decref(items);
	json_decref(page);
	free(next);
}

void h_review_get(struct hg_request *req)
{
	json_t *out = NULL;
	const char *rid = hg_uuid_param_or_reply(req, "id", "review");
	const char *vid = rid ? hg_uuid_param_or_reply(req, "review_id", "review") : NULL;
	if (vid == NULL)
		return;
	enum hg_status st = review_store_get(&req->svc->pool, &req->who, rid, vid, &out);
	if (st != HG_OK) {
		hg_reply_status(req, st, "review");
		return;
	}
	hg_set_etag(req, out);
	hg_reply_json(req, 200, out);
	json_decref(out);
}

void h_review_update(struct hg_request *req)
{
	json_t *body = NULL, *changes = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *rid = hg_uuid_param_or_reply(req, "id", "review");
	const char *vid = rid ? hg_uuid_param_or_reply(req, "review_id", "review") : NULL;
	enum hg_status st;

	if (vid == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	changes = review_validate_patch(body, errs);
	if (changes == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	st = review_store_update(&req->svc->pool, &req->who, rid, vid, changes, hg_header(req, "If-Match"), &out);
	if (st == HG_FORBIDDEN) {
		hg_reply_problem(req, st, "only the educator who wrote a review may change it");
		goto out;
	}
	if (st != HG_OK) {
		hg_reply_status(req, st, "review");
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

void h_content_check_create(struct hg_request *req)
{
	json_t *body = NULL, *fields = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *rid = hg_uuid_param_or_reply(req, "id", "resource");
	enum hg_status st;

	if (rid == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	fields = content_check_validate(body, hg_date_utc((long long)time(NULL)), errs);
	if (fields == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	st = content_check_store_create(&req->svc->pool, &req->who, rid, fields, &out);
	if (st != HG_OK) {
		hg_reply_status(req, st, "resource");
		goto out;
	}
	hg_reply_json(req, 201, out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(fields);
	json_decref(out);
}
