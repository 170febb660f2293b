/* sync_handlers.c - roster syncs over HTTP: run one now (POST), read one (GET, the CRUD kit). */
#include <stdio.h>
#include <stdlib.h>

#include "common/idempotency.h"
#include "common/reply.h"
#include "common/write.h"
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

/* 201 with the finished sync and its Location (an hg_answer_fn). */
static void answer_sync(struct hg_request *req, const struct hg_record_call *call, const void *arg)
{
	(void)arg;
	char *location = xasprintf("/v1/roster/syncs/%s", json_string_value(json_object_get(call->record, "id")));
	hg_set_header(req, "Location", location);
	free(location);
	hg_reply_json(req, 201, call->record);
}

/*
 * The sync runs, then its row is finished in one transaction through the write path: with an Idempotency-Key
 * the key is claimed and the 201 stored there, so a retry after the sync gets that answer. A retry while it
 * runs gets 409 (a sync of the district runs), which is not stored: the work it asks for is under way.
 */
void sync_handle_create(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *body = hg_validated_or_reply(req, validate_create, 1);
	if (body == NULL)
		return;
	if (!import_slot_or_reply(req)) {
		json_decref(body);
		return;
	}
	hg_record_call_init(&call, &req->who);
	hg_write_begin(req, &call, answer_sync, NULL);
	enum sync_refusal r =
		sync_run(req->pool, &call, req->settings, "api", json_is_true(json_object_get(body, "full")));
	switch (r) {
	case SYNC_RAN:
		hg_write_end(req, HG_OK, "sync");
		break;
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
		hg_idempotency_transient(req);
		break;
	case SYNC_ERROR:
		hg_reply_status(req, HG_UNAVAILABLE, "sync");
		break;
	}
	import_slot_release();
	hg_record_call_cleanup(&call);
	json_decref(body);
}

const struct hg_crud sync_crud = {.entity = &sync_entity};
