/* request.h - one HTTP request as handlers see it, and the parsers of its input.
 *
 * The server (server.c) fills a struct hg_request for every request and
 * hands it to the route's handler. Handlers reach what they need through it:
 * the caller (who), the service's database pool and settings, the matched
 * route (and its arg). Input is read with the *_or_reply parsers, which
 * write the problem+json answer themselves and return NULL/0, so a handler
 * just returns.
 */
#ifndef HG_REQUEST_H
#define HG_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <ulfius.h>

#include "common/auth.h"
#include "common/etag.h"
#include "common/page.h"
#include "common/route.h"
#include "common/validate.h"

struct hg_db_pool;
struct hg_probes;
struct hg_idem;
struct hg_record_call;
struct hg_request;

/*
 * How a handler answers its write once it succeeded (common/write.h). When the request carries an
 * Idempotency-Key, it is called inside the write's transaction, before COMMIT, so that the answer stored
 * with the change is the one sent.
 */
typedef void (*hg_answer_fn)(struct hg_request *req, const struct hg_record_call *call, const void *arg);

struct hg_answer {
	hg_answer_fn fn;
	const void *arg;
	const struct hg_record_call *call;
};

struct hg_request {
	const struct _u_request *u;
	struct _u_response *resp;
	const struct hg_route *route;
	struct hg_path_params params;
	struct hg_principal who; /* filled for authenticated routes */
	char request_id[65];
	size_t max_body;                /* largest JSON body */
	size_t max_upload;              /* largest non-JSON body any route reads */
	struct hg_db_pool *pool;        /* the service's database */
	const void *settings;           /* the service's own settings (read-only), or NULL */
	const struct hg_probes *probes; /* what /readyz and /metrics look at */
	struct hg_idem *idem;           /* the Idempotency-Key of a POST, or NULL */
	struct hg_answer answer;        /* the answer of the handler's write (hg_write_begin) */
	int replied;
};

/* Request header (case-insensitive) or NULL; borrowed. */
const char *hg_header(const struct hg_request *req, const char *name);
/* Query parameter or NULL; borrowed. */
const char *hg_query(const struct hg_request *req, const char *name);
/* Path parameter of the matched route; borrowed, "" for a name the route does not declare. */
const char *hg_param(const struct hg_request *req, const char *name);

/*
 * The request body as a JSON object (new reference), or NULL after replying
 * 413 (too large), 415 (not JSON), 400 (malformed, with line/column/position)
 * or 422 (not an object).
 */
json_t *hg_body_object_or_reply(struct hg_request *req);

/*
 * An optional body: *body NULL when there is none (no Content-Length or 0
 * and no Content-Type), else as hg_body_object_or_reply. Returns 0 after
 * replying to a bad body.
 */
int hg_body_optional_or_reply(struct hg_request *req, json_t **body);

/*
 * A non-JSON request body of the given media type (e.g. "application/zip"),
 * at most max bytes (at most the server's max_upload). Returns 1 with *data
 * and *len borrowed from the request, or 0 after replying 413 (too large),
 * 415 (another type) or 400 (empty).
 */
int hg_body_raw_or_reply(struct hg_request *req, const char *media_type, size_t max, const void **data, size_t *len);

/* What a validator knows besides the body: who asks, and when (UTC). */
void hg_input_of(const struct hg_request *req, struct hg_input *in);

/*
 * The body validated: body → validate → 422 with every bad field, in one
 * call. Returns the validator's normalised object (new reference), or NULL
 * after replying (a bad body or a 422). An absent body counts as {} when
 * optional.
 */
json_t *hg_validated_or_reply(struct hg_request *req, hg_validate_fn validate, int optional);

/* ?limit= (HG_PAGE_DEFAULT when absent, 1 to HG_PAGE_MAX) and ?cursor= into page, or reply 400 and return 0. */
int hg_page_or_reply(struct hg_request *req, struct hg_page *page);

/*
 * The checks of the query parameters below without the reply: each bad one appended to errs as
 * {"field": name, "reason"}, so a handler names every bad parameter in one 400 (hg_reply_bad_params). 1 when good.
 */
int hg_page_check(struct hg_request *req, struct hg_page *page, json_t *errs);
int hg_query_enum_check(struct hg_request *req, const char *name, const char *const *choices, json_t *errs,
			const char **out);
int hg_query_uuid_check(struct hg_request *req, const char *name, json_t *errs, const char **out);

/* ?limit= within [1, max] (def when absent) into *out, or reply 400 and return 0. */
int hg_limit_or_reply(struct hg_request *req, long def, long max, long *out);

/* If-Match as versions (an absent header allows any version). */
void hg_if_match(const struct hg_request *req, struct hg_precondition *out);

/* The path parameter name when it is a UUID (lower case in id, 37 bytes); otherwise reply 404 "<what> not found". */
int hg_uuid_param_or_reply(struct hg_request *req, const char *name, const char *what, char *id);

/*
 * ?name= as one of choices (NULL-terminated) into *out (NULL when absent),
 * or reply 400 "<name> must be a, b or c" (built from the table) and return 0.
 */
int hg_query_enum_or_reply(struct hg_request *req, const char *name, const char *const *choices, const char **out);

/* ?name= as a UUID (NULL when absent), or reply 400 "<name> must be a UUID" and return 0. */
int hg_query_uuid_or_reply(struct hg_request *req, const char *name, const char **out);

/* Is the principal allowed any of roles? */
int hg_has_role(const struct hg_request *req, unsigned roles);

#endif
