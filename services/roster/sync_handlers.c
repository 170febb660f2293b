/* sync_handlers.c - roster syncs over HTTP: run one now (POST), read one (GET, the CRUD kit). */
#include <stdio.h>
#include <stdlib.h>

#include "common/reply.h"
#include "common/xmalloc.h"
#include "services/roster/roster_handlers.h"
#include "services/roster/roster_settings.h"
#include "services/roster/sync_run.h"
#include "services/roster/sync_store.h"

/* The body: absent, {} or {"full": true|false}. */
static json_t *validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	static const char *const fields[] = {"full", NULL};
	(void)in;
	hg_check_known_fields(body, fields, errs);
	json_t *full = json_object_get(body, "full");
	if (full != NULL && !json_is_boolean(full))
		hg_err_add(errs, "full", "must be true or false");
	return json_array_size(errs) > 0 ? NULL : json_deep_copy(body);
}

void sync_handle_create(struct hg_request *req)
{
	json_t *body = hg_validated_or_reply(req, validate_create, 1), *record = NULL;
	if (body == NULL)
		return;
	if (!import_slot_or_reply(req)) {
		json_decref(body);
		return;
	}
	enum sync_refusal r = sync_run(req->pool, &req->who, req->settings, "api",
				       json_is_true(json_object_get(body, "full")), &record);
	switch (r) {
	case SYNC_RAN: {
		char *location = xasprintf("/v1/roster/syncs/%s", json_string_value(json_object_get(record, "id")));
		hg_set_header(req, "Location", location);
		free(location);
		hg_reply_json(req, 201, record);
		break;
	}
	case SYNC_NO_CONNECTION:
		hg_reply_problem(req, HG_CONFLICT,
				 "the district has no SIS connection (PUT /v1/roster/sis-connection)");
		break;
	case SYNC_NO_KEY:
		hg_reply_problem(
			req, HG_UNAVAILABLE,
			"the SIS client secret cannot be opened: HG_ROSTER_SECRET_KEY is missing or is not the "
			"key it was stored with (PUT the connection again)");
		break;
	case SYNC_ALREADY_RUNNING:
		hg_set_header(req, "Retry-After", "30");
		hg_reply_problem(req, HG_CONFLICT, "a sync of this district is running already");
		break;
	case SYNC_ERROR:
		hg_reply_status(req, HG_UNAVAILABLE, "sync");
		break;
	}
	import_slot_release();
	json_decref(record);
	json_decref(body);
}

const struct hg_crud sync_crud = {.entity = &sync_entity};
