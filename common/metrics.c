/* metrics.c - request counters and latency histograms. */
#include "common/metrics.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

static const double bucket_s[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NBUCKETS (sizeof(bucket_s) / sizeof(bucket_s[0]))

struct series {
	const char *route; /* borrowed: route labels are static strings */
	int status;
	uint64_t count;
	double sum_s;
	uint64_t buckets[NBUCKETS];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct series series[HG_METRICS_MAX_SERIES];
static size_t nseries;
static uint64_t dropped;

void hg_metrics_observe(const char *route, int status, int64_t duration_us)
{
	double s = (double)duration_us / 1e6;
	pthread_mutex_lock(&mu);
	struct series *m = NULL;
	for (size_t i = 0; i < nseries; i++) {
		if (series[i].status == status && strcmp(series[i].route, route) == 0) {
			m = &series[i];
			break;
		}
	}
	if (m == NULL && nseries < HG_METRICS_MAX_SERIES) {
		m = &series[nseries++];
		m->route = route;
		m->status = status;
	}
	if (m == NULL) {
		dropped++; /* bounded: never grow past the table */
	} else {
		m->count++;
		m->sum_s += s;
		for (size_t b = 0; b < NBUCKETS; b++)
			if (s <= bucket_s[b])
				m->buckets[b]++;
	}
	pthread_mutex_unlock(&mu);
}

struct buf {
	char *p;
	size_t len, cap;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap * 2 + (size_t)(n > 0 ? n : 64);
		b->p = xrealloc(b->p, b->cap);
	}
}

char *hg_metrics_render(void)
{
	struct buf b = {xmalloc(4096), 0, 4096};
	b.p[0] = '\0';
	pthread_mutex_lock(&mu);
	put(&b, "# HELP hg_http_requests_total HTTP requests by route and status.\n"
		"# TYPE hg_http_requests_total counter\n");
	for (size_t i = 0; i < nseries; i++)
		put(&b, "hg_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n", series[i].route, series[i].status,
		    (unsigned long long)series[i].count);
	put(&b, "# HELP hg_http_request_duration_seconds HTTP request latency by route and status.\n"
		"# TYPE hg_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < nseries; i++) {
		const struct series *m = &series[i];
		for (size_t k = 0; k < NBUCKETS; k++)
			put(&b, "hg_http_request_duration_seconds_bucket{route=\"%s\",status=\"%d\",le=\"%g\"} %llu\n",
			    m->route, m->status, bucket_s[k], (unsigned long long)m->buckets[k]);
		put(&b, "hg_http_request_duration_seconds_bucket{route=\"%s\",status=\"%d\",le=\"+Inf\"} %llu\n",
		    m->route, m->status, (unsigned long long)m->count);
		put(&b, "hg_http_request_duration_seconds_sum{route=\"%s\",status=\"%d\"} %.6f\n", m->route, m->status,
		    m->sum_s);
		put(&b, "hg_http_request_duration_seconds_count{route=\"%s\",status=\"%d\"} %llu\n", m->route,
		    m->status, (unsigned long long)m->count);
	}
	put(&b,
	    "# HELP hg_metrics_dropped_total Observations dropped because the series table is full.\n"
	    "# TYPE hg_metrics_dropped_total counter\nhg_metrics_dropped_total %llu\n",
	    (unsigned long long)dropped);
	pthread_mutex_unlock(&mu);
	return b.p;
}

void hg_metrics_reset(void)
{
	pthread_mutex_lock(&mu);
	nseries = 0;
	dropped = 0;
	memset(series, 0, sizeof(series));
	pthread_mutex_unlock(&mu);
}
