/* handlers.c - HTTP in and out for library resources. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>

#include "library.h"
#include "problem.h"
#include "search.h"
#include "search_store.h"
#include "service.h"
#include "store.h"
#include "xmalloc.h"

#define WHAT "resource"

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
	hg_reply_created(req, "/v1/library/resources", out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(fields);
	json_decref(out);
}

/* Every query parameter as parallel arrays (borrowed from the request). */
static size_t query_pairs(struct hg_request *req, const char ***keys, const char ***values)
{
	const struct _u_map *map = req->u->map_url;
	size_t n = map != NULL ? (size_t)u_map_count(map) : 0;
	*keys = xcalloc(n + 1, sizeof(**keys));
	*values = xcalloc(n + 1, sizeof(**values));
	for (size_t i = 0; i < n; i++) {
		(*keys)[i] = map->keys[i];
		(*values)[i] = map->values[i];
	}
	return n;
}

/* 400 naming every bad query parameter; errs (stolen) holds {"field","reason"} entries. */
static void reply_bad_params(struct hg_request *req, json_t *errs)
{
	size_t n = json_array_size(errs);
	json_t *first = json_array_get(errs, 0);
	char detail[256];
	snprintf(detail, sizeof(detail), "%zu query parameter%s invalid; %s %s", n, n == 1 ? " is" : "s are",
		 json_string_value(json_object_get(first, "field")), json_string_value(json_object_get(first, "reason")));
	json_t *p = hg_problem_new(HG_BAD_REQUEST, detail, req->u->url_path, req->request_id, errs);
	hg_reply_json(req, hg_status_http(HG_BAD_REQUEST), p);
	hg_set_header(req, "Content-Type", "application/problem+json");
	json_decref(p);
}

void h_library_list(struct hg_request *req)
{
	struct search_query q;
	const char **keys = NULL, **values = NULL;
	size_t n = query_pairs(req, &keys, &values);
	json_t *errs = json_array();
	struct search_page page;
	enum hg_status st;

	st = search_query_parse(keys, values, n, &q, errs);
	if (st != HG_OK) {
		reply_bad_params(req, errs);
		errs = NULL;
		goto out;
	}
	st = search_store_list(&req->svc->pool, &req->who, &q, &page);
	if (st != HG_OK)
		hg_reply_status(req, st, WHAT);
	else
		hg_reply_page_texts(req, page.rows, page.n, page.next, page.facets);
	search_page_free(&page);
out:
	search_query_cleanup(&q);
	free(keys);
	free(values);
	json_decref(errs);
}

void h_library_get(struct hg_request *req)
{
	json_t *out = NULL;
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);
	if (id == NULL)
		return;
	enum hg_status st = store_resource_get(&req->svc->pool, &req->who, id, &out);
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		return;
	}
	hg_set_etag(req, out);
	hg_reply_json(req, 200, out);
	json_decref(out);
}

void h_library_update(struct hg_request *req)
{
	json_t *body = NULL, *changes = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);

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
	hg_set_etag(req, out);
	hg_reply_json(req, 200, out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(changes);
	json_decref(out);
}

void h_library_delete(struct hg_request *req)
{
	const char *id = hg_uuid_param_or_reply(req, "id", WHAT);
	if (id == NULL)
		return;
	enum hg_status st = store_resource_delete(&req->svc->pool, &req->who, id, hg_header(req, "If-Match"));
	if (st != HG_OK) {
		hg_reply_status(req, st, WHAT);
		return;
	}
	hg_reply_empty(req, 204);
}
