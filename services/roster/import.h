/* import.h - a OneRoster import from zip to report: the rules in order.
 *
 * 1. The zip is opened under its limits (413 for a bomb, 422 when it is not
 *    a zip) and manifest.csv is read; every file it declares must be there.
 * 2. In one transaction (import_store_run), with the district's import lock held
 *    and the keys of what is stored loaded, the files are read and checked
 *    (batch.c); any problem rolls everything back (422 with every problem).
 * 3. Otherwise the store applies the differences set-based, writes one event
 *    per changed entity and the report. A dry run does the same, reports
 *    the counts, and rolls the changes back (only its report is kept).
 */
#ifndef ROSTER_IMPORT_H
#define ROSTER_IMPORT_H

#include <jansson.h>
#include <stdint.h>

#include "common/auth.h"
#include "services/roster/archive.h"
#include "services/roster/batch.h"
#include "services/roster/manifest.h"
#include "services/roster/problems.h"
#include "services/roster/roster_settings.h"

enum import_entity { IMPORT_ORGS, IMPORT_SESSIONS, IMPORT_EDUCATORS, IMPORT_NENTITIES };

struct import_counts {
	long created, updated, deactivated, unchanged;
};

/* How a stored row changed: created, updated, or deactivated (active -> inactive). */
enum roster_change { ROSTER_CREATED, ROSTER_UPDATED, ROSTER_DEACTIVATED };

/* old_status NULL: the row is new. */
enum roster_change roster_change_of(const char *old_status, const char *new_status);
/* "<entity>.upserted" or "<entity>.deactivated" into buf. */
const char *roster_event_type(const char *entity, enum roster_change change, char *buf, size_t len);
/* Add one change to counts. */
void roster_count(struct import_counts *counts, enum roster_change change);

struct import_job {
	/* in */
	const struct hg_principal *who;
	const struct roster_settings *settings;
	int dry_run;

	/* the parse, run by the store inside the transaction once keys are loaded */
	enum hg_status (*parse)(struct import_job *job);
	/* How parse reads one declared file into bf (roster_batch_record for each record, the header first):
	 * NULL reads the zip's CSV; a sync feeds the records it fetched (source). HG_OK, or
	 * HG_PAYLOAD_TOO_LARGE with detail; problems go to the job. */
	enum hg_status (*read_file)(struct import_job *job, enum oneroster_file file, struct roster_batch_file *bf);
	const void *source; /* what read_file reads (borrowed) */
	/* the report body to store (new reference), once counts are known */
	json_t *(*report_body)(const struct import_job *job);
	/* Told the phase ("reading", "applying") and the figures below as they move (throttled by the caller's
	 * own clock, NULL: nobody watches). It may set stop: the transaction then ends, nothing applied. */
	void (*progress)(struct import_job *job, const char *phase);
	void *progress_arg;
	const char *import_id; /* a background import's row: the report finishes it (NULL: a new row) */
	int stop;              /* set by progress (same thread): give up (HG_UNAVAILABLE, rolled back) */

	struct roster_zip zip;
	struct roster_manifest manifest;
	struct roster_keys keys; /* filled by the store */
	struct roster_batch batch;
	int batch_ready;
	struct roster_problems problems;
	char detail[512]; /* why, for a 413 */

	/* out */
	long records_read;    /* data rows read from the files (skipped ones included) */
	long records_applied; /* records of orgs, academic sessions and users applied (written or unchanged) */
	long estimated_total; /* records to apply, once the files are read (-1 before) */
	struct import_counts counts[IMPORT_NENTITIES];
	int64_t parse_us, apply_us, events_us; /* where the time went (for the log) */
	json_t *report;                        /* the stored report (new reference) */
};

void import_job_init(struct import_job *job, const struct hg_principal *who, const struct roster_settings *s,
		     int dry_run);
void import_job_cleanup(struct import_job *job);

/*
 * Open zip (borrowed) under its limits and read its manifest (step 1): HG_OK
 * when the store may run the import (import_store_run); HG_INVALID with
 * job->problems; HG_PAYLOAD_TOO_LARGE with job->detail.
 */
enum hg_status import_open(struct import_job *job, const void *zip, size_t len);

#endif
