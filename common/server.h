/* server.h - the HTTP server over ulfius: listen, dispatch, stop.
 *
 * One ulfius default endpoint receives every request and dispatches it
 * through the service's route table, so unknown routes (404), wrong methods
 * (405 with Allow), authentication (401/403), Idempotency-Key, request ids,
 * metrics and the access log are handled in one place for every service.
 */
#ifndef HG_SERVER_H
#define HG_SERVER_H

#include <netinet/in.h>
#include <stddef.h>
#include <ulfius.h>

#include "common/auth.h"
#include "common/config.h"
#include "common/route.h"

struct hg_identity;

struct hg_db_pool;
struct hg_probes;

/* What every request of the server sees (borrowed for the server's lifetime). */
struct hg_http_deps {
	const struct hg_route *routes;
	size_t nroutes;
	const struct hg_auth *auth;
	const struct hg_identity *identity; /* resolves the principal to an educator; NULL: the sub is the id */
	struct hg_db_pool *pool;
	const void *settings; /* the service's own settings, or NULL */
	const struct hg_probes *probes;
	size_t max_upload; /* largest non-JSON body a route reads (0: none) */
};

struct hg_http {
	struct _u_instance inst;
	struct hg_http_deps deps;
	size_t max_body;
	char **route_labels;            /* "METHOD /path" per route, for metrics and the access log */
	struct sockaddr_in listen_addr; /* ulfius keeps a pointer to it */
	int running;
};

/* Listen on cfg's address and port with cfg's threads. -1 with err on failure. */
int hg_http_start(struct hg_http *http, const struct hg_config *cfg, const struct hg_http_deps *deps, char *err,
		  size_t errlen);
/* Stop accepting, wait (bounded) for in-flight requests, free the instance. */
void hg_http_stop(struct hg_http *http);

#endif
