/* settings.h - the roster service's own configuration (HG_ROSTER_*), one table. */
#ifndef ROSTER_SETTINGS_H
#define ROSTER_SETTINGS_H

#include <stddef.h>

struct hg_service;

struct roster_settings {
	long max_zip_bytes;          /* the request body of an import */
	long max_uncompressed_bytes; /* everything the zip inflates to */
	long max_rows;               /* data rows per CSV file */
	long max_field_bytes;        /* one CSV field */
	long max_problems;           /* problems listed in a 422 (all are counted) */
	long import_timeout_ms;      /* statement timeout inside an import's transaction */
	long max_concurrent_imports; /* per process; more answer 503 */
};

/* The service definition's configure hook: loads the table, raises svc->max_upload, sets svc->ext. */
int roster_configure(struct hg_service *svc, char *err, size_t errlen);

#endif
