/* http.h - the HTTP layer over ulfius: server, dispatch, replies, input.
 *
 * One ulfius default endpoint receives every request and dispatches it
 * through the service's route table, so unknown routes (404), wrong methods
 * (405 with Allow), authentication (401/403), request ids, metrics and the
 * access log are handled in one place for every service. Handlers read input
 * with the *_or_reply helpers, which write the problem+json answer themselves
 * and return NULL/false, so a handler just returns.
 */
#ifndef HG_HTTP_H
#define HG_HTTP_H

#include <jansson.h>
#include <stdint.h>
#include <ulfius.h>

#include "auth.h"
#include "config.h"
#include "cursor.h"
#include "etag.h"
#include "route.h"
#include "status.h"

struct hg_service;

struct hg_request {
	const struct _u_request *u;
	struct _u_response *resp;
	struct hg_service *svc;
	const struct hg_route *route;
	struct hg_path_params params;
	struct hg_principal who; /* filled for authenticated routes */
	char request_id[65];
	size_t max_body;
	int replied;
};

struct hg_http {
	struct _u_instance inst;
	const struct hg_route *routes;
	size_t nroutes;
	struct hg_service *svc;
	const struct hg_auth *auth;
	size_t max_body;
	int running;
};

/* Listen on cfg's address and port with cfg's thread pool. -1 with err on failure. */
int hg_http_start(struct hg_http *http, const struct hg_config *cfg, struct hg_service *svc,
		  const struct hg_auth *auth, const struct hg_route *routes, size_t nroutes, char *err,
		  size_t errlen);
/* Stop accepting, wait for in-flight requests, free the instance. */
void hg_http_stop(struct hg_http *http);

/* ---- replies (each sets the status, body and content type) ---- */

/* JSON body (borrowed) with status. */
void hg_reply_json(struct hg_request *req, int status, json_t *body);
/* No body (204 and the like). */
void hg_reply_empty(struct hg_request *req, int status);
/* A text body of the given content type. */
void hg_reply_text(struct hg_request *req, int status, const char *content_type, const char *text);
/* problem+json for st with a formatted detail. */
void hg_reply_problem(struct hg_request *req, enum hg_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 422 validation failure; errors (stolen) is the array of {"field","reason"}. */
void hg_reply_invalid(struct hg_request *req, json_t *errors);
/* A problem document (borrowed) from hg_problem_new, e.g. with extension members. */
void hg_reply_problem_doc(struct hg_request *req, json_t *problem);
/* Reply for a store/domain status with a detail that fits it (404 "resource not found", ...). */
void hg_reply_status(struct hg_request *req, enum hg_status st, const char *what);
/* Add a response header. */
void hg_set_header(struct hg_request *req, const char *name, const char *value);

/* ---- input ---- */

/* Request header (case-insensitive) or NULL; borrowed. */
const char *hg_header(const struct hg_request *req, const char *name);
/* Query parameter or NULL; borrowed. */
const char *hg_query(const struct hg_request *req, const char *name);
/* Path parameter of the matched route; borrowed, never NULL for a declared name. */
const char *hg_param(const struct hg_request *req, const char *name);

/*
 * The request body as a JSON object (new reference), or NULL after replying
 * 413 (too large), 415 (not JSON), 400 (malformed, with line/column/position)
 * or 422 (not an object).
 */
json_t *hg_body_object_or_reply(struct hg_request *req);

/*
 * A non-JSON request body of the given media type (e.g. "application/zip"),
 * at most max bytes (the service must have raised svc->max_upload to allow
 * it). Returns 1 with *data and *len borrowed from the request, or 0 after
 * replying 413 (too large), 415 (another type) or 400 (empty).
 */
int hg_body_raw_or_reply(struct hg_request *req, const char *media_type, size_t max, const void **data,
			 size_t *len);

/* ?limit= within [1, max] (def when absent) into *out, or reply 400 and return 0. */
int hg_limit_or_reply(struct hg_request *req, long def, long max, long *out);

/* Does the request's If-Match allow changing a row at version? (absent: yes) */
int hg_if_match(const struct hg_request *req, long version);

/* The path parameter name when it is a UUID; otherwise reply 404 ("<what> not found") and return NULL. */
const char *hg_uuid_param_or_reply(struct hg_request *req, const char *name, const char *what);

/* ?cursor= decoded into *after (*has says whether one was given), or reply 400 and return 0. */
int hg_cursor_or_reply(struct hg_request *req, struct hg_cursor *after, int *has);

/* ETag: "<version>" from obj's "version" member. */
void hg_set_etag(struct hg_request *req, json_t *obj);

/* 201 with the new record (borrowed): Location "<collection>/<its id>" and its ETag. */
void hg_reply_created(struct hg_request *req, const char *collection, json_t *record);

/* 200 {"data": items, "next_cursor": next or null}; items is borrowed. */
void hg_reply_page(struct hg_request *req, json_t *items, const char *next);

/*
 * The same page from n items that are JSON texts already (PostgreSQL's json output, passed through without
 * a parse and a re-serialisation); extra is NULL or more members, each preceded by a comma.
 */
void hg_reply_page_texts(struct hg_request *req, char *const *items, size_t n, const char *next,
			 const char *extra);

/* Is the principal allowed any of roles? */
int hg_has_role(const struct hg_request *req, unsigned roles);

#endif
