/* oneroster.h - the OneRoster 1.2 CSV vocabulary this service reads (pure).
 *
 * The four files it imports, their columns, which of them are required, the
 * enumerations, the mapping from OneRoster staff roles to Homegrown roles,
 * and the checks of dates, years, e-mail addresses and UTF-8. Headers are
 * matched by name (any order); a column outside the 1.2 list is a bad header
 * unless it is an extension (`metadata.*`).
 */
#ifndef ROSTER_ONEROSTER_H
#define ROSTER_ONEROSTER_H

#include <stddef.h>

#include "services/roster/csvfile.h"
#include "services/roster/problems.h"

enum oneroster_file { OR_ORGS, OR_SESSIONS, OR_ROLES, OR_USERS, OR_NFILES };
enum oneroster_mode { OR_ABSENT, OR_BULK, OR_DELTA };

#define OR_MAX_COLUMNS 32

/* Column positions within each file's 1.2 column list. */
enum { ORG_SOURCED_ID, ORG_STATUS, ORG_MODIFIED, ORG_NAME, ORG_TYPE, ORG_IDENTIFIER, ORG_PARENT };
enum { SES_SOURCED_ID, SES_STATUS, SES_MODIFIED, SES_TITLE, SES_TYPE, SES_START, SES_END, SES_PARENT, SES_YEAR };
enum {
	ROLE_SOURCED_ID,
	ROLE_STATUS,
	ROLE_MODIFIED,
	ROLE_USER,
	ROLE_TYPE,
	ROLE_ROLE,
	ROLE_BEGIN,
	ROLE_END,
	ROLE_ORG,
	ROLE_PROFILE
};
enum {
	USER_SOURCED_ID,
	USER_STATUS,
	USER_MODIFIED,
	USER_ENABLED,
	USER_USERNAME,
	USER_USER_IDS,
	USER_GIVEN,
	USER_FAMILY,
	USER_MIDDLE,
	USER_IDENTIFIER,
	USER_EMAIL,
	USER_SMS,
	USER_PHONE,
	USER_AGENTS,
	USER_GRADES,
	USER_PASSWORD,
	USER_MASTER_ID,
	USER_RESOURCES,
	USER_PREF_GIVEN,
	USER_PREF_MIDDLE,
	USER_PREF_FAMILY,
	USER_PRIMARY_ORG,
	USER_PRONOUNS
};

struct oneroster_file_def {
	const char *name;           /* "orgs.csv" */
	const char *manifest_key;   /* "file.orgs" */
	const char *const *columns; /* the 1.2 columns, NULL-terminated */
	unsigned required;          /* bit i: column i must be in the header */
};

extern const struct oneroster_file_def oneroster_files[OR_NFILES];

/* Where each 1.2 column is in a file (-1: not there). */
struct oneroster_header {
	int pos[OR_MAX_COLUMNS];
	size_t nfields; /* fields of the header record */
};

/*
 * Read a header record. Every problem (missing required column, duplicate,
 * empty or unknown name) goes to p on line rec->line. Returns 1 when the
 * header is usable (no problem), else 0.
 */
int oneroster_header_read(enum oneroster_file file, const struct roster_csv_record *rec, struct oneroster_header *h,
			  struct roster_problems *p);

/* The value of column col in rec ("" when the file has no such column). Borrowed. */
const char *oneroster_value(const struct oneroster_header *h, const struct roster_csv_record *rec, int col);
/* The name of column col of file. */
const char *oneroster_column(enum oneroster_file file, int col);
/* The name of the column at position pos of the record (for problems found by position), or NULL. */
const char *oneroster_column_at(enum oneroster_file file, const struct oneroster_header *h, size_t pos);

/* How a OneRoster role is treated. */
enum oneroster_role_kind {
	OR_ROLE_INVALID,  /* not a OneRoster 1.2 role */
	OR_ROLE_LEARNER,  /* student: the user is never imported */
	OR_ROLE_FAMILY,   /* parent, guardian, relative: the role is dropped */
	OR_ROLE_STAFF,    /* maps to a Homegrown role */
	OR_ROLE_UNMAPPED, /* staff without a Homegrown role (proctor, systemAdministrator, ext:*): dropped */
};

/* Classify role; for OR_ROLE_STAFF *hg_role (static) is "teacher", "school_leader" or "district_admin". */
enum oneroster_role_kind oneroster_role(const char *role, const char **hg_role);

/* Is s one of choices (NULL-terminated)? With ext, "ext:<something>" is accepted too. */
int oneroster_in(const char *s, const char *const *choices, int ext);

extern const char *const oneroster_org_types[];
extern const char *const oneroster_session_types[];
extern const char *const oneroster_role_types[];

/*
 * The status column for mode: 1 active, 0 to be deleted, -1 invalid with
 * *reason. Bulk: empty (the file is the complete set: OneRoster 1.2.1 CSV);
 * delta: active or tobedeleted, required.
 */
int oneroster_status(const char *s, enum oneroster_mode mode, const char **reason);
/* dateLastModified for mode (bulk: empty; delta: required): NULL when fine, else a reason. */
const char *oneroster_check_modified(const char *s, enum oneroster_mode mode);

int oneroster_is_date(const char *s);     /* YYYY-MM-DD, a real calendar date */
int oneroster_is_datetime(const char *s); /* YYYY-MM-DDTHH:MM:SS[.f](Z|+HH:MM|-HH:MM) */
int oneroster_is_year(const char *s);     /* YYYY */
int oneroster_is_email(const char *s);
/* Boolean per OneRoster ("true"/"false", any case): 1, 0, or -1 when neither. */
int oneroster_bool(const char *s);
/* Valid UTF-8 without NUL bytes? */
int oneroster_is_utf8(const char *s, size_t len);

#endif
