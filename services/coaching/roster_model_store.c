/* roster_model_store.c - the roster's educators in PostgreSQL: applying their events, and the new teachers
 * (years 1-3) who have no mentor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/roster_event.h"
#include "common/xmalloc.h"
#include "services/coaching/coaching_store.h"

/* Only a newer version changes the row: a stale or replayed event changes nothing. */
static const struct hg_stmt upsert_stmt = {
	"coaching_roster_upsert",
	"INSERT INTO roster_educators (district_id, educator_id, status, version, roles, school_ids,"
	" started_teaching_on, given_name, family_name)"
	" VALUES ($1, $2, $3, $4, coalesce($5::text[], '{}'), coalesce($6::uuid[], '{}'), $7::date, $8, $9)"
	" ON CONFLICT (district_id, educator_id) DO UPDATE SET status = excluded.status, version = excluded.version,"
	" roles = CASE WHEN $5::text[] IS NULL THEN roster_educators.roles ELSE excluded.roles END,"
	" school_ids = CASE WHEN $6::uuid[] IS NULL THEN roster_educators.school_ids ELSE excluded.school_ids END,"
	" started_teaching_on = excluded.started_teaching_on, given_name = excluded.given_name,"
	" family_name = excluded.family_name, updated_at = clock_timestamp()"
	" WHERE roster_educators.version < excluded.version",
	9};

/* A text[] literal of an array of strings ({"a","b"}, quotes and backslashes escaped); new string. */
static char *text_array(json_t *a)
{
	size_t i, len = 3;
	json_t *s;
	json_array_foreach(a, i, s)
		len += 2 * json_string_length(s) + 3;
	char *out = xmalloc(len), *p = out;
	*p++ = '{';
	json_array_foreach(a, i, s) {
		const char *c = json_string_value(s);
		if (i > 0)
			*p++ = ',';
		*p++ = '"';
		for (; *c; c++) {
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
	struct hg_roster_educator ed;
	char version[24], *schools = NULL, *roles = NULL;
	enum hg_status st;

	(void)arg;
	if (strcmp(topic, HG_ROSTER_TOPIC) != 0)
		return HG_OK;
	st = hg_roster_event_parse(event, &ed);
	if (st == HG_NOT_FOUND)
		return HG_OK; /* not an event this read model follows */
	if (st != HG_OK) {
		hg_log(HG_LOG_WARN, "roster event %s does not describe an educator; rejected",
		       json_string_value(json_object_get(event, "id")));
		return st;
	}
	snprintf(version, sizeof(version), "%lld", ed.version);
	if (ed.school_ids != NULL)
		schools = hg_db_uuid_array(ed.school_ids);
	if (ed.roles != NULL)
		roles = text_array(ed.roles);
	const char *params[9] = {ed.district_id, ed.educator_id,         ed.status,     version,       roles,
				 schools,        ed.started_teaching_on, ed.given_name, ed.family_name};
	st = hg_db_exec(conn, &upsert_stmt, params, NULL);
	free(schools);
	free(roles);
	return st;
}

/*
 * Active teachers who started teaching less than three years ago (the roster's new_teacher) and have no active
 * new-teacher mentoring relationship; the most recent start first.
 */
static const struct hg_stmt unmatched_page_stmt = {
	"coaching_unmatched_page",
	"SELECT new_teacher_json(e)::text, (e.started_teaching_on - date '1970-01-01')::bigint, e.educator_id"
	" FROM roster_educators e WHERE e.district_id = $1 AND e.status = 'active'"
	" AND e.started_teaching_on > ((now() AT TIME ZONE 'UTC')::date - interval '3 years')::date"
	" AND 'teacher' = ANY (e.roles)"
	" AND ($4::uuid IS NULL OR ((e.started_teaching_on - date '1970-01-01')::bigint, e.educator_id) <"
	" ($3::bigint, $4::uuid))"
	" AND NOT EXISTS (SELECT 1 FROM relationships r WHERE r.district_id = $1 AND r.teacher_id = e.educator_id"
	" AND r.kind = 'new_teacher_mentoring' AND r.status = 'active')"
	" ORDER BY e.started_teaching_on DESC, e.educator_id DESC LIMIT $2",
	4};

const struct hg_entity unmatched_teacher_entity = {
	.name = "new teacher",
	.page = &unmatched_page_stmt,
};
