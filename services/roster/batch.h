/* batch.h - the records of one import, read and checked (pure).
 *
 * Files are read in the order orgs, academicSessions, roles, users, so that
 * by the time users.csv is read it is known who is staff. Students are
 * filtered while reading: a role row whose role is student, parent,
 * guardian or relative is dropped as it is read (only a student's user
 * sourcedId is held, in memory, to skip that user's users.csv row), and a
 * users.csv row is kept only for a user with a staff role. Nothing of a
 * dropped row is validated, stored or reported.
 *
 * Problems are collected with file, line and column; references across
 * files and to what the district already has are checked at the end
 * (roster_batch_resolve). A row with a problem is kept too, so that its
 * references are checked as well: any problem rejects the whole import, so
 * such a row is never applied.
 */
#ifndef ROSTER_BATCH_H
#define ROSTER_BATCH_H

#include <stddef.h>

#include "services/roster/csvfile.h"
#include "services/roster/oneroster.h"
#include "services/roster/problems.h"
#include "services/roster/strmap.h"

struct batch_org {
	char *sourced_id, *type, *name, *identifier, *parent; /* identifier, parent: NULL when empty */
	int deleted;
	long line;
};

struct batch_session {
	char *sourced_id, *title, *type, *start, *end, *parent;
	int school_year;
	int deleted;
	long line;
};

struct batch_role {
	char *sourced_id, *user, *role, *org;
	const char *hg_role; /* static */
	int deleted;
	long line;
};

struct batch_user {
	char *sourced_id, *given, *family, *email; /* email NULL when empty */
	char *username, *user_master_identifier;   /* NULL when empty */
	int enabled;
	int deleted;
	long line;
};

/* What the district already has, loaded inside the import transaction. */
struct roster_keys {
	struct roster_strmap orgs, sessions, educators; /* sourcedIds */
};

struct roster_batch {
	enum oneroster_mode modes[OR_NFILES];
	struct batch_org *orgs;
	struct batch_session *sessions;
	struct batch_role *roles;
	struct batch_user *users;
	size_t norgs, nsessions, nroles, nusers;
	size_t orgs_cap, sessions_cap, roles_cap, users_cap;
	struct roster_strmap ids[OR_NFILES]; /* sourcedId -> line of its first row */
	struct roster_strmap learners;       /* users with a student role -> that role's line (memory only) */
	struct roster_strmap staff;          /* users with an active staff role -> that role's line */
	struct roster_strmap pairs;          /* "<user>\x1f<org>" of active staff roles -> line of the first */
	struct roster_strmap primaries;      /* the same pairs with a primary role -> line of the first one */
	long skipped_users, skipped_roles;
	int unreadable[OR_NFILES];        /* a bad header: its rows are unknown, so are references to them */
	const struct roster_keys *stored; /* borrowed */
	struct roster_problems *problems; /* borrowed */
};

void roster_keys_init(struct roster_keys *k);
void roster_keys_cleanup(struct roster_keys *k);

void roster_batch_init(struct roster_batch *b, const enum oneroster_mode modes[OR_NFILES],
		       const struct roster_keys *stored, struct roster_problems *problems);
void roster_batch_cleanup(struct roster_batch *b);

/* Reading one file: the context of its roster_csv callback. */
struct roster_batch_file {
	struct roster_batch *b;
	enum oneroster_file file;
	struct oneroster_header header;
	int header_ok;
};

void roster_batch_file_init(struct roster_batch_file *f, struct roster_batch *b, enum oneroster_file file);
/* The roster_csv callback (ctx: a struct roster_batch_file). */
int roster_batch_record(void *ctx, const struct roster_csv_record *rec);

/* After the last file: references between files and to what is stored. */
void roster_batch_resolve(struct roster_batch *b);

#endif
