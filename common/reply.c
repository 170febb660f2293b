/* reply.c - every way a handler answers. */
#include "common/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/etag.h"
#include "common/log.h"
#include "common/problem.h"
#include "common/xmalloc.h"

void hg_set_header(struct hg_request *req, const char *name, const char *value)
{
	u_map_put(req->resp->map_header, name, value);
}

void hg_reply_reset(struct hg_request *req)
{
	u_map_clean(req->resp->map_header);
	u_map_init(req->resp->map_header);
	ulfius_set_empty_body_response(req->resp, 500);
	req->replied = 0;
}

static void reply_body(struct hg_request *req, int status, const char *content_type, const char *body)
{
	if (ulfius_set_string_body_response(req->resp, (unsigned)status, body) != U_OK) {
		req->resp->status = 500;
		hg_log(HG_LOG_ERROR, "cannot set the response body");
	}
	if (content_type != NULL)
		hg_set_header(req, "Content-Type", content_type);
	req->replied = 1;
}

void hg_reply_text(struct hg_request *req, int status, const char *content_type, const char *text)
{
	reply_body(req, status, content_type, text);
}

static void reply_json_typed(struct hg_request *req, int status, json_t *body, const char *content_type)
{
	char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : NULL;
	if (text == NULL) {
		hg_log(HG_LOG_ERROR, "cannot serialise the response");
		reply_body(req, 500, "application/problem+json",
			   "{\"type\":\"" HG_PROBLEM_TYPE_BASE "internal-error\",\"title\":\"Internal Server "
			   "Error\",\"status\":500}");
		return;
	}
	reply_body(req, status, content_type, text);
	free(text);
}

void hg_reply_json(struct hg_request *req, int status, json_t *body)
{
	reply_json_typed(req, status, body, "application/json");
}

void hg_reply_empty(struct hg_request *req, int status)
{
	ulfius_set_empty_body_response(req->resp, (unsigned)status);
	req->replied = 1;
}

/* A problem for st; errors stolen; reason (may be NULL) becomes the "reason" member. */
static void reply_problem_doc(struct hg_request *req, enum hg_status st, const char *detail, json_t *errors,
			      const char *reason)
{
	json_t *p = hg_problem_new(st, detail, req->u->url_path, req->request_id, errors);
	if (p != NULL && reason != NULL)
		json_object_set_new(p, "reason", json_string(reason));
	reply_json_typed(req, hg_status_http(st), p, "application/problem+json");
	json_decref(p);
}

void hg_reply_problem(struct hg_request *req, enum hg_status st, const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	reply_problem_doc(req, st, detail, NULL, NULL);
}

void hg_reply_problem_field(struct hg_request *req, enum hg_status st, const char *field, const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	reply_problem_doc(req, st, detail, json_pack("[{s:s, s:s}]", "field", field, "reason", detail), NULL);
}

void hg_reply_problem_doc(struct hg_request *req, json_t *problem)
{
	json_t *status = json_object_get(problem, "status");
	reply_json_typed(req, json_is_integer(status) ? (int)json_integer_value(status) : 500, problem,
			 "application/problem+json");
}

void hg_reply_invalid(struct hg_request *req, json_t *errors)
{
	size_t n = json_array_size(errors);
	char detail[128];
	snprintf(detail, sizeof(detail), "%zu field%s invalid", n, n == 1 ? " is" : "s are");
	reply_problem_doc(req, HG_INVALID, detail, errors, NULL);
}

void hg_reply_bad_params(struct hg_request *req, json_t *errors)
{
	size_t n = json_array_size(errors);
	json_t *first = json_array_get(errors, 0);
	char detail[256];
	snprintf(detail, sizeof(detail), "%zu query parameter%s invalid; %s %s", n, n == 1 ? " is" : "s are",
		 json_string_value(json_object_get(first, "field")),
		 json_string_value(json_object_get(first, "reason")));
	reply_problem_doc(req, HG_BAD_REQUEST, detail, errors, NULL);
}

