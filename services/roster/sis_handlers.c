/* sis_handlers.c - the district's SIS connection over HTTP: PUT (create or replace), GET, DELETE. */
#include <stdlib.h>
#include <string.h>

#include "common/reply.h"
#include "common/write.h"
#include "common/xmalloc.h"
#include "services/roster/roster_handlers.h"
#include "services/roster/roster_settings.h"
#include "services/roster/secret.h"
#include "services/roster/sis_connection.h"
#include "services/roster/sis_store.h"

/* The sealing key, or 0 after answering 503 (the service runs without one; connections cannot be stored). */
static int key_or_reply(struct hg_request *req, unsigned char key[SECRET_KEY_BYTES])
{
	const struct roster_settings *s = req->settings;
	if (secret_key_parse(s->secret_key, key) == 0)
		return 1;
	hg_reply_problem(req, HG_UNAVAILABLE,
			 "SIS connections are not available: HG_ROSTER_SECRET_KEY (64 hex digits) is not configured");
	return 0;
}

void sis_handle_put(struct hg_request *req)
{
	unsigned char key[SECRET_KEY_BYTES];
	struct hg_record_call call;
	json_t *fields = hg_validated_or_reply(req, sis_connection_validate, 0);

	hg_record_call_init(&call, &req->who);
	if (fields == NULL || !key_or_reply(req, key))
		goto out;
	const char *zone = json_string_value(json_object_get(json_object_get(fields, "schedule"), "time_zone"));
	if (zone != NULL) {
		int known = 0;
		enum hg_status st = sis_store_zone_known(req->pool, zone, &known);
		if (st != HG_OK) {
			hg_reply_status(req, st, "SIS connection");
			goto out;
		}
		if (!known) {
			json_t *errs = json_array();
			hg_err_add(errs, "schedule.time_zone", "is not a time zone this server knows (IANA names)");
			hg_reply_invalid(req, errs); /* steals errs */
			goto out;
		}
	}
	char *sealed =
		secret_seal(key, req->who.district_id, json_string_value(json_object_get(fields, "client_secret")));
	if (sealed == NULL) {
		hg_reply_status(req, HG_INTERNAL, "SIS connection");
		goto out;
	}
	json_object_set_new(fields, "client_secret", json_string(sealed));
	free(sealed);
	call.fields = fields;
	hg_write_begin(req, &call, hg_answer_record, NULL);
	hg_write_end(req, sis_store_put(req->pool, &call), "SIS connection");
out:
	memset(key, 0, sizeof(key));
	json_decref(fields);
	hg_record_call_cleanup(&call);
}

void sis_handle_get(struct hg_request *req)
{
	struct hg_record_call call;
	hg_record_call_init(&call, &req->who);
	enum hg_status st = hg_record_get(req->pool, &sis_connection_entity, &call);
	if (st != HG_OK)
		hg_reply_failure(req, st, call.why, "SIS connection");
	else
		hg_reply_record(req, 200, call.record);
	hg_record_call_cleanup(&call);
}

void sis_handle_delete(struct hg_request *req)
{
	struct hg_record_call call;
	hg_record_call_init(&call, &req->who);
	hg_write_begin(req, &call, hg_answer_no_content, NULL);
	hg_write_end(req, sis_store_delete(req->pool, &call), "SIS connection");
	hg_record_call_cleanup(&call);
}
