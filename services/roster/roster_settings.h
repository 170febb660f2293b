/* roster_settings.h - the roster service's own configuration (HG_ROSTER_*): rows of the common table. */
#ifndef ROSTER_SETTINGS_H
#define ROSTER_SETTINGS_H

#include <stddef.h>

#include "common/config.h"

struct roster_settings {
	long max_zip_bytes;          /* the request body of an import */
	long max_uncompressed_bytes; /* everything the zip inflates to */
	long max_rows;               /* data rows per CSV file */
	long max_field_bytes;        /* one CSV field */
	long max_problems;           /* problems listed in a 422 (all are counted) */
	long import_timeout_ms;      /* statement timeout inside an import's transaction */
	long max_concurrent_imports; /* per process; more answer 503 */
	char *secret_key;            /* HG_ROSTER_SECRET_KEY: 64 hex digits sealing SIS secrets; "" = none */
	long sis_timeout_ms;         /* one request to the SIS (connect included) */
	long sis_retries;            /* more attempts after a 429, 5xx, timeout or broken connection */
	long sis_max_retry_after_s;  /* a longer Retry-After is capped to this */
	long sis_page_size;          /* limit= of each page */
	long sis_max_page_bytes;     /* largest answer of the SIS */
	char *sis_ca_file;           /* PEM bundle to verify the SIS with; "" = the system's */
	long schedule_poll_s;        /* how often the schedule worker looks for due syncs; 0 = never */
};

/* The settings' rows and values (loaded, validated and logged with the common ones at start). */
extern const struct hg_config_table roster_settings_table;

/* The largest import body: svc's upload limit. */
size_t roster_upload_limit(const void *settings);

#endif
