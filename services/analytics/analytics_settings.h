/* analytics_settings.h - the analytics service's own configuration (HG_ANALYTICS_*). */
#ifndef ANALYTICS_SETTINGS_H
#define ANALYTICS_SETTINGS_H

#include "common/config.h"
#include "services/analytics/recommend.h"

struct analytics_settings {
	long ready_max_lag;             /* /readyz answers 503 while a consumed partition lags more events than this */
	long consume_batch;             /* the most events (already fetched) applied in one transaction */
	long max_groups;                /* most groups one breakdown answers */
	long feed_max_rows;             /* most rows (attendances) one state feed answers */
	char *edfi_namespace;           /* the Ed-Fi descriptors' and events' namespace, uri://<this>/ */
	struct rec_weights rec_weights; /* the recommendation factors' weights */
};

extern const struct hg_config_table analytics_settings_table;

/* The lag bound of /readyz (struct hg_service_def's ready_max_lag). */
long analytics_ready_max_lag(const void *settings);
/* The consumer's batch (struct hg_service_def's consume_batch). */
long analytics_consume_batch(const void *settings);

#endif
