/* activity_model_store.c - the catalog's activities (homegrown.resources' activity.* events) in PostgreSQL, and
 * the check that a PLC meeting's activity_id names one of the district's. */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "common/validate.h"
#include "services/coaching/coaching_store.h"
#include "services/coaching/reasons.h"

/* Only a newer version changes the row: a stale or replayed event changes nothing. */
static const struct hg_stmt upsert_stmt = {
	"coaching_activity_upsert",
	"INSERT INTO catalog_activities (district_id, activity_id, status, version) VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (district_id, activity_id) DO UPDATE SET status = excluded.status, version = excluded.version,"
	" updated_at = clock_timestamp() WHERE catalog_activities.version < excluded.version",
	4};

static const char *const activity_types[] = {
	"activity.created",  "activity.updated",  "activity.published", "activity.archived",
	"activity.proposed", "activity.approved", "activity.declined",  NULL};

/* The district, id, status and version of an activity event's data; 0 when one is missing or malformed. */
static int activity_fields(json_t *event, char *district, char *id, const char **status, long long *version)
{
	json_t *data = json_object_get(event, "data");
	const char *d = json_string_value(json_object_get(event, "districtid"));
	const char *i = json_string_value(json_object_get(data, "id"));
	json_t *v = json_object_get(data, "version");
	*status = json_string_value(json_object_get(data, "status"));
	if (d == NULL || !hg_is_uuid(d) || i == NULL || !hg_is_uuid(i) || *status == NULL || **status == '\0' ||
	    !json_is_integer(v) || json_integer_value(v) < 1)
		return 0;
	const char *dd = json_string_value(json_object_get(data, "district_id"));
	if (dd != NULL && strcasecmp(dd, d) != 0)
		return 0;
	hg_uuid_lower(d, district);
	hg_uuid_lower(i, id);
	*version = (long long)json_integer_value(v);
	return 1;
}

enum hg_status activity_model_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg)
{
	char district[37] = "", id[37] = "", version[24];
	const char *status = NULL, *type = json_string_value(json_object_get(event, "type"));
	long long v = 0;
	int followed = 0;

	(void)arg;
	if (strcmp(topic, COACHING_RESOURCES_TOPIC) != 0 || type == NULL)
		return HG_OK;
	for (size_t i = 0; activity_types[i] != NULL && !followed; i++)
		followed = strcmp(type, activity_types[i]) == 0;
	if (!followed)
		return HG_OK; /* sessions, registrations, resources: not an event this read model follows */
	if (!activity_fields(event, district, id, &status, &v)) {
		hg_log(HG_LOG_WARN, "catalog event %s does not describe an activity; rejected",
		       json_string_value(json_object_get(event, "id")));
		return HG_INVALID;
	}
	snprintf(version, sizeof(version), "%lld", v);
	const char *params[4] = {district, id, status, version};
	return hg_db_exec(conn, &upsert_stmt, params, NULL);
}

/* An activity of the district's catalog, of any status but a proposal not approved (proposed, declined). */
static const struct hg_stmt exists_stmt = {
	"coaching_activity_exists",
	"SELECT 1 FROM catalog_activities WHERE district_id = $1 AND activity_id = $2::uuid"
	" AND status NOT IN ('proposed', 'declined')",
	2};

enum hg_status activity_model_check(struct hg_db_conn *conn, struct hg_record_call *call)
{
	PGresult *res = NULL;
	const char *id = json_string_value(json_object_get(call->fields, "activity_id"));
	if (id == NULL)
		return HG_OK; /* none, or unlinked */
	const char *params[2] = {call->who->district_id, id};
	enum hg_status st = hg_db_exec(conn, &exists_stmt, params, &res);
	int found = st == HG_OK && PQntuples(res) > 0;
	PQclear(res);
	if (st != HG_OK || found)
		return st;
	return hg_record_refuse_field(call, COACHING_REFUSE(R_PLC_ACTIVITY_UNKNOWN), "activity_id");
}
