/* batch.c - the records of one import, read and checked (pure). */
#include "services/roster/batch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

#define REQUIRED "missing required field"
#define BAD_DATE "bad date: must be a date (YYYY-MM-DD)"

void roster_keys_init(struct roster_keys *k)
{
	roster_strmap_init(&k->orgs);
	roster_strmap_init(&k->sessions);
	roster_strmap_init(&k->educators);
}

void roster_keys_cleanup(struct roster_keys *k)
{
	roster_strmap_cleanup(&k->orgs);
	roster_strmap_cleanup(&k->sessions);
	roster_strmap_cleanup(&k->educators);
}

void roster_batch_init(struct roster_batch *b, const enum oneroster_mode modes[OR_NFILES],
		       const struct roster_keys *stored, struct roster_problems *problems)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->modes, modes, sizeof(b->modes));
	for (int f = 0; f < OR_NFILES; f++)
		roster_strmap_init(&b->ids[f]);
	roster_strmap_init(&b->learners);
	roster_strmap_init(&b->staff);
	roster_strmap_init(&b->pairs);
	roster_strmap_init(&b->primaries);
	b->stored = stored;
	b->problems = problems;
}

void roster_batch_cleanup(struct roster_batch *b)
{
	for (size_t i = 0; i < b->norgs; i++) {
		struct batch_org *o = &b->orgs[i];
		free(o->sourced_id), free(o->type), free(o->name), free(o->identifier), free(o->parent);
	}
	for (size_t i = 0; i < b->nsessions; i++) {
		struct batch_session *s = &b->sessions[i];
		free(s->sourced_id), free(s->title), free(s->type), free(s->start), free(s->end), free(s->parent);
	}
	for (size_t i = 0; i < b->nroles; i++) {
		struct batch_role *r = &b->roles[i];
		free(r->sourced_id), free(r->user), free(r->role), free(r->org);
	}
	for (size_t i = 0; i < b->nusers; i++) {
		struct batch_user *u = &b->users[i];
		free(u->sourced_id), free(u->given), free(u->family), free(u->email), free(u->username),
			free(u->user_master_identifier);
	}
	free(b->orgs), free(b->sessions), free(b->roles), free(b->users);
	for (int f = 0; f < OR_NFILES; f++)
		roster_strmap_cleanup(&b->ids[f]);
	roster_strmap_cleanup(&b->learners);
	roster_strmap_cleanup(&b->staff);
	roster_strmap_cleanup(&b->pairs);
	roster_strmap_cleanup(&b->primaries);
	memset(b, 0, sizeof(*b));
}

/* Room for one more item in an array of n items of size sz with capacity *cap. */
static void *grow(void *arr, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 64;
	return xrealloc(arr, *cap * sz);
}

static char *dup_or_null(const char *s) { return s[0] != '\0' ? xstrdup(s) : NULL; }

/* ---- one row ---- */

struct row {
	struct roster_batch_file *f;
	const struct roster_csv_record *rec;
	int bad;
};

