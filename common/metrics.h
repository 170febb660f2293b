/* metrics.h - request counters and latency histograms, Prometheus text. */
#ifndef HG_METRICS_H
#define HG_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define HG_METRICS_MAX_SERIES 512

/* Record one request: route label (e.g. "GET /v1/x/{id}"), status, duration. */
void hg_metrics_observe(const char *route, int status, int64_t duration_us);

/* Render every series as Prometheus text exposition into a new string; caller frees. */
char *hg_metrics_render(void);

/* Drop every series (tests). */
void hg_metrics_reset(void);

#endif
