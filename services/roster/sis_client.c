/* sis_client.c - a OneRoster 1.2 REST client over libcurl: OAuth 2.0 client credentials, bounded retries. */
#include "services/roster/sis_client.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/clock.h"
#include "common/xmalloc.h"

#define BACKOFF_FIRST_MS 200
#define BACKOFF_MAX_MS 5000
#define TOKEN_MARGIN_US (30 * 1000000LL) /* a token this close to its expiry is renewed first */

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static int global_ok;

static void global_init(void) { global_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }

/* One answer: its body (bounded), and the headers a sync reads. */
struct answer {
	char *buf;
	size_t len, cap, max;
	int too_big;
	long total;
	char *link;
	long retry_after; /* seconds, or -1 */
};

static void answer_reset(struct answer *a, size_t max)
{
	free(a->buf);
	free(a->link);
	memset(a, 0, sizeof(*a));
	a->max = max;
	a->total = -1;
	a->retry_after = -1;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t len = size * n;
	if (a->len + len > a->max) {
		a->too_big = 1;
		return 0; /* libcurl stops with CURLE_WRITE_ERROR */
	}
	if (a->len + len + 1 > a->cap) {
		size_t cap = a->cap ? a->cap : 16384;
		while (cap < a->len + len + 1)
			cap *= 2;
		char *buf = realloc(a->buf, cap);
		if (buf == NULL)
			return 0;
		a->buf = buf;
		a->cap = cap;
	}
	memcpy(a->buf + a->len, data, len);
	a->len += len;
	a->buf[a->len] = '\0';
	return len;
}

/* "Name: value" into value (trimmed, new string) when the header is name; else NULL. */
static char *header_value(const char *line, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	if (len <= nlen || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
		return NULL;
	const char *v = line + nlen + 1, *end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	char *out = xmalloc((size_t)(end - v) + 1);
	memcpy(out, v, (size_t)(end - v));
	out[end - v] = '\0';
	return out;
}

static long parse_long(const char *s, long def)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && v >= 0 ? v : def;
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t len = size * n;
	char *v;
	if ((v = header_value(line, len, "X-Total-Count")) != NULL) {
		a->total = parse_long(v, -1);
		free(v);
	} else if ((v = header_value(line, len, "Link")) != NULL) {
		free(a->link);
		a->link = v;
	} else if ((v = header_value(line, len, "Retry-After")) != NULL) {
		a->retry_after = parse_long(v, -1);
		free(v);
	}
	return len;
}

char *sis_link_next(const char *link)
{
	/* Link: <url>; rel="next", <url>; rel="last" */
	const char *p = link;
	while (p != NULL && *p != '\0') {
		const char *open = strchr(p, '<');
		const char *close = open != NULL ? strchr(open, '>') : NULL;
		if (close == NULL)
			return NULL;
		const char *end = strchr(close, ',');
		size_t plen = end != NULL ? (size_t)(end - close) : strlen(close);
		char *params = xmalloc(plen + 1);
		memcpy(params, close, plen);
		params[plen] = '\0';
		int next = strstr(params, "rel=\"next\"") != NULL || strstr(params, "rel=next") != NULL;
		free(params);
		if (next) {
			char *url = xmalloc((size_t)(close - open));
			memcpy(url, open + 1, (size_t)(close - open - 1));
			url[close - open - 1] = '\0';
			return url;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return NULL;
}

int sis_client_init(struct sis_client *c, const struct sis_client_options *o)
{
	memset(c, 0, sizeof(*c));
	c->o = *o;
	pthread_once(&global_once, global_init);
	if (!global_ok)
		return -1;
	c->curl = curl_easy_init();
	return c->curl != NULL ? 0 : -1;
}

void sis_client_cleanup(struct sis_client *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	if (c->token != NULL) {
		memset(c->token, 0, strlen(c->token));
		free(c->token);
	}
	memset(c, 0, sizeof(*c));
}

void sis_page_cleanup(struct sis_page *page)
{
	json_decref(page->body);
	free(page->next);
	memset(page, 0, sizeof(*page));
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Common options of every request: TLS verified, https only, no redirects, timeouts, the answer's sinks. */
static void setup(struct sis_client *c, const char *url, struct answer *a)
{
	CURL *h = c->curl;
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->o.ca_file != NULL && c->o.ca_file[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, c->o.ca_file);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->o.timeout_ms < 10000 ? c->o.timeout_ms : 10000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->o.timeout_ms);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "homegrown-roster/1 (OneRoster 1.2 sync)");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
}

enum attempt { ATTEMPT_DONE, ATTEMPT_RETRY, ATTEMPT_FAIL };

/* Judge one performed request: done (2xx or a final status), retry, or fail with detail. */
static enum attempt judge(struct sis_client *c, CURLcode rc, const struct answer *a, long status, const char *what,
			  long *wait_ms, long backoff_ms)
{
	*wait_ms = backoff_ms;
	if (rc != CURLE_OK) {
		if (a->too_big) {
			snprintf(c->detail, sizeof(c->detail), "%s: the answer is larger than %zu bytes", what,
				 c->o.max_bytes);
			return ATTEMPT_FAIL;
		}
		snprintf(c->detail, sizeof(c->detail), "%s: %s", what, curl_easy_strerror(rc));
		/* TLS and protocol failures will not change on a retry */
		if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
		    rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT)
			return ATTEMPT_FAIL;
		return ATTEMPT_RETRY;
	}
	if (status == 429) {
		long s = a->retry_after >= 0 ? a->retry_after : 1;
		if (s > c->o.max_retry_after_s)
			s = c->o.max_retry_after_s;
		*wait_ms = s * 1000;
		snprintf(c->detail, sizeof(c->detail), "%s: the provider answered 429 (too many requests)", what);
		return ATTEMPT_RETRY;
	}
	if (status >= 500) {
		snprintf(c->detail, sizeof(c->detail), "%s: the provider answered %ld", what, status);
		return ATTEMPT_RETRY;
	}
	return ATTEMPT_DONE;
}

