/* sync.c - a roster sync's records: OneRoster 1.2 REST answers as the rows of the import's CSV files (pure). */
#include "services/roster/sync.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"

const struct sync_collection_def sync_collections[SYNC_NCOLLECTIONS] = {
	[SYNC_ORGS] = {"orgs", "orgs", "sourcedId,status,dateLastModified,name,type,identifier,parent"},
	[SYNC_SESSIONS] = {"academicSessions", "academicSessions",
			   "sourcedId,status,dateLastModified,title,type,startDate,endDate,parent,schoolYear"},
	/* never the password */
	[SYNC_USERS] =
		{"users", "users",
		 "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,"
		 "identifier,email,sms,phone,agents,grades,userMasterIdentifier,preferredFirstName,"
		 "preferredMiddleName,preferredLastName,primaryOrg,pronouns,roles"},
};

static size_t ncolumns(enum oneroster_file f)
{
	size_t n = 0;
	while (oneroster_files[f].columns[n] != NULL)
		n++;
	return n;
}

void sync_data_init(struct sync_data *d)
{
	memset(d, 0, sizeof(*d));
	for (int f = 0; f < OR_NFILES; f++)
		d->files[f].ncols = ncolumns((enum oneroster_file)f);
}

void sync_data_cleanup(struct sync_data *d)
{
	for (int f = 0; f < OR_NFILES; f++) {
		struct sync_rows *r = &d->files[f];
		for (size_t i = 0; i < r->nrows * r->ncols; i++)
			free(r->cells[i]);
		free(r->cells);
	}
	memset(d, 0, sizeof(*d));
}

/* A new row of r (every cell NULL: an empty field). */
static char **row_new(struct sync_rows *r)
{
	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		char **cells = realloc(r->cells, r->cap * r->ncols * sizeof(char *));
		if (cells == NULL)
			abort();
		r->cells = cells;
	}
	char **row = r->cells + r->nrows * r->ncols;
	memset(row, 0, r->ncols * sizeof(char *));
	r->nrows++;
	return row;
}

/* A JSON value as a CSV field holds it (new string), or NULL for an empty field. */
static char *text_of(json_t *v)
{
	if (json_is_string(v))
		return json_string_length(v) > 0 ? xstrdup(json_string_value(v)) : NULL;
	if (json_is_true(v))
		return xstrdup("true");
	if (json_is_false(v))
		return xstrdup("false");
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_object(v)) /* a reference: {"href", "sourcedId", "type"} */
		return text_of(json_object_get(v, "sourcedId"));
	return NULL;
}

static char *field(json_t *o, const char *name) { return text_of(json_object_get(o, name)); }

/* An array as CSV holds a list: "a,b,c" (strings and references). */
static char *list_of(json_t *a, const char *inner)
{
	if (!json_is_array(a) || json_array_size(a) == 0)
		return NULL;
	size_t len = 0, i;
	json_t *v;
	char *out = NULL;
	json_array_foreach(a, i, v) {
		char *t = inner != NULL ? NULL : text_of(v);
		if (inner != NULL && json_is_object(v)) { /* userIds: {type:identifier} */
			const char *type = json_string_value(json_object_get(v, "type"));
			const char *id = json_string_value(json_object_get(v, inner));
			t = xasprintf("{%s:%s}", type ? type : "", id ? id : "");
		}
		if (t == NULL)
			continue;
		size_t tl = strlen(t);
		char *grown = realloc(out, len + tl + 2);
		if (grown == NULL)
			abort();
		out = grown;
		if (len > 0)
			out[len++] = ',';
		memcpy(out + len, t, tl + 1);
		len += tl;
		free(t);
	}
	return out;
}

static void set(char **row, int col, char *value) { row[col] = value; }

static void add_org(struct sync_rows *r, json_t *o)
{
	char **row = row_new(r);
	set(row, ORG_SOURCED_ID, field(o, "sourcedId"));
	set(row, ORG_STATUS, field(o, "status"));
	set(row, ORG_MODIFIED, field(o, "dateLastModified"));
	set(row, ORG_NAME, field(o, "name"));
	set(row, ORG_TYPE, field(o, "type"));
	set(row, ORG_IDENTIFIER, field(o, "identifier"));
	set(row, ORG_PARENT, field(o, "parent"));
}

