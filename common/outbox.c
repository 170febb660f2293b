/* outbox.c - the transactional outbox. */
#include "common/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <uuid/uuid.h>

#include "common/clock.h"

static char service_name[64] = "unknown";

void hg_outbox_set_service(const char *service) { snprintf(service_name, sizeof(service_name), "%s", service); }

enum hg_status hg_outbox_write(struct hg_db_conn *conn, const char *district_id, const char *type, const char *subject,
			       json_t *data)
{
	return hg_outbox_write_topic(conn, NULL, district_id, type, subject, data);
}

enum hg_status hg_outbox_write_topic(struct hg_db_conn *conn, const char *to, const char *district_id, const char *type,
				     const char *subject, json_t *data)
{
	static const struct hg_stmt insert = {
		"hg_outbox_insert",
		"INSERT INTO outbox (district_id, topic, event_key, payload) VALUES ($1::uuid, $2, $1::text, $3)", 3};
	uuid_t u;
	char id[37], ts[40], topic[96], source[96];
	uuid_generate_random(u);
	uuid_unparse_lower(u, id);
	hg_clock_rfc3339(hg_clock_now_us(), ts, sizeof(ts));
	if (to != NULL)
		snprintf(topic, sizeof(topic), "%s", to);
	else
		snprintf(topic, sizeof(topic), "homegrown.%s", service_name);
	snprintf(source, sizeof(source), "/homegrown/%s", service_name);

	json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O}", "specversion", "1.0", "id", id,
			       "source", source, "type", type, "subject", subject, "time", ts, "datacontenttype",
			       "application/json", "districtid", district_id, "data", data);
	if (ev == NULL)
		return HG_INTERNAL;
	char *payload = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(ev);
	if (payload == NULL)
		return HG_INTERNAL;
	const char *params[3] = {district_id, topic, payload};
	enum hg_status st = hg_db_exec(conn, &insert, params, NULL);
	free(payload);
	if (st == HG_OK)
		conn->wrote_event = 1;
	return st;
}
