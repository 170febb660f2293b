/* catalog_http.c - request and reply helpers the catalog handlers share. */
#include "catalog_http.h"

#include <stdio.h>
#include <stdlib.h>

#include "auth.h"

const char *catalog_id_or_reply(struct hg_request *req, const char *name, const char *what)
{
	const char *id = hg_param(req, name);
	if (!hg_is_uuid(id)) {
		hg_reply_status(req, HG_NOT_FOUND, what);
		return NULL;
	}
	return id;
}

void catalog_set_etag(struct hg_request *req, json_t *obj)
{
	char etag[32];
	snprintf(etag, sizeof(etag), "\"%lld\"", (long long)json_integer_value(json_object_get(obj, "version")));
	hg_set_header(req, "ETag", etag);
}

int catalog_cursor_or_reply(struct hg_request *req, struct hg_cursor *after, int *has)
{
	const char *cursor = hg_query(req, "cursor");
	*has = cursor != NULL;
	if (cursor != NULL && hg_cursor_decode(cursor, after) != HG_OK) {
		hg_reply_problem(req, HG_BAD_REQUEST, "cursor is not one this API returned");
		return 0;
	}
	return 1;
}

void catalog_reply_page(struct hg_request *req, json_t *items, const char *next)
{
	json_t *page = json_pack("{s:O, s:s?}", "data", items, "next_cursor", next);
	hg_reply_json(req, 200, page);
	json_decref(page);
}

void catalog_reply_failure(struct hg_request *req, enum hg_status st, const char *why, const char *what)
{
	if (why != NULL && (st == HG_CONFLICT || st == HG_FORBIDDEN || st == HG_INVALID))
		hg_reply_problem(req, st, "%s", why);
	else
		hg_reply_status(req, st, what);
}

int catalog_optional_body_or_reply(struct hg_request *req, json_t **body)
{
	*body = NULL;
	if (req->u->binary_body_length == 0 && hg_header(req, "Content-Type") == NULL)
		return 1;
	*body = hg_body_object_or_reply(req);
	return *body != NULL;
}
