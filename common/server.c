/* server.c - the HTTP server over ulfius: listen, dispatch, stop. */
#include "common/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "common/clock.h"
#include "common/idempotency.h"
#include "common/identity.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/reply.h"
#include "common/request.h"
#include "common/xmalloc.h"

/* Descriptors kept for what is not a client connection: the database pool, Kafka, logs, files. */
#define RESERVED_FDS 256
#define QUIESCE_US (3 * 1000000LL) /* longest wait for open connections at shutdown */
#define REALM "Bearer realm=\"homegrown\""

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
static int authorize(const struct hg_http *http, struct hg_request *req)
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
	if (hg_auth_verify(http->deps.auth, h, time(NULL), &req->who, &why) != HG_OK) {
		snprintf(challenge, sizeof(challenge), REALM ", error=\"invalid_token\", error_description=\"%s\"",
			 why);
		hg_set_header(req, "WWW-Authenticate", challenge);
		hg_reply_problem(req, HG_UNAUTHORIZED, "%s", why);
		return 0;
	}
	enum hg_status st;
	const struct hg_reason *refusal =
		hg_identity_resolve(http->deps.identity, req->pool, &req->who, hg_clock_mono_us() / 1000, &st);
	if (st != HG_OK) {
		hg_reply_problem(req, st, "the roster's identities cannot be read right now");
		return 0;
	}
	if (refusal != NULL) {
		hg_reply_refusal(req, refusal);
		return 0;
	}
	if (!hg_has_role(req, req->route->roles)) {
		hg_reply_problem(req, HG_FORBIDDEN, "this operation needs one of the roles it lists in the API");
		return 0;
	}
	return 1;
}

/* Run the matched route's handler; an authenticated POST with an Idempotency-Key is answered at most once. */
static void run_handler(struct hg_request *req)
{
	struct hg_idem idem;
	const char *key = NULL;
	if (req->route->roles != 0 && strcmp(req->u->http_verb, "POST") == 0)
		key = hg_header(req, "Idempotency-Key");
	if (key != NULL && !hg_idempotency_begin_or_reply(req, &idem, key))
		return;
	req->route->handler(req);
	if (!req->replied) {
		hg_log(HG_LOG_ERROR, "handler for %s %s did not reply", req->route->method, req->route->path);
		hg_reply_status(req, HG_INTERNAL, "");
	}
	hg_idempotency_finish(req);
	req->idem = NULL;
}

static int dispatch(const struct _u_request *u, struct _u_response *resp, void *user_data)
{
	const struct hg_http *http = user_data;
	struct hg_request req;
	int64_t t0 = hg_clock_mono_us();
	int path_known = 0;
	char allow[64];

	memset(&req, 0, sizeof(req));
	req.u = u;
	req.resp = resp;
	req.max_body = http->max_body;
	req.max_upload = http->deps.max_upload;
	req.pool = http->deps.pool;
	req.settings = http->deps.settings;
	req.probes = http->deps.probes;
	resp->status = 500; /* an unset status would go out as 200 */
	set_request_id(&req);

	req.route = hg_route_find(http->deps.routes, http->deps.nroutes, u->http_verb, u->url_path, &req.params,
				  &path_known, allow, sizeof(allow));
	if (req.route == NULL && path_known) {
		hg_set_header(&req, "Allow", allow);
		hg_reply_problem(&req, HG_METHOD_NOT_ALLOWED, "%s is not allowed here; use %s", u->http_verb, allow);
	} else if (req.route == NULL) {
		hg_reply_problem(&req, HG_NOT_FOUND, "no such route");
	} else if (req.route->roles == 0 || authorize(http, &req)) {
		run_handler(&req);
	}
	hg_set_header(&req, "X-Request-Id", req.request_id);

	int64_t dt = hg_clock_mono_us() - t0;
	const char *label = req.route ? http->route_labels[req.route - http->deps.routes] : "unmatched";
	hg_metrics_observe(label, (int)resp->status, dt);
	char *masked = hg_route_log_path(http->deps.routes, http->deps.nroutes, u->url_path);
	hg_log_fields(resp->status >= 500 ? HG_LOG_WARN : HG_LOG_INFO,
		      json_pack("{s:s, s:s, s:s, s:i, s:I}", "method", u->http_verb, "path",
				masked ? masked : u->url_path, "route", label, "status", (int)resp->status,
				"duration_us", (json_int_t)dt),
		      "request");
	free(masked);
	hg_log_set_request_id(NULL);
	return U_CALLBACK_COMPLETE;
}

