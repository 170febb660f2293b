/* manifest.c - manifest.csv: which files an import holds, and in which mode (pure). */
#include "services/roster/manifest.h"

#include <string.h>

#define FILE_NAME ROSTER_MANIFEST

/* OneRoster 1.2.1 CSV: the manifest has a row for every data file, absent or not (21 of them). */
static const char *const every_file[] = {"file.academicSessions",
					 "file.categories",
					 "file.classes",
					 "file.classResources",
					 "file.courseResources",
					 "file.courses",
					 "file.demographics",
					 "file.enrollments",
					 "file.lineItemLearningObjectiveIds",
					 "file.lineItems",
					 "file.lineItemScoreScales",
					 "file.orgs",
					 "file.resources",
					 "file.resultLearningObjectiveIds",
					 "file.results",
					 "file.resultScoreScales",
					 "file.roles",
					 "file.scoreScales",
					 "file.userProfiles",
					 "file.userResources",
					 "file.users"};

void roster_manifest_init(struct roster_manifest *m, struct roster_problems *problems)
{
	memset(m, 0, sizeof(*m));
	m->problems = problems;
	roster_strmap_init(&m->seen);
}

void roster_manifest_cleanup(struct roster_manifest *m) { roster_strmap_cleanup(&m->seen); }

const char *roster_mode_name(enum oneroster_mode mode)
{
	return mode == OR_BULK ? "bulk" : mode == OR_DELTA ? "delta" : "absent";
}

static void property(struct roster_manifest *m, long line, const char *name, const char *value)
{
	long first;
	if (!roster_strmap_add(&m->seen, name, line, &first)) {
		roster_problems_add(m->problems, FILE_NAME, line, "propertyName",
				    "duplicate property (first on line %ld)", first);
		return;
	}
	if (strcmp(name, "manifest.version") == 0) {
		m->manifest_version_line = line;
		if (strcmp(value, "1.0") != 0)
			roster_problems_add(m->problems, FILE_NAME, line, "value",
					    "unknown enumeration value: manifest.version must be 1.0");
		return;
	}
	if (strcmp(name, "oneroster.version") == 0) {
		m->oneroster_version_line = line;
		if (strcmp(value, "1.2") != 0)
			roster_problems_add(m->problems, FILE_NAME, line, "value",
					    "unknown enumeration value: only OneRoster 1.2 is supported");
		return;
	}
	if (strncmp(name, "file.", 5) != 0)
		return; /* source.* and other descriptive properties */
	enum oneroster_mode mode;
	if (strcmp(value, "bulk") == 0)
		mode = OR_BULK;
	else if (strcmp(value, "delta") == 0)
		mode = OR_DELTA;
	else if (strcmp(value, "absent") == 0)
		mode = OR_ABSENT;
	else {
		roster_problems_add(m->problems, FILE_NAME, line, "value",
				    "unknown enumeration value: must be bulk, delta or absent");
		return;
	}
	for (int f = 0; f < OR_NFILES; f++) {
		if (strcmp(oneroster_files[f].manifest_key, name) == 0) {
			m->modes[f] = mode;
			m->lines[f] = line;
		}
	}
}

int roster_manifest_record(void *ctx, const struct roster_csv_record *rec)
{
	struct roster_manifest *m = ctx;

	m->header_seen = 1;

	for (size_t i = 0; i < rec->n; i++) {
		if (!oneroster_is_utf8(rec->fields[i], rec->lens[i])) {
			roster_problems_add(m->problems, FILE_NAME, rec->line, i == 0 ? "propertyName" : "value",
					    "is not valid UTF-8");
			return 0;
		}
	}
	if (rec->index == 0) {
		m->header_ok = rec->n == 2 && strcmp(rec->fields[0], "propertyName") == 0 &&
			       strcmp(rec->fields[1], "value") == 0;
		if (!m->header_ok) {
			roster_problems_add(m->problems, FILE_NAME, rec->line, NULL,
					    "bad header: must be exactly propertyName,value");
			return 1; /* nothing after a bad header can be read */
		}
		return 0;
	}
	if (rec->n != 2) {
		roster_problems_add(m->problems, FILE_NAME, rec->line, NULL, "has %zu fields; the header has 2",
				    rec->n);
		return 0;
	}
	if (rec->fields[0][0] == '\0') {
		roster_problems_add(m->problems, FILE_NAME, rec->line, "propertyName", "missing required field");
		return 0;
	}
	property(m, rec->line, rec->fields[0], rec->fields[1]);
	return 0;
}

void roster_manifest_finish(struct roster_manifest *m)
{
	/* No record at all: an empty file, or one that could not be read (its problem is already listed). */
	if (!m->header_seen && m->problems->total == 0)
		roster_problems_add(m->problems, FILE_NAME, 0, NULL,
				    "is empty: it needs the header propertyName,value");
	if (!m->header_ok)
		return;
	if (m->manifest_version_line == 0)
		roster_problems_add(m->problems, FILE_NAME, 0, "manifest.version", "the required property is missing");
	if (m->oneroster_version_line == 0)
		roster_problems_add(m->problems, FILE_NAME, 0, "oneroster.version", "the required property is missing");
	for (size_t i = 0; i < sizeof(every_file) / sizeof(every_file[0]); i++)
		if (!roster_strmap_get(&m->seen, every_file[i], NULL))
			roster_problems_add(m->problems, FILE_NAME, 0, "propertyName",
					    "the row %s is missing: a OneRoster 1.2 manifest names every file, as "
					    "absent, bulk or delta",
					    every_file[i]);
	int any = 0;
	for (int f = 0; f < OR_NFILES; f++)
		any |= m->modes[f] != OR_ABSENT;
	if (!any)
		roster_problems_add(m->problems, FILE_NAME, 0, NULL,
				    "declares none of orgs.csv, academicSessions.csv, roles.csv, users.csv");
	if (m->modes[OR_USERS] == OR_BULK && m->modes[OR_ROLES] == OR_ABSENT)
		roster_problems_add(m->problems, FILE_NAME, m->lines[OR_USERS], "value",
				    "users.csv in bulk mode needs roles.csv, which tells staff from students");
}