static void problem(struct row *r, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(struct row *r, int col, const char *fmt, ...)
{
	char reason[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	roster_problems_add(r->f->b->problems, oneroster_files[r->f->file].name, r->rec->line,
			    col >= 0 ? oneroster_column(r->f->file, col) : NULL, "%s", reason);
	r->bad = 1;
}

/* A column's value, "" when empty or absent; invalid UTF-8 is a problem (and ""). */
static const char *val(struct row *r, int col)
{
	int pos = r->f->header.pos[col];
	const char *v = oneroster_value(&r->f->header, r->rec, col);
	if (pos >= 0 && !oneroster_is_utf8(v, r->rec->lens[pos])) {
		problem(r, col, "is not valid UTF-8");
		return "";
	}
	return v;
}

static const char *required(struct row *r, int col)
{
	const char *v = val(r, col);
	if (v[0] == '\0')
		problem(r, col, REQUIRED);
	return v;
}

/* status and dateLastModified: 1 active, 0 to be deleted, -1 bad. */
static int status(struct row *r, int status_col, int modified_col)
{
	enum oneroster_mode mode = r->f->b->modes[r->f->file];
	const char *reason;
	int active = oneroster_status(val(r, status_col), mode, &reason);
	if (active < 0)
		problem(r, status_col, "%s", reason);
	reason = oneroster_check_modified(val(r, modified_col), mode);
	if (reason != NULL)
		problem(r, modified_col, "%s", reason);
	return active;
}

/* Record sid as seen in this file; a second row with it is a problem. */
static void unique(struct row *r, int col, const char *sid)
{
	long first;
	if (sid[0] != '\0' && !roster_strmap_add(&r->f->b->ids[r->f->file], sid, r->rec->line, &first))
		problem(r, col, "duplicate sourcedId (first on line %ld)", first);
}

static void enumeration(struct row *r, int col, const char *v, const char *const *choices, int ext)
{
	char allowed[160] = "";
	if (v[0] == '\0' || oneroster_in(v, choices, ext))
		return;
	for (const char *const *c = choices; *c != NULL; c++) {
		strncat(allowed, *c, sizeof(allowed) - strlen(allowed) - 1);
		if (c[1] != NULL)
			strncat(allowed, ", ", sizeof(allowed) - strlen(allowed) - 1);
	}
	problem(r, col, "unknown enumeration value: must be one of %s%s", allowed, ext ? " or ext:*" : "");
}

static void date(struct row *r, int col, const char *v)
{
	if (v[0] != '\0' && !oneroster_is_date(v))
		problem(r, col, BAD_DATE);
}

static void org_row(struct row *r)
{
	struct roster_batch *b = r->f->b;
	const char *sid = required(r, ORG_SOURCED_ID);
	int active = status(r, ORG_STATUS, ORG_MODIFIED);
	const char *name = val(r, ORG_NAME), *type = val(r, ORG_TYPE);
	const char *identifier = val(r, ORG_IDENTIFIER), *parent = val(r, ORG_PARENT);

	if (active == 1) {
		if (name[0] == '\0')
			problem(r, ORG_NAME, REQUIRED);
		if (type[0] == '\0')
			problem(r, ORG_TYPE, REQUIRED);
	}
	enumeration(r, ORG_TYPE, type, oneroster_org_types, 1);
	if (parent[0] != '\0' && strcmp(parent, sid) == 0)
		problem(r, ORG_PARENT, "unknown org reference: an org cannot be its own parent");
	unique(r, ORG_SOURCED_ID, sid);
	b->orgs = grow(b->orgs, b->norgs, &b->orgs_cap, sizeof(*b->orgs));
	b->orgs[b->norgs++] =
		(struct batch_org){xstrdup(sid),        xstrdup(type), xstrdup(name), dup_or_null(identifier),
				   dup_or_null(parent), active == 0,   r->rec->line};
}

static void session_row(struct row *r)
{
	struct roster_batch *b = r->f->b;
	const char *sid = required(r, SES_SOURCED_ID);
	int active = status(r, SES_STATUS, SES_MODIFIED);
	const char *title = val(r, SES_TITLE), *type = val(r, SES_TYPE), *start = val(r, SES_START);
	const char *end = val(r, SES_END), *parent = val(r, SES_PARENT), *year = val(r, SES_YEAR);

	if (active == 1) {
		const int cols[] = {SES_TITLE, SES_TYPE, SES_START, SES_END, SES_YEAR};
		const char *vals[] = {title, type, start, end, year};
		for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
			if (vals[i][0] == '\0')
				problem(r, cols[i], REQUIRED);
	}
	enumeration(r, SES_TYPE, type, oneroster_session_types, 1);
	date(r, SES_START, start);
	date(r, SES_END, end);
	if (oneroster_is_date(start) && oneroster_is_date(end) && strcmp(end, start) < 0)
		problem(r, SES_END, "bad date: endDate is before startDate");
	if (year[0] != '\0' && !oneroster_is_year(year))
		problem(r, SES_YEAR, "bad date: must be a four-digit year (YYYY)");
	if (parent[0] != '\0' && strcmp(parent, sid) == 0)
		problem(r, SES_PARENT, "unknown session reference: a session cannot be its own parent");
	unique(r, SES_SOURCED_ID, sid);
	b->sessions = grow(b->sessions, b->nsessions, &b->sessions_cap, sizeof(*b->sessions));
	b->sessions[b->nsessions++] = (struct batch_session){xstrdup(sid),
							     xstrdup(title),
							     xstrdup(type),
							     dup_or_null(start),
							     dup_or_null(end),
							     dup_or_null(parent),
							     year[0] ? (int)strtol(year, NULL, 10) : 0,
							     active == 0,
							     r->rec->line};
}

/* The key of a (user, org) pair: the two sourcedIds joined by a unit separator (caller frees). */
static char *pair_key(const char *user, const char *org) { return xasprintf("%s\x1f%s", user, org); }

/*
 * Count a primary role of an active row for its (user, org) pair: exactly one role of a user at an org is
 * primary (OneRoster 1.2 RoleDType.roleType). A second one is a problem here; a pair without one is found in
 * roster_batch_resolve (bulk only: in delta mode the primary role may be stored already). rec_row: the row
 * when it is checked (a staff role with a Homegrown role), NULL for a staff row that is dropped unread.
 */
static void count_primary(struct roster_batch *b, struct row *rec_row, const char *user, const char *org,
			  const char *type, long line)
{
	long first;
	if (user[0] == '\0' || org[0] == '\0' || strcmp(type, "primary") != 0)
		return;
	char *key = pair_key(user, org);
	if (!roster_strmap_add(&b->primaries, key, line, &first) && rec_row != NULL)
		problem(rec_row, ROLE_TYPE,
			"a second primary role of this user at this org (the first on line %ld): exactly one role "
			"per user and org is primary",
			first);
	free(key);
}

static void role_row(struct row *r)
{
	struct roster_batch *b = r->f->b;
	const char *hg_role;
	const char *role = val(r, ROLE_ROLE);

	if (role[0] == '\0') {
		problem(r, ROLE_ROLE, REQUIRED);
		return;
	}
	switch (oneroster_role(role, &hg_role)) {
	case OR_ROLE_INVALID:
		problem(r, ROLE_ROLE, "unknown enumeration value: not a OneRoster 1.2 role");
		return;
	case OR_ROLE_LEARNER: {
		/* Only the user's sourcedId is held, in memory, to skip their users.csv row. */
		const char *user = oneroster_value(&r->f->header, r->rec, ROLE_USER);
		if (user[0] != '\0')
			roster_strmap_add(&b->learners, user, r->rec->line, NULL);
		b->skipped_roles++;
		return;
	}
	case OR_ROLE_UNMAPPED: {
		/* Dropped unread, but a proctor's primary role at an org still counts for the staff member's
		 * other roles there. */
		const struct oneroster_header *h = &r->f->header;
		if (strcmp(oneroster_value(h, r->rec, ROLE_STATUS), "tobedeleted") != 0)
			count_primary(b, NULL, oneroster_value(h, r->rec, ROLE_USER),
				      oneroster_value(h, r->rec, ROLE_ORG), oneroster_value(h, r->rec, ROLE_TYPE),
				      r->rec->line);
		b->skipped_roles++;
		return;
	}
	case OR_ROLE_FAMILY:
		b->skipped_roles++;
		return;
	case OR_ROLE_STAFF:
		break;
	}

	const char *sid = required(r, ROLE_SOURCED_ID);
	int active = status(r, ROLE_STATUS, ROLE_MODIFIED);
	const char *user = val(r, ROLE_USER), *type = val(r, ROLE_TYPE), *org = val(r, ROLE_ORG);
	const char *begin = val(r, ROLE_BEGIN), *end = val(r, ROLE_END);
	if (active == 1) {
		if (user[0] == '\0')
			problem(r, ROLE_USER, REQUIRED);
		if (type[0] == '\0')
			problem(r, ROLE_TYPE, REQUIRED);
		if (org[0] == '\0')
			problem(r, ROLE_ORG, REQUIRED);
		if (user[0] != '\0')
			roster_strmap_add(&b->staff, user, r->rec->line, NULL);
	}
	enumeration(r, ROLE_TYPE, type, oneroster_role_types, 0);
	if (active == 1 && user[0] != '\0' && org[0] != '\0') {
		char *key = pair_key(user, org);
		roster_strmap_add(&b->pairs, key, r->rec->line, NULL);
		free(key);
		count_primary(b, r, user, org, type, r->rec->line);
	}
	date(r, ROLE_BEGIN, begin);
	date(r, ROLE_END, end);
	if (oneroster_is_date(begin) && oneroster_is_date(end) && strcmp(end, begin) < 0)
		problem(r, ROLE_END, "bad date: endDate is before beginDate");
	unique(r, ROLE_SOURCED_ID, sid);
	b->roles = grow(b->roles, b->nroles, &b->roles_cap, sizeof(*b->roles));
	b->roles[b->nroles++] = (struct batch_role){xstrdup(sid), xstrdup(user), xstrdup(role), xstrdup(org),
						    hg_role,      active == 0,   r->rec->line};
}

/* Is the user of a users.csv row staff (else they are skipped, unread)? */
static int is_staff(const struct roster_batch *b, const char *sid)
{
	if (roster_strmap_get(&b->learners, sid, NULL))
		return 0;
	if (roster_strmap_get(&b->staff, sid, NULL))
		return 1;
	/* Without a complete roles.csv, staff imported before stay staff. */
	return b->modes[OR_ROLES] != OR_BULK && roster_strmap_get(&b->stored->educators, sid, NULL);
}

static void user_row(struct row *r)
{
	struct roster_batch *b = r->f->b;
	const char *sid = oneroster_value(&r->f->header, r->rec, USER_SOURCED_ID);

	if (sid[0] == '\0') {
		problem(r, USER_SOURCED_ID, REQUIRED);
		return;
	}
	if (!is_staff(b, sid)) {
		b->skipped_users++;
		return;
	}
	sid = val(r, USER_SOURCED_ID);
	int active = status(r, USER_STATUS, USER_MODIFIED);
	const char *enabled = val(r, USER_ENABLED), *username = val(r, USER_USERNAME);
	const char *given = val(r, USER_GIVEN), *family = val(r, USER_FAMILY), *email = val(r, USER_EMAIL);
	if (active == 1) {
		const int cols[] = {USER_ENABLED, USER_USERNAME, USER_GIVEN, USER_FAMILY};
		const char *vals[] = {enabled, username, given, family};
		for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
			if (vals[i][0] == '\0')
				problem(r, cols[i], REQUIRED);
	}
	if (enabled[0] != '\0' && oneroster_bool(enabled) < 0)
		problem(r, USER_ENABLED, "unknown enumeration value: must be true or false");
	if (email[0] != '\0' && !oneroster_is_email(email))
		problem(r, USER_EMAIL, "is not an e-mail address");
	unique(r, USER_SOURCED_ID, sid);
	b->users = grow(b->users, b->nusers, &b->users_cap, sizeof(*b->users));
	b->users[b->nusers++] = (struct batch_user){.sourced_id = xstrdup(sid),
						    .given = xstrdup(given),
						    .family = xstrdup(family),
						    .email = dup_or_null(email),
						    .username = dup_or_null(username),
						    .user_master_identifier = dup_or_null(val(r, USER_MASTER_ID)),
						    .enabled = oneroster_bool(enabled) != 0,
						    .deleted = active == 0,
						    .line = r->rec->line};
}

/* ---- one file ---- */

void roster_batch_file_init(struct roster_batch_file *f, struct roster_batch *b, enum oneroster_file file)
{
	memset(f, 0, sizeof(*f));
	f->b = b;
	f->file = file;
}

int roster_batch_record(void *ctx, const struct roster_csv_record *rec)
{
	struct roster_batch_file *f = ctx;
	struct row r = {f, rec, 0};

	if (rec->index == 0) {
		f->header_ok = oneroster_header_read(f->file, rec, &f->header, f->b->problems);
		f->b->unreadable[f->file] = !f->header_ok;
		return !f->header_ok; /* rows under a bad header cannot be read */
	}
	if (rec->n != f->header.nfields) {
		/* Said by line only: the row may be a student's. */
		roster_problems_add(f->b->problems, oneroster_files[f->file].name, rec->line, NULL,
				    "has %zu fields; the header has %zu", rec->n, f->header.nfields);
		return 0;
	}
	switch (f->file) {
	case OR_ORGS:
		org_row(&r);
		break;
	case OR_SESSIONS:
		session_row(&r);
		break;
	case OR_ROLES:
		role_row(&r);
		break;
	case OR_USERS:
		user_row(&r);
		break;
	case OR_NFILES:
		break;
	}
	return 0;
}

/* ---- references ---- */

/*
 * Is id in this import's file, or (unless the file is bulk, hence complete)
 * stored? A file that could not be read is given the benefit of the doubt:
 * its bad header is reported, not every reference to it.
 */
static int known(const struct roster_batch *b, enum oneroster_file file, const struct roster_strmap *stored,
		 const char *id)
{
	return b->unreadable[file] || roster_strmap_get(&b->ids[file], id, NULL) ||
	       (b->modes[file] != OR_BULK && roster_strmap_get(stored, id, NULL));
}

static const char *where(const struct roster_batch *b, enum oneroster_file file)
{
	return b->modes[file] == OR_BULK ? "" : " nor imported before";
}

void roster_batch_resolve(struct roster_batch *b)
{
	struct roster_problems *p = b->problems;
	const char *orgs = oneroster_files[OR_ORGS].name, *sessions = oneroster_files[OR_SESSIONS].name;
	const char *roles = oneroster_files[OR_ROLES].name;

	for (size_t i = 0; i < b->norgs; i++) {
		const struct batch_org *o = &b->orgs[i];
		if (!o->deleted && o->parent != NULL && !known(b, OR_ORGS, &b->stored->orgs, o->parent))
			roster_problems_add(p, orgs, o->line, "parentSourcedId",
					    "unknown org reference: not in orgs.csv%s", where(b, OR_ORGS));
	}
	for (size_t i = 0; i < b->nsessions; i++) {
		const struct batch_session *s = &b->sessions[i];
		if (!s->deleted && s->parent != NULL && !known(b, OR_SESSIONS, &b->stored->sessions, s->parent))
			roster_problems_add(p, sessions, s->line, "parentSourcedId",
					    "unknown session reference: not in academicSessions.csv%s",
					    where(b, OR_SESSIONS));
	}
	for (size_t i = 0; i < b->nroles; i++) {
		const struct batch_role *r = &b->roles[i];
		if (r->deleted)
			continue;
		if (r->org[0] != '\0' && !known(b, OR_ORGS, &b->stored->orgs, r->org))
			roster_problems_add(p, roles, r->line, "orgSourcedId",
					    "unknown org reference: not in orgs.csv%s", where(b, OR_ORGS));
		if (roster_strmap_get(&b->learners, r->user, NULL))
			roster_problems_add(p, roles, r->line, "userSourcedId",
					    "the user also has a student role; students are never imported, so a "
					    "user cannot be both");
		else if (r->user[0] != '\0' && !known(b, OR_USERS, &b->stored->educators, r->user))
			roster_problems_add(p, roles, r->line, "userSourcedId",
					    "unknown user reference: not in users.csv%s", where(b, OR_USERS));
	}
	/* Bulk: every (user, org) pair of the staff roles has its primary role (reported once, at its first row). */
	if (b->modes[OR_ROLES] == OR_BULK && !b->unreadable[OR_ROLES]) {
		for (size_t i = 0; i < b->nroles; i++) {
			const struct batch_role *r = &b->roles[i];
			long first;
			if (r->deleted || r->user[0] == '\0' || r->org[0] == '\0')
				continue;
			char *key = pair_key(r->user, r->org);
			if (roster_strmap_get(&b->pairs, key, &first) && first == r->line &&
			    !roster_strmap_get(&b->primaries, key, NULL))
				roster_problems_add(
					p, roles, r->line, "roleType",
					"no primary role of this user at this org: exactly one role per user "
					"and org is primary");
			free(key);
		}
	}
	/* A student role for someone already imported as staff (their staff roles stay stored). */
	if (b->modes[OR_ROLES] == OR_DELTA) {
		const struct roster_strmap *e = &b->stored->educators;
		for (size_t i = 0; i < e->cap; i++) {
			long line;
			if (e->keys[i] != NULL && roster_strmap_get(&b->learners, e->keys[i], &line))
				roster_problems_add(p, roles, line, "role",
						    "gives a student role to a user imported as staff; students are "
						    "never imported, so a user cannot be both");
		}
	}
}
