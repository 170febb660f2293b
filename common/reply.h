/* reply.h - every way a handler answers: JSON, records, pages, problems.
 *
 * Each reply sets the status, the body and its content type, and marks the
 * request replied. Problems are RFC 9457 application/problem+json with the
 * request path as instance and the request id.
 */
#ifndef HG_REPLY_H
#define HG_REPLY_H

#include <jansson.h>

#include "common/page.h"
#include "common/reason.h"
#include "common/request.h"
#include "common/status.h"

/* Add a response header. */
void hg_set_header(struct hg_request *req, const char *name, const char *value);
/* Forget what was answered so far (headers, body, status): an answer made inside a transaction that then
 * failed to commit is replaced. */
void hg_reply_reset(struct hg_request *req);

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
/*
 * A problem for st (400 bad-request, 400 malformed-json, ...) about one field, parameter or header: the formatted
 * detail, and errors [{"field": field, "reason": detail}] ("" for the body as a whole), as every 400 and 422 lists.
 */
void hg_reply_problem_field(struct hg_request *req, enum hg_status st, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* 400 naming every bad query parameter; errors (stolen) holds {"field","reason"} entries. */
void hg_reply_bad_params(struct hg_request *req, json_t *errors);
/* A problem document (borrowed) from hg_problem_new, e.g. with extension members. */
void hg_reply_problem_doc(struct hg_request *req, json_t *problem);
/* Reply for a status with a detail that fits it ("<what> not found", ...). */
void hg_reply_status(struct hg_request *req, enum hg_status st, const char *what);
/* A rule's refusal: its status, its detail, and its code as the problem's "reason" member. */
void hg_reply_refusal(struct hg_request *req, const struct hg_reason *why);
/* A rule's refusal of one field of the body: 422 naming field (with the detail as its reason) and the code. */
void hg_reply_refusal_field(struct hg_request *req, const struct hg_reason *why, const char *field);
/* A failed call: the refusal when why is set, else hg_reply_status(st, what). */
void hg_reply_failure(struct hg_request *req, enum hg_status st, const struct hg_reason *why, const char *what);

/* ETag: "<version>" from obj's "version" member. */
void hg_set_etag(struct hg_request *req, json_t *obj);
/* status with a record (borrowed) and its ETag (when it has a version). */
void hg_reply_record(struct hg_request *req, int status, json_t *record);
/* 201 with the new record (borrowed): Location "<collection>/<its id>" and its ETag. */
void hg_reply_created(struct hg_request *req, const char *collection, json_t *record);
/* 200 {"data": page->items, "next_cursor": page->next or null}. */
void hg_reply_page(struct hg_request *req, const struct hg_page *page);

/*
 * The same page from n items that are JSON texts already (PostgreSQL's json output, passed through without
 * a parse and a re-serialisation); extra is NULL or more members, each preceded by a comma.
 */
void hg_reply_page_texts(struct hg_request *req, char *const *items, size_t n, const char *next, const char *extra);

#endif
