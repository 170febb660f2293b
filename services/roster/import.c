/* import.c - a OneRoster import from zip to report: the rules in order. */
#include "services/roster/import.h"

#include <stdio.h>
#include <string.h>

#include "services/roster/csvfile.h"

/* Files are read in this order: by users.csv it is known who is staff. */
static const enum oneroster_file read_order[] = {OR_ORGS, OR_SESSIONS, OR_ROLES, OR_USERS};

enum roster_change roster_change_of(const char *old_status, const char *new_status)
{
	if (old_status == NULL)
		return ROSTER_CREATED;
	if (strcmp(old_status, "active") == 0 && strcmp(new_status, "inactive") == 0)
		return ROSTER_DEACTIVATED;
	return ROSTER_UPDATED;
}

const char *roster_event_type(const char *entity, enum roster_change change, char *buf, size_t len)
{
	snprintf(buf, len, "%s.%s", entity, change == ROSTER_DEACTIVATED ? "deactivated" : "upserted");
	return buf;
}

void roster_count(struct import_counts *counts, enum roster_change change)
{
	if (change == ROSTER_CREATED)
		counts->created++;
	else if (change == ROSTER_DEACTIVATED)
		counts->deactivated++;
	else
		counts->updated++;
}

/* ---- reading one CSV entry ---- */

struct feed {
	struct roster_csv *csv;
};

static int sink(void *ctx, const void *data, size_t len)
{
	struct feed *f = ctx;
	return roster_csv_feed(f->csv, data, len) != ROSTER_CSV_OK;
}

/*
 * Stream entry name through the CSV reader into fn. Problems are added to
 * the job; HG_PAYLOAD_TOO_LARGE (with detail) stops the import. bf, when
 * given, names the column of a field that is too long.
 */
static enum hg_status read_csv(struct import_job *job, const char *name, roster_csv_fn fn, void *ctx,
			       const struct roster_batch_file *bf)
{
	const struct roster_settings *s = job->settings;
	struct roster_csv csv;
	struct feed feed = {&csv};
	char detail[512];
	enum hg_status st;
	int64_t index = roster_zip_find(&job->zip, name);

	if (index < 0) {
		roster_problems_add(&job->problems, name, 0, NULL, "the zip archive does not hold this file");
		return HG_OK;
	}
	if (roster_csv_init(&csv, (size_t)s->max_field_bytes, (size_t)s->max_rows, fn, ctx) != 0)
		return HG_INTERNAL;
	st = roster_zip_read(&job->zip, index, sink, &feed, detail, sizeof(detail));
	if (st == HG_PAYLOAD_TOO_LARGE) {
		snprintf(job->detail, sizeof(job->detail), "%s", detail);
		goto out;
	}
	if (st != HG_OK) {
		roster_problems_add(&job->problems, name, 0, NULL, "%s", detail);
		st = HG_OK;
		goto out;
	}
	enum roster_csv_status cs = csv.status == ROSTER_CSV_OK ? roster_csv_finish(&csv) : csv.status;
	/* A file not read to its end: references to its rows cannot be judged. */
	if (bf != NULL && cs != ROSTER_CSV_OK)
		bf->b->unreadable[bf->file] = 1;
	switch (cs) {
	case ROSTER_CSV_OK:
	case ROSTER_CSV_STOPPED: /* the callback stopped (a bad header); its problems are recorded */
		break;
	case ROSTER_CSV_TOO_MANY_ROWS:
		snprintf(job->detail, sizeof(job->detail), "%s has more than %ld data rows", name, s->max_rows);
		st = HG_PAYLOAD_TOO_LARGE;
		break;
	case ROSTER_CSV_FIELD_TOO_LONG: {
		const char *column = NULL;
		if (bf != NULL && bf->header_ok)
			column = oneroster_column_at(bf->file, &bf->header, csv.error_field);
		roster_problems_add(&job->problems, name, csv.error_line, column,
				    "a field is longer than %ld bytes; the file was not read further",
				    s->max_field_bytes);
		break;
	}
	case ROSTER_CSV_MALFORMED:
	case ROSTER_CSV_TOO_MANY_FIELDS:
		roster_problems_add(&job->problems, name, csv.error_line, NULL, "%s; the file was not read further",
				    roster_csv_reason(cs));
		break;
	}
out:
	roster_csv_cleanup(&csv);
	return st;
}

/* ---- the steps ---- */

static enum hg_status read_manifest(struct import_job *job)
{
	enum hg_status st;
	if (roster_zip_find(&job->zip, ROSTER_MANIFEST) < 0) {
		roster_problems_add(&job->problems, ROSTER_MANIFEST, 0, NULL,
				    "the zip archive holds no manifest.csv at its top level");
		return HG_OK;
	}
	st = read_csv(job, ROSTER_MANIFEST, roster_manifest_record, &job->manifest, NULL);
	if (st != HG_OK)
		return st;
	roster_manifest_finish(&job->manifest);
	for (int f = 0; f < OR_NFILES; f++) {
		const char *name = oneroster_files[f].name;
		if (job->manifest.modes[f] != OR_ABSENT && roster_zip_find(&job->zip, name) < 0)
			roster_problems_add(&job->problems, ROSTER_MANIFEST, job->manifest.lines[f], "value",
					    "declares %s, but the zip archive does not hold it", name);
	}
	return HG_OK;
}

