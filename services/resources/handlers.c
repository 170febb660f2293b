/* handlers.c - HTTP in and out for library resources. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>

#include "cursor.h"
#include "library.h"
#include "service.h"
#include "store.h"
#include "xmalloc.h"

#define WHAT "resource"

static void set_etag(struct hg_request *req, json_t *resource)
{
	char etag[32];
	snprintf(etag, sizeof(etag), "\"%lld\"", (long long)json_integer_value(json_object_get(resource, "version")));
	hg_set_header(req, "ETag", etag);
}

/* The {id} of the path when it is a UUID; otherwise reply 404 and return NULL. */
static const char *id_or_reply(struct hg_request *req)
{
	const char *id = hg_param(req, "id");
	if (!hg_is_uuid(id)) {
		hg_reply_status(req, HG_NOT_FOUND, WHAT);
		return NULL;
	}
	return id;
}

void h_library_create(struct hg_request *req)
{
	json_t *body = NULL, *fields = NULL, *out = NULL;
	json_t *errs = json_array();
	enum hg_status st;

	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	fields = library_validate_create(body, errs);
	if (fields == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	st = store_resource_create(&req->svc->pool, &req->who, fields, &out);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	char *location = xasprintf("/v1/library/resources/%s", json_string_value(json_object_get(out, "id")));
	hg_set_header(req, "Location", location);
	free(location);
	set_etag(req, out);
	hg_reply_json(req, 201, out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(fields);
	json_decref(out);
}

void h_library_list(struct hg_request *req)
{
	struct hg_cursor after;
	const char *cursor = hg_query(req, "cursor");
	json_t *items = NULL, *page = NULL;
	char *next = NULL;
	long limit;

	if (!hg_limit_or_reply(req, LIBRARY_PAGE_DEFAULT, LIBRARY_PAGE_MAX, &limit))
		goto out;
	if (cursor != NULL && hg_cursor_decode(cursor, &after) != HG_OK) {
		hg_reply_problem(req, HG_BAD_REQUEST, "cursor is not one this API returned");
		goto out;
	}
	enum hg_status st =
		store_resource_list(&req->svc->pool, &req->who, cursor ? &after : NULL, limit, &items, &next);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	page = json_pack("{s:O, s:s?}", "data", items, "next_cursor", next);
	hg_reply_json(req, 200, page);
out:
	json_decref(items);
	json_decref(page);
	free(next);
}

void h_library_get(struct hg_request *req)
{
	json_t *out = NULL;
	const char *id = id_or_reply(req);
	if (id == NULL)
		return;
	enum hg_status st = store_resource_get(&req->svc->pool, &req->who, id, &out);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		return;
	}
	set_etag(req, out);
	hg_reply_json(req, 200, out);
	json_decref(out);
}

void h_library_update(struct hg_request *req)
{
	json_t *body = NULL, *changes = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *id = id_or_reply(req);

	if (id == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	changes = library_validate_patch(body, errs);
	if (changes == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st =
		store_resource_update(&req->svc->pool, &req->who, id, changes, hg_header(req, "If-Match"), &out);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		goto out;
	}
	set_etag(req, out);
	hg_reply_json(req, 200, out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(changes);
	json_decref(out);
}

void h_library_delete(struct hg_request *req)
{
	const char *id = id_or_reply(req);
	if (id == NULL)
		return;
	enum hg_status st = store_resource_delete(&req->svc->pool, &req->who, id, hg_header(req, "If-Match"));
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		return;
	}
	hg_reply_empty(req, 204);
}
