/* http.c - the HTTP layer over ulfius: server, dispatch, replies, input. */
#include "http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "clock.h"
#include "idempotency.h"
#include "log.h"
#include "metrics.h"
#include "problem.h"
#include "service.h"
#include "xmalloc.h"

#define MAX_CONNECTIONS 1024
#define QUIESCE_US (3 * 1000000LL) /* longest wait for open connections at shutdown */
#define REALM "Bearer realm=\"homegrown\""

static char **route_labels; /* "METHOD /path" per route, for metrics */
static struct sockaddr_in listen_addr;

/* ---- replies ---- */

void hg_set_header(struct hg_request *req, const char *name, const char *value)
{
	u_map_put(req->resp->map_header, name, value);
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

static void reply_problem_errors(struct hg_request *req, enum hg_status st, const char *detail, json_t *errors)
{
	json_t *p = hg_problem_new(st, detail, req->u->url_path, req->request_id, errors);
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
	reply_problem_errors(req, st, detail, NULL);
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
	reply_problem_errors(req, HG_INVALID, detail, errors);
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

/* ---- input ---- */

const char *hg_header(const struct hg_request *req, const char *name)
{
	return u_map_get_case(req->u->map_header, name);
}

const char *hg_query(const struct hg_request *req, const char *name) { return u_map_get(req->u->map_url, name); }

const char *hg_param(const struct hg_request *req, const char *name)
{
	const char *v = hg_path_param(&req->params, name);
	return v != NULL ? v : "";
}

static int media_type_is_json(const char *ct)
{
	if (ct == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	size_t len = strcspn(ct, ";");
	while (len > 0 && ct[len - 1] == ' ')
		len--;
	return (len == 16 && strncasecmp(ct, "application/json", len) == 0) ||
	       (len == 28 && strncasecmp(ct, "application/merge-patch+json", len) == 0);
}

json_t *hg_body_object_or_reply(struct hg_request *req)
{
	size_t max = req->max_body;
	const char *cl = hg_header(req, "Content-Length");
	json_error_t jerr;
	json_t *body;

	/* ulfius truncates (does not refuse) a body over max_post_body_size, which
	 * is max + 1: a body longer than max was too long whatever its length says. */
	if ((cl != NULL && strtoull(cl, NULL, 10) > max) || req->u->binary_body_length > max) {
		hg_reply_problem(req, HG_PAYLOAD_TOO_LARGE, "request body is larger than %zu bytes", max);
		return NULL;
	}
	if (!media_type_is_json(hg_header(req, "Content-Type"))) {
		hg_reply_problem(req, HG_UNSUPPORTED_MEDIA_TYPE,
				 "Content-Type must be application/json or application/merge-patch+json");
		return NULL;
	}
	if (req->u->binary_body_length == 0) {
		hg_reply_problem(req, HG_MALFORMED_JSON, "request body is empty");
		return NULL;
	}
	body = json_loadb(req->u->binary_body, req->u->binary_body_length, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			  &jerr);
	if (body == NULL) {
		hg_reply_problem(req, HG_MALFORMED_JSON, "invalid JSON at line %d, column %d (position %d): %s",
				 jerr.line, jerr.column, jerr.position, jerr.text);
		return NULL;
	}
	if (!json_is_object(body)) {
		json_decref(body);
		hg_reply_invalid(req, json_pack("[{s:s, s:s}]", "field", "", "reason", "body must be a JSON object"));
		return NULL;
	}
	return body;
}

static int media_type_is(const char *ct, const char *want)
{
	if (ct == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	size_t len = strcspn(ct, ";");
	while (len > 0 && ct[len - 1] == ' ')
		len--;
	return len == strlen(want) && strncasecmp(ct, want, len) == 0;
}

int hg_body_raw_or_reply(struct hg_request *req, const char *media_type, size_t max, const void **data,
			 size_t *len)
{
	const char *cl = hg_header(req, "Content-Length");
	/* As for JSON: ulfius truncates a body over its limit, so a body that
	 * reached the limit was too long whatever its length says. */
	if ((cl != NULL && strtoull(cl, NULL, 10) > max) || req->u->binary_body_length > max) {
		hg_reply_problem(req, HG_PAYLOAD_TOO_LARGE, "request body is larger than %zu bytes", max);
		return 0;
	}
	if (!media_type_is(hg_header(req, "Content-Type"), media_type)) {
		hg_reply_problem(req, HG_UNSUPPORTED_MEDIA_TYPE, "Content-Type must be %s", media_type);
		return 0;
	}
	if (req->u->binary_body_length == 0) {
		hg_reply_problem(req, HG_BAD_REQUEST, "request body is empty");
		return 0;
	}
	*data = req->u->binary_body;
	*len = req->u->binary_body_length;
	return 1;
}

int hg_limit_or_reply(struct hg_request *req, long def, long max, long *out)
{
	const char *s = hg_query(req, "limit");
	char *end = NULL;
	long v;
	if (s == NULL) {
		*out = def;
		return 1;
	}
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < 1 || v > max) {
		hg_reply_problem(req, HG_BAD_REQUEST, "limit must be an integer from 1 to %ld", max);
		return 0;
	}
	*out = v;
	return 1;
}

int hg_if_match(const struct hg_request *req, long version) { return hg_etag_match(hg_header(req, "If-Match"), version); }

const char *hg_uuid_param_or_reply(struct hg_request *req, const char *name, const char *what)
{
	const char *id = hg_param(req, name);
	if (!hg_is_uuid(id)) {
		hg_reply_status(req, HG_NOT_FOUND, what);
		return NULL;
	}
	return id;
}

int hg_cursor_or_reply(struct hg_request *req, struct hg_cursor *after, int *has)
{
	const char *cursor = hg_query(req, "cursor");
	*has = cursor != NULL;
	if (cursor != NULL && hg_cursor_decode(cursor, after) != HG_OK) {
		hg_reply_problem(req, HG_BAD_REQUEST, "cursor is not one this API returned");
		return 0;
	}
	return 1;
}

void hg_set_etag(struct hg_request *req, json_t *obj)
{
	char etag[32];
	snprintf(etag, sizeof(etag), "\"%lld\"", (long long)json_integer_value(json_object_get(obj, "version")));
	hg_set_header(req, "ETag", etag);
}

void hg_reply_created(struct hg_request *req, const char *collection, json_t *record)
{
	char *location = xasprintf("%s/%s", collection, json_string_value(json_object_get(record, "id")));
	hg_set_header(req, "Location", location);
	free(location);
	hg_set_etag(req, record);
	hg_reply_json(req, 201, record);
}

void hg_reply_page(struct hg_request *req, json_t *items, const char *next)
{
	json_t *page = json_pack("{s:O, s:s?}", "data", items, "next_cursor", next);
	hg_reply_json(req, 200, page);
	json_decref(page);
}

void hg_reply_page_texts(struct hg_request *req, char *const *items, size_t n, const char *next,
			 const char *extra)
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

int hg_has_role(const struct hg_request *req, unsigned roles) { return (req->who.roles & roles) != 0; }

/* ---- dispatch ---- */

static int valid_request_id(const char *s)
{
	size_t n = 0;
	for (; s[n] != '\0'; n++)
		if (n >= 64 || !(isalnum((unsigned char)s[n]) || s[n] == '.' || s[n] == '_' || s[n] == '-'))
			return 0;
	return n > 0;
}

static void set_request_id(struct hg_request *req)
{
	const char *given = hg_header(req, "X-Request-Id");
	if (given != NULL && valid_request_id(given)) {
		snprintf(req->request_id, sizeof(req->request_id), "%s", given);
	} else {
		uuid_t u;
		uuid_generate_random(u);
		uuid_unparse_lower(u, req->request_id);
	}
	hg_log_set_request_id(req->request_id);
}

/* Authenticate and authorise; on failure reply and return 0. */
static int authorize(struct hg_http *http, struct hg_request *req)
{
	const char *h = hg_header(req, "Authorization");
	const char *why = NULL;
	char challenge[256];

	if (h == NULL) {
		hg_set_header(req, "WWW-Authenticate", REALM);
		hg_reply_problem(req, HG_UNAUTHORIZED, "a bearer token is required");
		return 0;
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		hg_set_header(req, "WWW-Authenticate", REALM ", error=\"invalid_request\"");
		hg_reply_problem(req, HG_UNAUTHORIZED, "the Authorization header must use the Bearer scheme");
		return 0;
	}
	h += 7;
	while (*h == ' ')
		h++;
	if (hg_auth_verify(http->auth, h, time(NULL), &req->who, &why) != HG_OK) {
		snprintf(challenge, sizeof(challenge), REALM ", error=\"invalid_token\", error_description=\"%s\"", why);
		hg_set_header(req, "WWW-Authenticate", challenge);
		hg_reply_problem(req, HG_UNAUTHORIZED, "%s", why);
		return 0;
	}
	if (!hg_has_role(req, req->route->roles)) {
		hg_reply_problem(req, HG_FORBIDDEN, "this operation needs one of the roles it lists in the API");
		return 0;
	}
	return 1;
}

static int dispatch(const struct _u_request *u, struct _u_response *resp, void *user_data)
{
	struct hg_http *http = user_data;
	struct hg_request req;
	int64_t t0 = hg_clock_mono_us();
	int path_known = 0;
	char allow[64];

	memset(&req, 0, sizeof(req));
	req.u = u;
	req.resp = resp;
	req.svc = http->svc;
	req.max_body = http->max_body;
	resp->status = 500; /* an unset status would go out as 200 */
	set_request_id(&req);

	req.route = hg_route_find(http->routes, http->nroutes, u->http_verb, u->url_path, &req.params, &path_known,
				  allow, sizeof(allow));
	if (req.route == NULL && path_known) {
		hg_set_header(&req, "Allow", allow);
		hg_reply_problem(&req, HG_METHOD_NOT_ALLOWED, "%s is not allowed here; use %s", u->http_verb, allow);
	} else if (req.route == NULL) {
		hg_reply_problem(&req, HG_NOT_FOUND, "no such route");
	} else if (req.route->roles == 0 || authorize(http, &req)) {
		const char *idem = NULL;
		if (req.route->roles != 0 && strcmp(u->http_verb, "POST") == 0)
			idem = hg_header(&req, "Idempotency-Key");
		if (idem == NULL || hg_idempotency_begin_or_reply(&req, idem)) {
			req.route->handler(&req);
			if (!req.replied) {
				hg_log(HG_LOG_ERROR, "handler for %s %s did not reply", req.route->method,
				       req.route->path);
				hg_reply_status(&req, HG_INTERNAL, "");
			}
			if (idem != NULL)
				hg_idempotency_finish(&req, idem);
		}
	}
	hg_set_header(&req, "X-Request-Id", req.request_id);

	int64_t dt = hg_clock_mono_us() - t0;
	const char *label = req.route ? route_labels[req.route - http->routes] : "unmatched";
	hg_metrics_observe(label, (int)resp->status, dt);
	hg_log_fields(resp->status >= 500 ? HG_LOG_WARN : HG_LOG_INFO,
		      json_pack("{s:s, s:s, s:s, s:i, s:I}", "method", u->http_verb, "path", u->url_path, "route",
				label, "status", (int)resp->status, "duration_us", (json_int_t)dt),
		      "request");
	hg_log_set_request_id(NULL);
	return U_CALLBACK_COMPLETE;
}

int hg_http_start(struct hg_http *http, const struct hg_config *cfg, struct hg_service *svc,
		  const struct hg_auth *auth, const struct hg_route *routes, size_t nroutes, char *err,
		  size_t errlen)
{
	memset(http, 0, sizeof(*http));
	http->routes = routes;
	http->nroutes = nroutes;
	http->svc = svc;
	http->auth = auth;
	http->max_body = (size_t)cfg->http_max_body;

	memset(&listen_addr, 0, sizeof(listen_addr));
	listen_addr.sin_family = AF_INET;
	listen_addr.sin_port = htons((uint16_t)cfg->http_port);
	if (inet_pton(AF_INET, cfg->http_addr, &listen_addr.sin_addr) != 1) {
		snprintf(err, errlen, "HG_HTTP_ADDR: \"%s\" is not an IPv4 address", cfg->http_addr);
		return -1;
	}
	if (ulfius_init_instance(&http->inst, (unsigned)cfg->http_port, &listen_addr, NULL) != U_OK) {
		snprintf(err, errlen, "cannot initialise the HTTP server");
		return -1;
	}
	/* The largest body any route reads; JSON routes still stop at max_body. */
	size_t cap = http->max_body;
	if (svc != NULL && svc->max_upload > cap)
		cap = svc->max_upload;
	http->inst.max_post_body_size = cap + 1;
	http->inst.allowed_post_processor = U_POST_PROCESS_NONE;
	http->inst.timeout = (unsigned)cfg->http_timeout_s;
	ulfius_set_default_endpoint(&http->inst, dispatch, http);

	route_labels = xcalloc(nroutes, sizeof(*route_labels));
	for (size_t i = 0; i < nroutes; i++)
		route_labels[i] = xasprintf("%s %s", routes[i].method, routes[i].path);

	/* HG_HTTP_THREADS=0 selects libmicrohttpd's thread per connection (for
	 * comparison in benchmarks); otherwise an epoll thread pool of that size. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC;
	struct MHD_OptionItem ops[] = {
		{MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)cfg->http_timeout_s, NULL},
		{MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS, NULL},
		{MHD_OPTION_SOCK_ADDR, 0, (void *)&listen_addr},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)mhd_request_completed, NULL},
		{MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)ulfius_uri_logger, NULL},
		{MHD_OPTION_END, 0, NULL}, /* replaced by the pool size below when pooled */
		{MHD_OPTION_END, 0, NULL},
	};
	if (cfg->http_threads > 0) {
		flags |= MHD_USE_EPOLL;
		ops[5] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)cfg->http_threads, NULL};
	} else {
		flags |= MHD_USE_THREAD_PER_CONNECTION;
	}
	if (ulfius_start_framework_with_mhd_options(&http->inst, flags, ops) != U_OK) {
		snprintf(err, errlen, "cannot listen on %s:%ld (in use?)", cfg->http_addr, cfg->http_port);
		ulfius_clean_instance(&http->inst);
		for (size_t i = 0; i < nroutes; i++)
			free(route_labels[i]);
		free(route_labels);
		route_labels = NULL;
		return -1;
	}
	http->running = 1;
	return 0;
}

void hg_http_stop(struct hg_http *http)
{
	if (!http->running)
		return;
	/* Stop accepting, then give open connections a bounded time to finish
	 * what they are doing before the daemon closes them. */
	struct MHD_Daemon *d = http->inst.mhd_daemon;
	if (d != NULL) {
		MHD_socket s = MHD_quiesce_daemon(d);
		if (s != MHD_INVALID_SOCKET)
			close(s);
		int64_t deadline = hg_clock_mono_us() + QUIESCE_US;
		while (hg_clock_mono_us() < deadline) {
			const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
			if (info == NULL || info->num_connections == 0)
				break;
			usleep(20000);
		}
	}
	ulfius_stop_framework(&http->inst);
	ulfius_clean_instance(&http->inst);
	for (size_t i = 0; i < http->nroutes; i++)
		free(route_labels[i]);
	free(route_labels);
	route_labels = NULL;
	http->running = 0;
}
