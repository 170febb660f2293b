/* roster_settings.c - the roster service's own configuration (HG_ROSTER_*): rows of the common table. */
#include "services/roster/roster_settings.h"

static struct roster_settings settings; /* set once before any thread starts, read-only afterwards */

#define ROW(env, def, min, max, field) HG_CONFIG_INT(env, def, min, max, struct roster_settings, field)

static const struct hg_config_row rows[] = {
	ROW("HG_ROSTER_MAX_ZIP_BYTES", "67108864", 1024, 1L << 30, max_zip_bytes),
	ROW("HG_ROSTER_MAX_UNCOMPRESSED_BYTES", "536870912", 1024, 8L << 30, max_uncompressed_bytes),
	ROW("HG_ROSTER_MAX_ROWS", "1000000", 1, 20000000, max_rows),
	ROW("HG_ROSTER_MAX_FIELD_BYTES", "1024", 16, 65536, max_field_bytes),
	ROW("HG_ROSTER_MAX_PROBLEMS", "1000", 1, 100000, max_problems),
	ROW("HG_ROSTER_IMPORT_TIMEOUT_MS", "300000", 1000, 3600000, import_timeout_ms),
	ROW("HG_ROSTER_MAX_CONCURRENT_IMPORTS", "2", 1, 64, max_concurrent_imports),
	HG_CONFIG_STR("HG_ROSTER_SECRET_KEY", "", 0, 1, NULL, struct roster_settings, secret_key),
	ROW("HG_ROSTER_SIS_TIMEOUT_MS", "30000", 100, 600000, sis_timeout_ms),
	ROW("HG_ROSTER_SIS_RETRIES", "4", 0, 10, sis_retries),
	ROW("HG_ROSTER_SIS_MAX_RETRY_AFTER_S", "30", 0, 600, sis_max_retry_after_s),
	ROW("HG_ROSTER_SIS_PAGE_SIZE", "1000", 1, 10000, sis_page_size),
	ROW("HG_ROSTER_SIS_MAX_PAGE_BYTES", "33554432", 1024, 1L << 30, sis_max_page_bytes),
	ROW("HG_ROSTER_SCHEDULE_POLL_S", "60", 0, 3600, schedule_poll_s),
	HG_CONFIG_STR("HG_ROSTER_SIS_CA_FILE", "", 0, 0, NULL, struct roster_settings, sis_ca_file),
};

const struct hg_config_table roster_settings_table = {rows, sizeof(rows) / sizeof(rows[0]), &settings};

size_t roster_upload_limit(const void *s) { return (size_t)((const struct roster_settings *)s)->max_zip_bytes; }
