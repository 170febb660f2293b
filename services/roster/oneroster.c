/* oneroster.c - the OneRoster 1.2 CSV vocabulary this service reads (pure). */
#include "services/roster/oneroster.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const org_columns[] = {"sourcedId", "status",     "dateLastModified", "name",
					  "type",      "identifier", "parentSourcedId",  NULL};
static const char *const session_columns[] = {"sourcedId", "status",  "dateLastModified", "title",      "type",
					      "startDate", "endDate", "parentSourcedId",  "schoolYear", NULL};
static const char *const role_columns[] = {
	"sourcedId", "status",  "dateLastModified", "userSourcedId",        "roleType", "role",
	"beginDate", "endDate", "orgSourcedId",     "userProfileSourcedId", NULL};
static const char *const user_columns[] = {"sourcedId",
					   "status",
					   "dateLastModified",
					   "enabledUser",
					   "username",
					   "userIds",
					   "givenName",
					   "familyName",
					   "middleName",
					   "identifier",
					   "email",
					   "sms",
					   "phone",
					   "agentSourcedIds",
					   "grades",
					   "password",
					   "userMasterIdentifier",
					   "resourceSourcedIds",
					   "preferredGivenName",
					   "preferredMiddleName",
					   "preferredFamilyName",
					   "primaryOrgSourcedId",
					   "pronouns",
					   NULL};

#define BIT(i) (1u << (i))
#define COMMON_REQUIRED (BIT(0) | BIT(1) | BIT(2)) /* sourcedId, status, dateLastModified */

const struct oneroster_file_def oneroster_files[OR_NFILES] = {
	[OR_ORGS] = {"orgs.csv", "file.orgs", org_columns, COMMON_REQUIRED | BIT(ORG_NAME) | BIT(ORG_TYPE)},
	[OR_SESSIONS] = {"academicSessions.csv", "file.academicSessions", session_columns,
			 COMMON_REQUIRED | BIT(SES_TITLE) | BIT(SES_TYPE) | BIT(SES_START) | BIT(SES_END) |
				 BIT(SES_YEAR)},
	[OR_ROLES] = {"roles.csv", "file.roles", role_columns,
		      COMMON_REQUIRED | BIT(ROLE_USER) | BIT(ROLE_TYPE) | BIT(ROLE_ROLE) | BIT(ROLE_ORG)},
	[OR_USERS] = {"users.csv", "file.users", user_columns,
		      COMMON_REQUIRED | BIT(USER_ENABLED) | BIT(USER_USERNAME) | BIT(USER_GIVEN) | BIT(USER_FAMILY)},
};

const char *const oneroster_org_types[] = {"department", "district", "local", "national", "school", "state", NULL};
const char *const oneroster_session_types[] = {"gradingPeriod", "semester", "schoolYear", "term", NULL};
const char *const oneroster_role_types[] = {"primary", "secondary", NULL};

static size_t ncolumns(enum oneroster_file file)
{
	size_t n = 0;
	while (oneroster_files[file].columns[n] != NULL)
		n++;
	return n;
}

const char *oneroster_column(enum oneroster_file file, int col) { return oneroster_files[file].columns[col]; }

int oneroster_header_read(enum oneroster_file file, const struct roster_csv_record *rec, struct oneroster_header *h,
			  struct roster_problems *p)
{
	const struct oneroster_file_def *def = &oneroster_files[file];
	size_t ncol = ncolumns(file);
	size_t before = p->total;

	for (size_t i = 0; i < OR_MAX_COLUMNS; i++)
		h->pos[i] = -1;
	h->nfields = rec->n;
	for (size_t f = 0; f < rec->n; f++) {
		const char *name = rec->fields[f];
		size_t c = 0;
		if (rec->lens[f] == 0 || !oneroster_is_utf8(name, rec->lens[f])) {
			roster_problems_add(p, def->name, rec->line, NULL,
					    "bad header: column %zu has an empty or invalid name", f + 1);
			continue;
		}
		while (c < ncol && strcmp(def->columns[c], name) != 0)
			c++;
		if (c < ncol) {
			if (h->pos[c] >= 0)
				roster_problems_add(p, def->name, rec->line, name,
						    "bad header: the column is repeated");
			else
				h->pos[c] = (int)f;
		} else if (strncmp(name, "metadata.", 9) != 0) {
			roster_problems_add(p, def->name, rec->line, name,
					    "bad header: not a OneRoster 1.2 column of %s (extensions are metadata.*)",
					    def->name);
		}
	}
	for (size_t c = 0; c < ncol; c++)
		if ((def->required & BIT(c)) && h->pos[c] < 0)
			roster_problems_add(p, def->name, rec->line, def->columns[c],
					    "bad header: the required column is missing");
	return p->total == before;
}

const char *oneroster_value(const struct oneroster_header *h, const struct roster_csv_record *rec, int col)
{
	int pos = h->pos[col];
	return pos >= 0 && (size_t)pos < rec->n ? rec->fields[pos] : "";
}

const char *oneroster_column_at(enum oneroster_file file, const struct oneroster_header *h, size_t pos)
{
	size_t ncol = ncolumns(file);
	for (size_t c = 0; c < ncol; c++)
		if (h->pos[c] == (int)pos)
			return oneroster_files[file].columns[c];
	return NULL;
}

