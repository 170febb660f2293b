/* sync.h - a roster sync's records: OneRoster 1.2 REST answers turned into the rows of the CSV files the
 * import reads (pure; no HTTP, no SQL).
 *
 * A sync fetches orgs, academicSessions and users (whose roles come embedded, as REST 1.2 has them) and hands
 * them to the CSV import's transaction as the records of orgs.csv, academicSessions.csv, roles.csv and
 * users.csv (import_job.read_file): the same checks, student filtering, apply, events and report. A role of a
 * user has no sourcedId in REST; its record gets "<user>:<org>:<role>". Scalars become text as CSV holds
 * them (true/false, integers in decimal), a missing or null value an empty field, a reference object
 * ({"sourcedId": ...}) its sourcedId; the password is never asked for (field selection) nor kept.
 */
#ifndef ROSTER_SYNC_H
#define ROSTER_SYNC_H

#include <jansson.h>
#include <stddef.h>

#include "services/roster/import.h"
#include "services/roster/oneroster.h"

/* The REST collections a sync reads, in order. */
enum sync_collection { SYNC_ORGS, SYNC_SESSIONS, SYNC_USERS, SYNC_NCOLLECTIONS };

struct sync_collection_def {
	const char *path;   /* "orgs": base_url + "/" + path */
	const char *key;    /* the answer's array member */
	const char *fields; /* the field selection asked for */
};
extern const struct sync_collection_def sync_collections[SYNC_NCOLLECTIONS];

/* The rows of one CSV-shaped file: ncols = the file's columns (oneroster_files), cells row-major. */
struct sync_rows {
	char **cells;
	size_t nrows, cap, ncols;
};

struct sync_data {
	struct sync_rows files[OR_NFILES];
};

void sync_data_init(struct sync_data *d);
void sync_data_cleanup(struct sync_data *d);

/*
 * Add one page of collection c (the answer object) to d. 0; -1 when the page is malformed (its array member
 * missing or not an array of objects), with why in detail. *records is set to the records it held.
 */
int sync_add_page(struct sync_data *d, enum sync_collection c, json_t *page, size_t *records, char *detail,
		  size_t detail_len);

/* The URL of a page (new string): base/path?limit=&offset=&fields=[&filter=dateLastModified>'since']. */
char *sync_page_url(const char *base, enum sync_collection c, long limit, long offset, const char *since);

/* Does url start with base's scheme and authority (a Link to follow must stay on the provider's host)? */
int sync_same_origin(const char *base, const char *url);

/* Prepare job (import_job_init'ed) to apply d: every file bulk (a full sync) or delta, read from d. */
void sync_job_source(struct import_job *job, const struct sync_data *d, int delta);

#endif