static void add_session(struct sync_rows *r, json_t *o)
{
	char **row = row_new(r);
	set(row, SES_SOURCED_ID, field(o, "sourcedId"));
	set(row, SES_STATUS, field(o, "status"));
	set(row, SES_MODIFIED, field(o, "dateLastModified"));
	set(row, SES_TITLE, field(o, "title"));
	set(row, SES_TYPE, field(o, "type"));
	set(row, SES_START, field(o, "startDate"));
	set(row, SES_END, field(o, "endDate"));
	set(row, SES_PARENT, field(o, "parent"));
	set(row, SES_YEAR, field(o, "schoolYear"));
}

static void add_user(struct sync_data *d, json_t *o)
{
	char **row = row_new(&d->files[OR_USERS]);
	set(row, USER_SOURCED_ID, field(o, "sourcedId"));
	set(row, USER_STATUS, field(o, "status"));
	set(row, USER_MODIFIED, field(o, "dateLastModified"));
	set(row, USER_ENABLED, field(o, "enabledUser"));
	set(row, USER_USERNAME, field(o, "username"));
	set(row, USER_USER_IDS, list_of(json_object_get(o, "userIds"), "identifier"));
	set(row, USER_GIVEN, field(o, "givenName"));
	set(row, USER_FAMILY, field(o, "familyName"));
	set(row, USER_MIDDLE, field(o, "middleName"));
	set(row, USER_IDENTIFIER, field(o, "identifier"));
	set(row, USER_EMAIL, field(o, "email"));
	set(row, USER_SMS, field(o, "sms"));
	set(row, USER_PHONE, field(o, "phone"));
	set(row, USER_AGENTS, list_of(json_object_get(o, "agents"), NULL));
	set(row, USER_GRADES, list_of(json_object_get(o, "grades"), NULL));
	set(row, USER_MASTER_ID, field(o, "userMasterIdentifier"));
	set(row, USER_PREF_GIVEN, field(o, "preferredFirstName"));
	set(row, USER_PREF_MIDDLE, field(o, "preferredMiddleName"));
	set(row, USER_PREF_FAMILY, field(o, "preferredLastName"));
	set(row, USER_PRIMARY_ORG, field(o, "primaryOrg"));
	set(row, USER_PRONOUNS, field(o, "pronouns"));

	/* Its roles: the rows of roles.csv, keyed "<user>:<org>:<role>". */
	size_t i;
	json_t *role;
	json_array_foreach(json_object_get(o, "roles"), i, role) {
		if (!json_is_object(role))
			continue;
		char **r = row_new(&d->files[OR_ROLES]);
		char *user = field(o, "sourcedId"), *org = field(role, "org"), *name = field(role, "role");
		set(r, ROLE_SOURCED_ID, xasprintf("%s:%s:%s", user ? user : "", org ? org : "", name ? name : ""));
		set(r, ROLE_STATUS, field(o, "status"));
		set(r, ROLE_MODIFIED, field(o, "dateLastModified"));
		set(r, ROLE_USER, user);
		set(r, ROLE_TYPE, field(role, "roleType"));
		set(r, ROLE_ROLE, name);
		set(r, ROLE_BEGIN, field(role, "beginDate"));
		set(r, ROLE_END, field(role, "endDate"));
		set(r, ROLE_ORG, org);
		set(r, ROLE_PROFILE, field(role, "userProfile"));
	}
}

int sync_add_page(struct sync_data *d, enum sync_collection c, json_t *page, size_t *records, char *detail,
		  size_t detail_len)
{
	const char *key = sync_collections[c].key;
	json_t *items = json_object_get(page, key);
	size_t i;
	json_t *o;
	*records = 0;
	if (!json_is_array(items)) {
		snprintf(detail, detail_len, "a page of %s has no \"%s\" array", key, key);
		return -1;
	}
	json_array_foreach(items, i, o) {
		if (!json_is_object(o)) {
			snprintf(detail, detail_len, "a page of %s holds an item that is not an object", key);
			return -1;
		}
	}
	json_array_foreach(items, i, o) {
		if (c == SYNC_ORGS)
			add_org(&d->files[OR_ORGS], o);
		else if (c == SYNC_SESSIONS)
			add_session(&d->files[OR_SESSIONS], o);
		else
			add_user(d, o);
	}
	*records = json_array_size(items);
	return 0;
}

