/* analytics_settings.c - the analytics service's own configuration (HG_ANALYTICS_*). */
#include "services/analytics/analytics_settings.h"

static struct analytics_settings settings; /* set once before any thread starts, read-only afterwards */

static const struct hg_config_row rows[] = {
	HG_CONFIG_INT("HG_ANALYTICS_READY_MAX_LAG", "10000", 1, 1000000000, struct analytics_settings, ready_max_lag),
	HG_CONFIG_INT("HG_ANALYTICS_CONSUME_BATCH", "32", 1, 64, struct analytics_settings, consume_batch),
	HG_CONFIG_INT("HG_ANALYTICS_MAX_GROUPS", "1000", 1, 100000, struct analytics_settings, max_groups),
	HG_CONFIG_INT("HG_ANALYTICS_FEED_MAX_ROWS", "100000", 1, 10000000, struct analytics_settings, feed_max_rows),
	HG_CONFIG_STR("HG_ANALYTICS_EDFI_NAMESPACE", "homegrown.example.org", 3, 0, NULL, struct analytics_settings,
		      edfi_namespace),
	HG_CONFIG_INT("HG_ANALYTICS_REC_WEIGHT_SCHOOL_NEED", "40", 0, 100, struct analytics_settings,
		      rec_weights.school_need),
	HG_CONFIG_INT("HG_ANALYTICS_REC_WEIGHT_ROLE", "15", 0, 100, struct analytics_settings, rec_weights.role),
	HG_CONFIG_INT("HG_ANALYTICS_REC_WEIGHT_CAREER_STAGE", "20", 0, 100, struct analytics_settings,
		      rec_weights.career_stage),
	HG_CONFIG_INT("HG_ANALYTICS_REC_WEIGHT_PEER_RATING", "10", 0, 100, struct analytics_settings,
		      rec_weights.peer_rating),
};

const struct hg_config_table analytics_settings_table = {rows, sizeof(rows) / sizeof(rows[0]), &settings};

long analytics_ready_max_lag(const void *s) { return ((const struct analytics_settings *)s)->ready_max_lag; }

long analytics_consume_batch(const void *s) { return ((const struct analytics_settings *)s)->consume_batch; }
