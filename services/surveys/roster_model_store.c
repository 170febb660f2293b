/* roster_model_store.c - the roster read model in PostgreSQL: educators (roles, schools, career start) and
 * schools (equity attributes), each changed only by a newer version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "services/surveys/roster_model.h"
#include "services/surveys/roster_model_store.h"

/* A deactivation without lists keeps the stored ones ($5/$6 NULL). */
static const struct hg_stmt educator_stmt = {
	"surveys_roster_educator_upsert",
	"INSERT INTO roster_educators (district_id, educator_id, status, roles, school_ids, started_teaching_on,"
	" version) VALUES ($1, $2, $3, coalesce($4::text[], '{}'), coalesce($5::uuid[], '{}'), $6::date, $7)"
	" ON CONFLICT (district_id, educator_id) DO UPDATE SET status = excluded.status,"
	" roles = CASE WHEN $4 IS NULL THEN roster_educators.roles ELSE excluded.roles END,"
	" school_ids = CASE WHEN $5 IS NULL THEN roster_educators.school_ids ELSE excluded.school_ids END,"
	" started_teaching_on = excluded.started_teaching_on, version = excluded.version"
	" WHERE roster_educators.version < excluded.version",
	7};

static const struct hg_stmt school_stmt = {
	"surveys_roster_school_upsert",
	"INSERT INTO roster_schools (district_id, school_id, name, locale, poverty_level, title_i, version)"
	" VALUES ($1, $2, coalesce($3, ''), $4, $5, $6::boolean, $7)"
	" ON CONFLICT (district_id, school_id) DO UPDATE SET name = excluded.name, locale = excluded.locale,"
	" poverty_level = excluded.poverty_level, title_i = excluded.title_i, version = excluded.version"
	" WHERE roster_schools.version < excluded.version",
	7};

/* A JSON array of strings as a PostgreSQL array literal, each element quoted; NULL for NULL. Caller frees. */
static char *text_array(json_t *list)
{
	if (list == NULL)
		return NULL;
	size_t cap = 3, i;
	json_t *s;
	json_array_foreach(list, i, s)
		cap += 2 * strlen(json_string_value(s)) + 3;
	char *out = xmalloc(cap), *p = out;
	*p++ = '{';
	json_array_foreach(list, i, s) {
		if (i > 0)
			*p++ = ',';
		*p++ = '"';
		for (const char *c = json_string_value(s); *c; c++) {
			if (*c == '"' || *c == '\\')
				*p++ = '\\';
			*p++ = *c;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return out;
}

enum hg_status roster_model_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg)
{
	struct roster_fact f;
	char version[24];
	enum hg_status st;

	(void)arg;
	if (strcmp(topic, ROSTER_TOPIC) != 0)
		return HG_OK;
	st = roster_model_parse(event, &f);
	if (st == HG_NOT_FOUND)
		return HG_OK; /* not an event this read model follows */
	if (st != HG_OK) {
		hg_log(HG_LOG_WARN, "roster event %s does not describe an educator or a school; rejected",
		       json_string_value(json_object_get(event, "id")));
		return st;
	}
	if (f.kind == ROSTER_SCHOOL) {
		snprintf(version, sizeof(version), "%lld", f.version);
		const char *title_i = f.title_i < 0 ? NULL : f.title_i ? "true" : "false";
		const char *params[7] = {f.district_id, f.id, f.name, f.locale, f.poverty_level, title_i, version};
		return hg_db_exec(conn, &school_stmt, params, NULL);
	}
	const struct hg_roster_educator *e = &f.educator;
	snprintf(version, sizeof(version), "%lld", e->version);
	char *roles = text_array(e->roles), *schools = text_array(e->school_ids);
	const char *params[7] = {e->district_id, e->educator_id,         e->status, roles,
				 schools,        e->started_teaching_on, version};
	st = hg_db_exec(conn, &educator_stmt, params, NULL);
	free(roles);
	free(schools);
	return st;
}
