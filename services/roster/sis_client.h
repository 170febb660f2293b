/* sis_client.h - a OneRoster 1.2 REST client over libcurl: OAuth 2.0 client credentials, bounded retries.
 *
 * TLS is verified (peer and host; https only, no redirects followed); every request has a connect timeout
 * and a total timeout; an answer larger than max_bytes is cut off and fails. A request that meets 429 waits
 * Retry-After (capped), one that meets 5xx, a timeout or a broken connection waits an exponential backoff
 * (200 ms doubling, capped at 5 s), each at most `retries` more times. A 401 on a data request fetches a new
 * token once and tries again. Errors are reported in a detail that never holds the secret or the token.
 */
#ifndef ROSTER_SIS_CLIENT_H
#define ROSTER_SIS_CLIENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

struct sis_client_options {
	const char *token_url, *client_id, *client_secret, *scope; /* borrowed; scope may be NULL */
	const char *ca_file;                                       /* NULL or "": the system's CAs */
	long timeout_ms;                                           /* per request */
	long retries;                                              /* more attempts after the first */
	long max_retry_after_s;                                    /* a longer Retry-After is capped to this */
	size_t max_bytes;                                          /* largest answer body */
};

struct sis_client {
	struct sis_client_options o;
	void *curl;           /* CURL * */
	char *token;          /* the bearer token, or NULL */
	int64_t token_expiry; /* monotonic µs */
	long tokens;          /* tokens fetched */
	long retried;         /* requests retried (429, 5xx, timeouts) */
	char detail[512];     /* why the last call failed */
};

/* One page of a collection. */
struct sis_page {
	json_t *body; /* the answer (new reference) */
	long total;   /* X-Total-Count, or -1 */
	char *next;   /* the Link rel="next" URL, or NULL */
	long status;  /* the HTTP status */
};

/* 0, or -1 (libcurl could not start). */
int sis_client_init(struct sis_client *c, const struct sis_client_options *o);
void sis_client_cleanup(struct sis_client *c);

/* A token (the client credentials grant): HG_OK, or HG_UNAVAILABLE with c->detail. */
enum hg_status sis_client_token(struct sis_client *c);

/* GET url (with the token, fetched first if needed): HG_OK with page filled (caller frees with
 * sis_page_cleanup); HG_UNAVAILABLE with c->detail (the provider failed after the retries, or answered
 * something that is not a JSON object). */
enum hg_status sis_client_get(struct sis_client *c, const char *url, struct sis_page *page);
void sis_page_cleanup(struct sis_page *page);

/* The URL in a Link header value with rel="next" (new string), or NULL. Pure. */
char *sis_link_next(const char *link);

#endif