void hg_reply_status(struct hg_request *req, enum hg_status st, const char *what)
{
	switch (st) {
	case HG_NOT_FOUND:
		hg_reply_problem(req, st, "%s not found", what);
		break;
	case HG_CONFLICT:
		hg_reply_problem(req, st, "%s conflicts with the current state", what);
		break;
	case HG_PRECONDITION_FAILED:
		hg_reply_problem(req, st, "If-Match does not match the current ETag of the %s", what);
		break;
	case HG_FORBIDDEN:
		hg_reply_problem(req, st, "not allowed to change this %s", what);
		break;
	case HG_INVALID:
		hg_reply_problem(req, st, "%s is invalid", what);
		break;
	case HG_UNAVAILABLE:
	case HG_RETRY:
		hg_set_header(req, "Retry-After", "1");
		hg_reply_problem(req, st, "the database is unavailable; try again");
		break;
	default:
		hg_reply_problem(req, HG_INTERNAL, "internal error (request %s)", req->request_id);
		break;
	}
}

void hg_reply_refusal(struct hg_request *req, const struct hg_reason *why)
{
	reply_problem_doc(req, why->status, why->detail, NULL, why->code);
}

void hg_reply_refusal_field(struct hg_request *req, const struct hg_reason *why, const char *field)
{
	json_t *errors = json_pack("[{s:s, s:s}]", "field", field, "reason", why->detail);
	reply_problem_doc(req, HG_INVALID, "1 field is invalid", errors, why->code);
}

void hg_reply_failure(struct hg_request *req, enum hg_status st, const struct hg_reason *why, const char *what)
{
	if (why != NULL && why->status != HG_OK)
		hg_reply_refusal(req, why);
	else
		hg_reply_status(req, st, what);
}

void hg_set_etag(struct hg_request *req, json_t *obj)
{
	char etag[32];
	hg_etag_format((long)json_integer_value(json_object_get(obj, "version")), etag, sizeof(etag));
	hg_set_header(req, "ETag", etag);
}

void hg_reply_record(struct hg_request *req, int status, json_t *record)
{
	/* Only a record with a version can be changed conditionally. */
	if (json_is_integer(json_object_get(record, "version")))
		hg_set_etag(req, record);
	hg_reply_json(req, status, record);
}

void hg_reply_created(struct hg_request *req, const char *collection, json_t *record)
{
	char *location = xasprintf("%s/%s", collection, json_string_value(json_object_get(record, "id")));
	hg_set_header(req, "Location", location);
	free(location);
	hg_reply_record(req, 201, record);
}

void hg_reply_page(struct hg_request *req, const struct hg_page *page)
{
	json_t *items = page->items ? json_incref(page->items) : json_array();
	json_t *body = json_pack("{s:o, s:s?}", "data", items, "next_cursor", page->next);
	hg_reply_json(req, 200, body);
	json_decref(body);
}

void hg_reply_page_texts(struct hg_request *req, char *const *items, size_t n, const char *next, const char *extra)
{
	json_t *cursor = next ? json_string(next) : json_null();
	char *cursor_text = json_dumps(cursor, JSON_ENCODE_ANY);
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (f != NULL && cursor_text != NULL) {
		fputs("{\"data\":[", f);
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				fputc(',', f);
			fputs(items[i], f);
		}
		fprintf(f, "],\"next_cursor\":%s%s}", cursor_text, extra ? extra : "");
	}
	int ok = f != NULL && cursor_text != NULL && !ferror(f);
	if (f != NULL)
		fclose(f); /* body and len are set by the close */
	if (ok)
		reply_body(req, 200, "application/json", body);
	else
		hg_reply_problem(req, HG_INTERNAL, "cannot build the page");
	free(body);
	free(cursor_text);
	json_decref(cursor);
}
