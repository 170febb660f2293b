/* registrants_store.c - the catalog's registrations in PostgreSQL (session_registrations): each changed only by
 * a newer version of the registration, so a replayed or late event never undoes a later one. */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "services/surveys/registrants.h"
#include "services/surveys/registrants_store.h"
#include "services/surveys/roster_model.h"
#include "services/surveys/roster_model_store.h"

static const struct hg_stmt registration_stmt = {
	"surveys_registration_upsert",
	"INSERT INTO session_registrations (district_id, registration_id, session_id, educator_id, status, version)"
	" VALUES ($1, $2, $3, $4, $5, $6)"
	" ON CONFLICT (district_id, registration_id) DO UPDATE SET status = excluded.status,"
	" version = excluded.version"
	" WHERE session_registrations.version < excluded.version",
	6};

static enum hg_status apply_registration(struct hg_db_conn *conn, json_t *event)
{
	struct registration_fact f;
	char version[24];
	enum hg_status st = registrants_parse(event, &f);
	if (st == HG_NOT_FOUND)
		return HG_OK; /* not an event this read model follows */
	if (st != HG_OK) {
		hg_log(HG_LOG_WARN, "resources event %s does not describe a registration; rejected",
		       json_string_value(json_object_get(event, "id")));
		return st;
	}
	snprintf(version, sizeof(version), "%lld", f.version);
	const char *params[6] = {f.district_id, f.id, f.session_id, f.educator_id, f.status, version};
	return hg_db_exec(conn, &registration_stmt, params, NULL);
}

enum hg_status surveys_store_apply_event(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg)
{
	if (strcmp(topic, RESOURCES_TOPIC) == 0)
		return apply_registration(conn, event);
	return roster_model_store_apply(conn, topic, event, arg);
}