/* Room for HG_HTTP_MAX_CONNECTIONS descriptors: the soft RLIMIT_NOFILE (often 1024) raised towards the hard
 * one. Returns the number of connections that fit, which is what the server accepts. */
static long connection_room(long wanted)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return wanted;
	rlim_t need = (rlim_t)(wanted + RESERVED_FDS);
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		rlim_t old = rl.rlim_cur;
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			rl.rlim_cur = old;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		long room = (long)rl.rlim_cur - RESERVED_FDS;
		if (room < 16)
			room = 16;
		hg_log(HG_LOG_WARN,
		       "HG_HTTP_MAX_CONNECTIONS=%ld does not fit the descriptor limit (%ld): accepting %ld", wanted,
		       (long)rl.rlim_cur, room);
		return room;
	}
	return wanted;
}

static void free_labels(struct hg_http *http)
{
	if (http->route_labels == NULL)
		return;
	for (size_t i = 0; i < http->deps.nroutes; i++)
		free(http->route_labels[i]);
	free(http->route_labels);
	http->route_labels = NULL;
}

int hg_http_start(struct hg_http *http, const struct hg_config *cfg, const struct hg_http_deps *deps, char *err,
		  size_t errlen)
{
	struct sockaddr_in *listen_addr = &http->listen_addr;

	memset(http, 0, sizeof(*http));
	http->deps = *deps;
	http->max_body = (size_t)cfg->http_max_body;

	listen_addr->sin_family = AF_INET;
	listen_addr->sin_port = htons((uint16_t)cfg->http_port);
	if (inet_pton(AF_INET, cfg->http_addr, &listen_addr->sin_addr) != 1) {
		snprintf(err, errlen, "HG_HTTP_ADDR: \"%s\" is not an IPv4 address", cfg->http_addr);
		return -1;
	}
	if (ulfius_init_instance(&http->inst, (unsigned)cfg->http_port, listen_addr, NULL) != U_OK) {
		snprintf(err, errlen, "cannot initialise the HTTP server");
		return -1;
	}
	/* The largest body any route reads; JSON routes still stop at max_body. */
	size_t cap = http->max_body > deps->max_upload ? http->max_body : deps->max_upload;
	http->inst.max_post_body_size = cap + 1;
	http->inst.allowed_post_processor = U_POST_PROCESS_NONE;
	http->inst.timeout = (unsigned)cfg->http_timeout_s;
	ulfius_set_default_endpoint(&http->inst, dispatch, http);

	http->route_labels = xcalloc(deps->nroutes, sizeof(*http->route_labels));
	for (size_t i = 0; i < deps->nroutes; i++)
		http->route_labels[i] = xasprintf("%s %s", deps->routes[i].method, deps->routes[i].path);

	/* HG_HTTP_THREADS=0 selects libmicrohttpd's thread per connection; otherwise an epoll thread pool of
	 * that size. MHD_OPTION_SOCK_ADDR: this path does not apply the instance's bind address by itself. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC;
	struct MHD_OptionItem ops[] = {
		{MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)cfg->http_timeout_s, NULL},
		{MHD_OPTION_CONNECTION_LIMIT, (intptr_t)connection_room(cfg->http_max_connections), NULL},
		{MHD_OPTION_SOCK_ADDR, 0, (void *)listen_addr},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)mhd_request_completed, NULL},
		{MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)ulfius_uri_logger, NULL},
		{MHD_OPTION_END, 0, NULL}, /* replaced by the pool size below when pooled */
		{MHD_OPTION_END, 0, NULL},
	};
	if (cfg->http_threads > 0) {
		flags |= MHD_USE_EPOLL;
		ops[5] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)cfg->http_threads, NULL};
	} else {
		/* poll(), not select(): a connection's descriptor may be above FD_SETSIZE (1024), which select()
		 * cannot watch (MHD would drop such connections). */
		flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
	}
	if (ulfius_start_framework_with_mhd_options(&http->inst, flags, ops) != U_OK) {
		snprintf(err, errlen, "cannot listen on %s:%ld (in use?)", cfg->http_addr, cfg->http_port);
		ulfius_clean_instance(&http->inst);
		free_labels(http);
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
	free_labels(http);
	http->running = 0;
}
