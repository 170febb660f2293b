/* settings.c - the roster service's own configuration (HG_ROSTER_*), one table. */
#include "settings.h"

#include <stddef.h>

#include "log.h"
#include "service.h"

static struct roster_settings settings; /* set once before any thread starts, read-only afterwards */

static const struct {
	const char *env;
	long def, min, max;
	size_t offset;
} rows[] = {
	{"HG_ROSTER_MAX_ZIP_BYTES", 64L << 20, 1024, 1L << 30, offsetof(struct roster_settings, max_zip_bytes)},
	{"HG_ROSTER_MAX_UNCOMPRESSED_BYTES", 512L << 20, 1024, 8L << 30,
	 offsetof(struct roster_settings, max_uncompressed_bytes)},
	{"HG_ROSTER_MAX_ROWS", 1000000, 1, 20000000, offsetof(struct roster_settings, max_rows)},
	{"HG_ROSTER_MAX_FIELD_BYTES", 1024, 16, 65536, offsetof(struct roster_settings, max_field_bytes)},
	{"HG_ROSTER_MAX_PROBLEMS", 1000, 1, 100000, offsetof(struct roster_settings, max_problems)},
	{"HG_ROSTER_IMPORT_TIMEOUT_MS", 300000, 1000, 3600000, offsetof(struct roster_settings, import_timeout_ms)},
	{"HG_ROSTER_MAX_CONCURRENT_IMPORTS", 2, 1, 64, offsetof(struct roster_settings, max_concurrent_imports)},
};

int roster_configure(struct hg_service *svc, char *err, size_t errlen)
{
	json_t *logged = json_object();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		long *field = (long *)(void *)((char *)&settings + rows[i].offset);
		if (hg_config_long(hg_config_getenv, NULL, rows[i].env, rows[i].def, rows[i].min, rows[i].max, field,
				   err, errlen) != 0) {
			json_decref(logged);
			return -1;
		}
		json_object_set_new(logged, rows[i].env, json_integer(*field));
	}
	hg_log_fields(HG_LOG_INFO, json_pack("{s:o}", "config", logged), "roster configuration");
	svc->max_upload = (size_t)settings.max_zip_bytes;
	svc->ext = &settings;
	return 0;
}