/* roster_batch_record, counting the rows read for the progress. */
struct counted {
	struct import_job *job;
	struct roster_batch_file *bf;
};

static int count_record(void *ctx, const struct roster_csv_record *rec)
{
	struct counted *c = ctx;
	if (c->bf->header_ok) {
		c->job->records_read++;
		if (c->job->progress != NULL && (c->job->records_read & 1023) == 0)
			c->job->progress(c->job, "reading");
	}
	return roster_batch_record(c->bf, rec);
}

/* Read and check every declared file against the stored keys (run inside the transaction). */
static enum hg_status parse(struct import_job *job)
{
	enum hg_status st;

	/* A retried transaction reads everything again from the start. */
	if (job->batch_ready)
		roster_batch_cleanup(&job->batch);
	roster_problems_clear(&job->problems);
	roster_batch_init(&job->batch, job->manifest.modes, &job->keys, &job->problems);
	job->batch_ready = 1;
	job->zip.budget = job->zip.max;
	job->records_read = job->records_applied = 0;
	job->estimated_total = -1;
	if (job->progress != NULL)
		job->progress(job, "reading");

	for (size_t i = 0; i < sizeof(read_order) / sizeof(read_order[0]); i++) {
		enum oneroster_file f = read_order[i];
		struct roster_batch_file bf;
		if (job->manifest.modes[f] == OR_ABSENT)
			continue;
		roster_batch_file_init(&bf, &job->batch, f);
		struct counted counted = {job, &bf};
		if (job->read_file != NULL)
			st = job->read_file(job, f, &bf);
		else
			st = read_csv(job, oneroster_files[f].name, count_record, &counted, &bf);
		if (st != HG_OK)
			return st;
	}
	roster_batch_resolve(&job->batch);
	return job->problems.total > 0 ? HG_INVALID : HG_OK;
}

static json_t *counts_json(const struct import_counts *c)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "created", (json_int_t)c->created, "updated", (json_int_t)c->updated,
			 "deactivated", (json_int_t)c->deactivated, "unchanged", (json_int_t)c->unchanged);
}

static json_t *report_body(const struct import_job *job)
{
	json_t *files = json_object();
	for (int f = 0; f < OR_NFILES; f++)
		json_object_set_new(files, oneroster_files[f].name,
				    json_string(roster_mode_name(job->manifest.modes[f])));
	return json_pack("{s:o, s:{s:o, s:o, s:o}, s:{s:I, s:I}}", "files", files, "counts", "orgs",
			 counts_json(&job->counts[IMPORT_ORGS]), "academic_sessions",
			 counts_json(&job->counts[IMPORT_SESSIONS]), "educators",
			 counts_json(&job->counts[IMPORT_EDUCATORS]), "skipped", "users",
			 (json_int_t)job->batch.skipped_users, "roles", (json_int_t)job->batch.skipped_roles);
}

void import_job_init(struct import_job *job, const struct hg_principal *who, const struct roster_settings *s,
		     int dry_run)
{
	memset(job, 0, sizeof(*job));
	job->who = who;
	job->settings = s;
	job->dry_run = dry_run;
	job->parse = parse;
	job->estimated_total = -1;
	job->report_body = report_body;
	roster_manifest_init(&job->manifest, &job->problems);
	roster_keys_init(&job->keys);
	roster_problems_init(&job->problems, (size_t)s->max_problems);
}

void import_job_cleanup(struct import_job *job)
{
	if (job->batch_ready)
		roster_batch_cleanup(&job->batch);
	roster_zip_close(&job->zip);
	roster_manifest_cleanup(&job->manifest);
	roster_keys_cleanup(&job->keys);
	roster_problems_cleanup(&job->problems);
	json_decref(job->report);
	job->report = NULL;
}

enum hg_status import_open(struct import_job *job, const void *zip, size_t len)
{
	char detail[512];
	enum hg_status st = roster_zip_open(&job->zip, zip, len, (uint64_t)job->settings->max_uncompressed_bytes,
					    detail, sizeof(detail));
	if (st == HG_INVALID) {
		roster_problems_add(&job->problems, NULL, 0, NULL, "%s", detail);
		return HG_INVALID;
	}
	if (st != HG_OK) {
		snprintf(job->detail, sizeof(job->detail), "%s", detail);
		return st;
	}
	st = read_manifest(job);
	if (st != HG_OK)
		return st;
	if (job->problems.total > 0)
		return HG_INVALID; /* without a sound manifest there is nothing to read */
	return HG_OK;
}
