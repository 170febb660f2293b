/* route.h - one route table per service, and the matcher.
 *
 * A route is one line: method, path pattern ("/v1/library/resources/{id}"),
 * the roles allowed (0 = public, no token), the handler, and the handler's
 * argument (the description a shared handler such as hg_crud_get serves).
 * The table mirrors the service's api-spec file; `<binary> --routes` prints it.
 */
#ifndef HG_ROUTE_H
#define HG_ROUTE_H

#include <stddef.h>
#include <stdio.h>

#include "common/roles.h"

struct hg_request;
typedef void (*hg_handler_fn)(struct hg_request *req);

struct hg_route {
	const char *method;
	const char *path;
	unsigned roles; /* bits of HG_ROLE(...); 0: no authentication */
	hg_handler_fn handler;
	const void *arg; /* what a shared handler serves (e.g. a struct hg_crud), or NULL */
};

#define HG_MAX_PATH_PARAMS 4
#define HG_MAX_PARAM_LEN 128

struct hg_path_params {
	size_t count;
	const char *names[HG_MAX_PATH_PARAMS]; /* borrowed from the pattern */
	size_t name_lens[HG_MAX_PATH_PARAMS];
	char values[HG_MAX_PATH_PARAMS][HG_MAX_PARAM_LEN];
};

/* Does path match pattern? On a match fill params (may be NULL) and return 1. */
int hg_route_match_path(const char *pattern, const char *path, struct hg_path_params *params);

/*
 * Find the route for method and path among n routes. Returns the route, or
 * NULL; then *path_known says whether some other method serves the path (405)
 * and allow receives those methods as "GET, PATCH" (allow may be NULL).
 */
const struct hg_route *hg_route_find(const struct hg_route *routes, size_t n, const char *method, const char *path,
				     struct hg_path_params *params, int *path_known, char *allow, size_t allow_len);

/* Value of the path parameter name, or NULL. */
const char *hg_path_param(const struct hg_path_params *params, const char *name);

/*
 * The path as it may be logged: when it starts with the literal prefix of a route's {secret} parameter
 * ("/v1/x/feeds/" of "/v1/x/feeds/{secret}/y"), a new copy whose next segment is "[secret]", whatever the rest
 * of the path and whether any route matches it (a mistyped secret is still a secret). NULL when the path holds
 * no secret: log it as it is.
 */
char *hg_route_log_path(const struct hg_route *routes, size_t n, const char *path);

/* Print the table as "METHOD PATH role,role" lines ("-" for public routes). */
void hg_route_print(FILE *out, const struct hg_route *routes, size_t n);

#endif