/* ---- roles ---- */

static const struct {
	const char *role;
	enum oneroster_role_kind kind;
	const char *hg_role;
} role_map[] = {
	{"teacher", OR_ROLE_STAFF, "teacher"},
	{"aide", OR_ROLE_STAFF, "teacher"},
	{"counselor", OR_ROLE_STAFF, "teacher"},
	{"principal", OR_ROLE_STAFF, "school_leader"},
	{"siteAdministrator", OR_ROLE_STAFF, "school_leader"},
	{"districtAdministrator", OR_ROLE_STAFF, "district_admin"},
	{"proctor", OR_ROLE_UNMAPPED, NULL},
	{"systemAdministrator", OR_ROLE_UNMAPPED, NULL},
	{"student", OR_ROLE_LEARNER, NULL},
	{"parent", OR_ROLE_FAMILY, NULL},
	{"guardian", OR_ROLE_FAMILY, NULL},
	{"relative", OR_ROLE_FAMILY, NULL},
};

enum oneroster_role_kind oneroster_role(const char *role, const char **hg_role)
{
	*hg_role = NULL;
	for (size_t i = 0; i < sizeof(role_map) / sizeof(role_map[0]); i++) {
		if (strcmp(role_map[i].role, role) == 0) {
			*hg_role = role_map[i].hg_role;
			return role_map[i].kind;
		}
	}
	return strncmp(role, "ext:", 4) == 0 && role[4] != '\0' ? OR_ROLE_UNMAPPED : OR_ROLE_INVALID;
}

int oneroster_in(const char *s, const char *const *choices, int ext)
{
	for (; *choices != NULL; choices++)
		if (strcmp(*choices, s) == 0)
			return 1;
	return ext && strncmp(s, "ext:", 4) == 0 && s[4] != '\0';
}

/* ---- status and dates ---- */

int oneroster_status(const char *s, enum oneroster_mode mode, const char **reason)
{
	*reason = NULL;
	/* Bulk: the file is the complete set, so a row cannot say it is to be deleted (OneRoster 1.2.1 CSV). */
	if (mode == OR_BULK) {
		if (s[0] == '\0')
			return 1;
		*reason = "must be empty in bulk mode: the file is the complete set (status is for delta files)";
		return -1;
	}
	if (strcmp(s, "active") == 0)
		return 1;
	if (strcmp(s, "tobedeleted") == 0)
		return 0;
	*reason = s[0] == '\0' ? "missing required field in delta mode"
			       : "unknown enumeration value: must be active or tobedeleted";
	return -1;
}

const char *oneroster_check_modified(const char *s, enum oneroster_mode mode)
{
	if (s[0] == '\0')
		return mode == OR_DELTA ? "missing required field in delta mode" : NULL;
	if (mode == OR_BULK)
		return "must be empty in bulk mode: the file is the complete set (dateLastModified is for delta files)";
	return oneroster_is_datetime(s) ? NULL : "bad date: must be an ISO 8601 date and time (2026-08-15T09:30:00Z)";
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* The date at the start of s (10 characters). */
static int date_prefix(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!(digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2)))
		return 0;
	int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

int oneroster_is_date(const char *s) { return strlen(s) == 10 && date_prefix(s); }

int oneroster_is_datetime(const char *s)
{
	size_t n = strlen(s);
	if (n < 20 || !date_prefix(s) || s[10] != 'T')
		return 0;
	const char *t = s + 11;
	if (!(digits(t, 2) && t[2] == ':' && digits(t + 3, 2) && t[5] == ':' && digits(t + 6, 2)))
		return 0;
	if (num(t, 2) > 23 || num(t + 3, 2) > 59 || num(t + 6, 2) > 60)
		return 0;
	t += 8;
	if (*t == '.') {
		size_t f = 1;
		while (isdigit((unsigned char)t[f]))
			f++;
		if (f == 1)
			return 0;
		t += f;
	}
	if (strcmp(t, "Z") == 0)
		return 1;
	return (t[0] == '+' || t[0] == '-') && strlen(t) == 6 && digits(t + 1, 2) && t[3] == ':' && digits(t + 4, 2) &&
	       num(t + 1, 2) <= 23 && num(t + 4, 2) <= 59;
}

int oneroster_is_year(const char *s) { return strlen(s) == 4 && digits(s, 4) && num(s, 4) >= 1; }

int oneroster_is_email(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s);
	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL || n > 254)
		return 0;
	for (const char *c = s; *c != '\0'; c++)
		if (isspace((unsigned char)*c) || *c == ',' || *c == ';' || *c == '<' || *c == '>')
			return 0;
	const char *dot = strrchr(at + 1, '.');
	return dot != NULL && dot != at + 1 && dot[1] != '\0';
}

int oneroster_bool(const char *s)
{
	if (strcasecmp(s, "true") == 0)
		return 1;
	if (strcasecmp(s, "false") == 0)
		return 0;
	return -1;
}

int oneroster_is_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		size_t extra;
		unsigned min;
		unsigned cp;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			extra = 1;
			min = 0x80;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			extra = 2;
			min = 0x800;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			extra = 3;
			min = 0x10000;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (size_t k = 1; k <= extra; k++) {
			if (i + k >= len || (p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += extra + 1;
	}
	return 1;
}
