/* attendance_handlers.c - attendance and check-in over HTTP. */
#include "common/reply.h"
#include "services/resources/catalog/attendance.h"
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/reasons.h"

void attendance_handle_record(struct hg_request *req)
{
	json_t *fields = NULL, *out = NULL;
	const struct hg_reason *why = NULL;
	char session_id[37];

	if (!hg_uuid_param_or_reply(req, "id", "session", session_id))
		goto out;
	fields = hg_validated_or_reply(req, attendance_validate, 0);
	if (fields == NULL)
		goto out;
	enum hg_status st = attendance_store_record(req->pool, &req->who, session_id,
						    json_object_get(fields, "educator_ids"), &out, &why);
	if (st != HG_OK)
		hg_reply_failure(req, st, why, "session");
	else
		hg_reply_json(req, 200, out);
out:
	json_decref(fields);
	json_decref(out);
}

void attendance_handle_checkin(struct hg_request *req)
{
	json_t *fields = NULL, *out = NULL;
	const struct hg_reason *why = NULL;
	char session_id[37];
	int created = 0;

	if (!hg_uuid_param_or_reply(req, "id", "session", session_id))
		goto out;
	fields = hg_validated_or_reply(req, checkin_validate, 0);
	if (fields == NULL)
		goto out;
	enum hg_status st = attendance_store_checkin(req->pool, &req->who, session_id,
						     json_string_value(json_object_get(fields, "code")), &out, &created,
						     &why);
	if (why == RESOURCES_REFUSE(R_CHECKIN_WRONG_CODE)) {
		/* A wrong code is a bad field of the body: a 422 that names it. */
		json_t *errs = json_array();
		hg_err_add(errs, "code", why->detail);
		hg_reply_invalid(req, errs);
	} else if (st != HG_OK) {
		hg_reply_failure(req, st, why, "session");
	} else {
		hg_reply_json(req, created ? 201 : 200, out);
	}
out:
	json_decref(fields);
	json_decref(out);
}
