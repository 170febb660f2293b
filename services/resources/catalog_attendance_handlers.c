/* catalog_attendance_handlers.c - HTTP in and out for attendance and check-in. */
#include "catalog_attendance.h"
#include "catalog_handlers.h"
#include "catalog_http.h"
#include "catalog_store.h"
#include "service.h"
#include "validate.h"

void h_catalog_attendance_record(struct hg_request *req)
{
	json_t *body = NULL, *ids = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *why = NULL;
	const char *session_id = hg_uuid_param_or_reply(req, "id", "session");

	if (session_id == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	if (!catalog_attendance_validate(body, errs, &ids)) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st = catalog_attendance_record(&req->svc->pool, &req->who, session_id, ids, &out, &why);
	if (st != HG_OK) {
		catalog_reply_failure(req, st, why, "session");
		goto out;
	}
	hg_reply_json(req, 200, out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(ids);
	json_decref(out);
}

void h_catalog_checkin(struct hg_request *req)
{
	json_t *body = NULL, *out = NULL;
	json_t *errs = json_array();
	const char *why = NULL, *code = NULL;
	int created = 0;
	const char *session_id = hg_uuid_param_or_reply(req, "id", "session");

	if (session_id == NULL)
		goto out;
	body = hg_body_object_or_reply(req);
	if (body == NULL)
		goto out;
	if (!catalog_checkin_validate(body, errs, &code)) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	enum hg_status st = catalog_checkin(&req->svc->pool, &req->who, session_id, code, &out, &created, &why);
	if (st == HG_INVALID) {
		hg_err_add(errs, "code", "does not match this session's check-in code");
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	if (st != HG_OK) {
		catalog_reply_failure(req, st, why, "session");
		goto out;
	}
	hg_reply_json(req, created ? 201 : 200, out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(out);
}
