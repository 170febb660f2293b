/* status.h - the one result vocabulary of the codebase.
 *
 * Every fallible function returns an enum hg_status and writes its results to
 * out-parameters. Each status carries the HTTP status it becomes at the edge,
 * the stable problem type slug (RFC 9457 "type") and its title.
 */
#ifndef HG_STATUS_H
#define HG_STATUS_H

/* X(name, http status, problem slug, title) */
#define HG_STATUS_MAP(X)                                                                      \
	X(HG_OK, 200, "ok", "OK")                                                             \
	X(HG_BAD_REQUEST, 400, "bad-request", "Bad Request")                                  \
	X(HG_MALFORMED_JSON, 400, "malformed-json", "Malformed JSON")                         \
	X(HG_UNAUTHORIZED, 401, "unauthorized", "Unauthorized")                               \
	X(HG_FORBIDDEN, 403, "forbidden", "Forbidden")                                        \
	X(HG_NOT_FOUND, 404, "not-found", "Not Found")                                        \
	X(HG_METHOD_NOT_ALLOWED, 405, "method-not-allowed", "Method Not Allowed")             \
	X(HG_CONFLICT, 409, "conflict", "Conflict")                                           \
	X(HG_PRECONDITION_FAILED, 412, "precondition-failed", "Precondition Failed")          \
	X(HG_PAYLOAD_TOO_LARGE, 413, "payload-too-large", "Payload Too Large")                \
	X(HG_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported-media-type", "Unsupported Media Type") \
	X(HG_INVALID, 422, "validation-failed", "Validation Failed")                          \
	X(HG_INTERNAL, 500, "internal-error", "Internal Server Error")                        \
	X(HG_UNAVAILABLE, 503, "service-unavailable", "Service Unavailable")                  \
	X(HG_RETRY, 503, "service-unavailable", "Service Unavailable")

/* an enum made by an X-macro */
/* clang-format off */
enum hg_status {
#define HG_STATUS_ENUM(name, http, slug, title) name,
	HG_STATUS_MAP(HG_STATUS_ENUM)
#undef HG_STATUS_ENUM
	HG_STATUS_COUNT
};
/* clang-format on */

/* HTTP status for st (500 for an unknown value). */
int hg_status_http(enum hg_status st);
/* Problem type slug, e.g. "not-found". Never NULL. */
const char *hg_status_slug(enum hg_status st);
/* Human title, e.g. "Not Found". Never NULL. */
const char *hg_status_title(enum hg_status st);
/* Upper-case enum name, e.g. "HG_NOT_FOUND", for logs. Never NULL. */
const char *hg_status_name(enum hg_status st);

#endif