/* Perform the prepared request with the retry policy; *status the final HTTP status. */
static enum hg_status perform(struct sis_client *c, const char *url, struct answer *a, const char *what, long *status,
			      void (*prepare)(struct sis_client *, const char *, struct answer *, void *), void *arg)
{
	long backoff = BACKOFF_FIRST_MS;
	for (long attempt = 0;; attempt++) {
		long wait_ms;
		answer_reset(a, c->o.max_bytes);
		setup(c, url, a);
		prepare(c, url, a, arg);
		CURLcode rc = curl_easy_perform(c->curl);
		*status = 0;
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
		enum attempt verdict = judge(c, rc, a, *status, what, &wait_ms, backoff);
		if (verdict == ATTEMPT_DONE)
			return HG_OK;
		if (verdict == ATTEMPT_FAIL || attempt >= c->o.retries)
			return HG_UNAVAILABLE;
		c->retried++;
		sleep_ms(wait_ms);
		backoff = backoff * 2 < BACKOFF_MAX_MS ? backoff * 2 : BACKOFF_MAX_MS;
	}
}

static void prepare_token(struct sis_client *c, const char *url, struct answer *a, void *arg)
{
	(void)url;
	(void)a;
	CURL *h = c->curl;
	const char *form = arg;
	curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(h, CURLOPT_USERNAME, c->o.client_id);
	curl_easy_setopt(h, CURLOPT_PASSWORD, c->o.client_secret);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
}

enum hg_status sis_client_token(struct sis_client *c)
{
	struct answer a = {0};
	long status;
	char *scope = NULL, *form;
	if (c->o.scope != NULL && c->o.scope[0] != '\0')
		scope = curl_easy_escape(c->curl, c->o.scope, 0);
	form = scope != NULL ? xasprintf("grant_type=client_credentials&scope=%s", scope)
			     : xstrdup("grant_type=client_credentials");
	curl_free(scope);
	enum hg_status st = perform(c, c->o.token_url, &a, "token request", &status, prepare_token, form);
	free(form);
	if (st == HG_OK && status != 200) {
		snprintf(c->detail, sizeof(c->detail), "token request: the provider answered %ld%s", status,
			 status == 400 || status == 401 ? " (check the client id and secret)" : "");
		st = HG_UNAVAILABLE;
	}
	json_t *doc = st == HG_OK ? json_loadb(a.buf ? a.buf : "", a.len, 0, NULL) : NULL;
	const char *token = json_string_value(json_object_get(doc, "access_token"));
	if (st == HG_OK && (token == NULL || token[0] == '\0')) {
		snprintf(c->detail, sizeof(c->detail), "token request: the answer holds no access_token");
		st = HG_UNAVAILABLE;
	}
	if (st == HG_OK) {
		if (c->token != NULL) {
			memset(c->token, 0, strlen(c->token));
			free(c->token);
		}
		c->token = xstrdup(token);
		json_t *exp = json_object_get(doc, "expires_in");
		long long secs = json_is_integer(exp) ? json_integer_value(exp) : 3600;
		c->token_expiry = hg_clock_mono_us() + secs * 1000000LL;
		c->tokens++;
	}
	json_decref(doc);
	if (a.buf != NULL)
		memset(a.buf, 0, a.len);
	answer_reset(&a, 0);
	return st;
}

static void prepare_get(struct sis_client *c, const char *url, struct answer *a, void *arg)
{
	(void)url;
	(void)a;
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, (struct curl_slist *)arg);
}

enum hg_status sis_client_get(struct sis_client *c, const char *url, struct sis_page *page)
{
	struct answer a = {0};
	enum hg_status st = HG_OK;
	memset(page, 0, sizeof(*page));
	for (int renewed = 0;; renewed++) {
		if (c->token == NULL || hg_clock_mono_us() > c->token_expiry - TOKEN_MARGIN_US)
			if ((st = sis_client_token(c)) != HG_OK)
				return st;
		char *auth = xasprintf("Authorization: Bearer %s", c->token);
		struct curl_slist *headers = curl_slist_append(NULL, auth);
		headers = curl_slist_append(headers, "Accept: application/json");
		st = perform(c, url, &a, "GET", &page->status, prepare_get, headers);
		curl_slist_free_all(headers);
		memset(auth, 0, strlen(auth));
		free(auth);
		if (st == HG_OK && page->status == 401 && !renewed) {
			free(c->token); /* refused: a new token, once */
			c->token = NULL;
			continue;
		}
		break;
	}
	if (st == HG_OK && page->status != 200) {
		snprintf(c->detail, sizeof(c->detail), "GET: the provider answered %ld", page->status);
		st = HG_UNAVAILABLE;
	}
	if (st == HG_OK) {
		json_error_t jerr;
		page->body = json_loadb(a.buf ? a.buf : "", a.len, 0, &jerr);
		if (!json_is_object(page->body)) {
			snprintf(c->detail, sizeof(c->detail), "GET: the answer is not a JSON object (%s)",
				 page->body == NULL ? jerr.text : "another JSON value");
			json_decref(page->body);
			page->body = NULL;
			st = HG_UNAVAILABLE;
		}
	}
	if (st == HG_OK) {
		page->total = a.total;
		page->next = a.link != NULL ? sis_link_next(a.link) : NULL;
	}
	answer_reset(&a, 0);
	return st;
}
