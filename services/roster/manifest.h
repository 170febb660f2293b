/* manifest.h - manifest.csv: which files an import holds, and in which mode (pure).
 *
 * Two columns, propertyName and value. manifest.version must be 1.0 and
 * oneroster.version 1.2; file.<name> is bulk, delta or absent, and every one
 * of the 21 OneRoster 1.2 data files has its row (as the 1.2.1 CSV binding
 * says). Of the files this service reads, at least one must be
 * present, and users.csv in bulk mode needs roles.csv to tell staff from
 * students.
 */
#ifndef ROSTER_MANIFEST_H
#define ROSTER_MANIFEST_H

#include "services/roster/csvfile.h"
#include "services/roster/oneroster.h"
#include "services/roster/problems.h"
#include "services/roster/strmap.h"

#define ROSTER_MANIFEST "manifest.csv"

struct roster_manifest {
	enum oneroster_mode modes[OR_NFILES];
	long lines[OR_NFILES]; /* the line that declares each file (0: not declared) */
	long manifest_version_line, oneroster_version_line;
	int header_seen; /* a first record was read (an empty file has none) */
	int header_ok;
	struct roster_problems *problems; /* borrowed */
	struct roster_strmap seen;        /* property names, for duplicates */
};

void roster_manifest_init(struct roster_manifest *m, struct roster_problems *problems);
void roster_manifest_cleanup(struct roster_manifest *m);
/* The roster_csv callback for manifest.csv records (ctx is the manifest). */
int roster_manifest_record(void *ctx, const struct roster_csv_record *rec);
/* After the last record: the whole-manifest rules. */
void roster_manifest_finish(struct roster_manifest *m);

/* "bulk", "delta" or "absent". */
const char *roster_mode_name(enum oneroster_mode mode);

#endif
