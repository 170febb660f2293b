/* attendance_handlers.c - attendance and check-in over HTTP. */
#include "common/reply.h"
#include "common/write.h"
#include "services/resources/catalog/attendance.h"
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/reasons.h"

/* The session's id from the path and the body validated; 0 after replying. */
static int session_and_body_or_reply(struct hg_request *req, hg_validate_fn validate, char *session_id, json_t **fields)
{
	*fields = NULL;
	if (!hg_uuid_param_or_reply(req, "id", "session", session_id))
		return 0;
	*fields = hg_validated_or_reply(req, validate, 0);
	return *fields != NULL;
}

void attendance_handle_record(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *fields = NULL;
	char session_id[37];

	hg_record_call_init(&call, &req->who);
	if (!session_and_body_or_reply(req, attendance_validate, session_id, &fields))
		goto out;
	hg_write_begin(req, &call, hg_answer_record, NULL);
	hg_write_end(req,
		     attendance_store_record(req->pool, &call, session_id, json_object_get(fields, "educator_ids")),
		     "session");
out:
	json_decref(fields);
	hg_record_call_cleanup(&call);
}

/* 201 when this call checked the educator in, 200 with what was recorded when they were present already. */
static void answer_checkin(struct hg_request *req, const struct hg_record_call *call, const void *arg)
{
	(void)arg;
	hg_reply_json(req, call->changed ? 201 : 200, call->record);
}

void attendance_handle_checkin(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *fields = NULL;
	char session_id[37];

	hg_record_call_init(&call, &req->who);
	if (!session_and_body_or_reply(req, checkin_validate, session_id, &fields))
		goto out;
	hg_write_begin(req, &call, answer_checkin, NULL);
	hg_write_end(req,
		     attendance_store_checkin(req->pool, &call, session_id,
					      json_string_value(json_object_get(fields, "code"))),
		     "session");
	if (call.why == RESOURCES_REFUSE(R_CHECKIN_WRONG_CODE)) {
		hg_reply_reset(req);
		hg_reply_refusal_field(req, call.why, "code"); /* a bad field of the body: the 422 names it */
	}
out:
	json_decref(fields);
	hg_record_call_cleanup(&call);
}