char *sync_page_url(const char *base, enum sync_collection c, long limit, long offset, const char *since)
{
	size_t blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	char *fields = curl_easy_escape(NULL, sync_collections[c].fields, 0);
	char *filter = NULL;
	if (since != NULL) {
		char *f = xasprintf("dateLastModified>'%s'", since);
		filter = curl_easy_escape(NULL, f, 0);
		free(f);
	}
	char *url = xasprintf("%.*s/%s?limit=%ld&offset=%ld&fields=%s%s%s", (int)blen, base, sync_collections[c].path,
			      limit, offset, fields ? fields : "", filter ? "&filter=" : "", filter ? filter : "");
	curl_free(fields);
	curl_free(filter);
	return url;
}

int sync_same_origin(const char *base, const char *url)
{
	const char *p = strstr(base, "://");
	if (p == NULL)
		return 0;
	const char *end = strchr(p + 3, '/');
	size_t n = end != NULL ? (size_t)(end - base) : strlen(base);
	return strncasecmp(base, url, n) == 0 && (url[n] == '/' || url[n] == '?' || url[n] == '\0');
}

/* ---- feeding the import ---- */

/* In a full sync (bulk files) a record is active by being there: status and dateLastModified are left empty,
 * as bulk CSV has them, and a record the provider marks tobedeleted is left out (bulk: absent = inactive). */
static int skipped_in_bulk(char **row, int delta)
{
	return !delta && row[1] != NULL && strcmp(row[1], "tobedeleted") == 0; /* column 1: status */
}

static enum hg_status read_rows(struct import_job *job, enum oneroster_file f, struct roster_batch_file *bf)
{
	const struct sync_data *d = job->source;
	const struct sync_rows *r = &d->files[f];
	int delta = job->manifest.modes[f] == OR_DELTA;
	const char *empty = "";
	const char *fields[ROSTER_CSV_MAX_FIELDS];
	size_t lens[ROSTER_CSV_MAX_FIELDS];
	struct roster_csv_record rec = {.line = 1, .index = 0, .n = r->ncols, .fields = fields, .lens = lens};
	size_t max_field = (size_t)job->settings->max_field_bytes;

	if (r->nrows > (size_t)job->settings->max_rows) {
		snprintf(job->detail, sizeof(job->detail), "the provider's %s hold more than %ld records",
			 oneroster_files[f].name, job->settings->max_rows);
		return HG_PAYLOAD_TOO_LARGE;
	}
	for (size_t c = 0; c < r->ncols; c++) {
		fields[c] = oneroster_files[f].columns[c];
		lens[c] = strlen(fields[c]);
	}
	if (roster_batch_record(bf, &rec) != 0)
		return HG_OK;
	size_t index = 0;
	for (size_t i = 0; i < r->nrows; i++) {
		char **row = r->cells + i * r->ncols;
		if (skipped_in_bulk(row, delta))
			continue;
		int too_long = 0;
		for (size_t c = 0; c < r->ncols; c++) {
			const char *v = row[c] != NULL ? row[c] : empty;
			if (!delta && (c == 1 || c == 2)) /* status, dateLastModified: empty in bulk */
				v = empty;
			fields[c] = v;
			lens[c] = strlen(v);
			if (lens[c] > max_field && !too_long) {
				roster_problems_add(&job->problems, oneroster_files[f].name, (long)(i + 2),
						    oneroster_files[f].columns[c], "a field is longer than %ld bytes",
						    job->settings->max_field_bytes);
				too_long = 1;
			}
		}
		if (too_long)
			continue;
		rec.line = (long)(i + 2); /* as if the records were the file's lines after its header */
		rec.index = ++index;
		if (roster_batch_record(bf, &rec) != 0)
			break;
	}
	return HG_OK;
}

void sync_job_source(struct import_job *job, const struct sync_data *d, int delta)
{
	for (int f = 0; f < OR_NFILES; f++)
		job->manifest.modes[f] = delta ? OR_DELTA : OR_BULK;
	job->read_file = read_rows;
	job->source = d;
}
