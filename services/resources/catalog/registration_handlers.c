/* registration_handlers.c - registrations and the waitlist over HTTP. */
#include "common/reply.h"
#include "common/write.h"
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/registration.h"
#include "services/resources/reasons.h"

static const struct hg_list_param list_params[] = {{"status", HG_PARAM_ENUM, registration_statuses, 0}};

const struct hg_crud registration_crud = {.entity = &registration_entity};

static const struct hg_list_param mine_params[] = {
	{"educator_id", HG_PARAM_UUID, NULL, 0},
	{"school_id", HG_PARAM_UUID, NULL, 0},
	{"status", HG_PARAM_ENUM, registration_statuses, 0},
	{"upcoming", HG_PARAM_ENUM, registration_upcoming_choices, 0},
	{"approval", HG_PARAM_ENUM, registration_approvals, 0},
};

const struct hg_crud my_registrations_crud = {
	.entity = &registration_mine_entity,
	.params = mine_params,
	.nparams = 5,
	.list_args = registration_mine_args,
};

const struct hg_crud session_registrations_crud = {
	.entity = &registration_entity,
	.parent_param = "id",
	.params = list_params,
	.nparams = 1,
	.list_args = registration_list_args,
};

void registration_handle_create(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *body = NULL;
	json_t *errs = json_array();
	char session_id[37], educator[37];

	hg_record_call_init(&call, &req->who);
	if (!hg_uuid_param_or_reply(req, "id", "session", session_id) || !hg_body_optional_or_reply(req, &body))
		goto out;
	enum hg_status st = registration_target(&req->who, body, errs, educator);
	if (st == HG_INVALID) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	if (st == HG_FORBIDDEN) {
		hg_reply_refusal(req, RESOURCES_REFUSE(R_REGISTER_OTHERS_ADMIN_ONLY));
		goto out;
	}
	hg_write_begin(req, &call, hg_answer_created, "/v1/catalog/registrations");
	hg_write_end(req, registration_store_create(req->pool, &call, session_id, educator), "session");
out:
	json_decref(errs);
	json_decref(body);
	hg_record_call_cleanup(&call);
}

void registration_handle_cancel(struct hg_request *req)
{
	struct hg_record_call call;
	char id[37];

	if (!hg_crud_call_or_reply(req, &registration_crud, &call, id, NULL))
		return;
	hg_write_begin(req, &call, hg_answer_no_content, NULL);
	hg_write_end(req, registration_store_cancel(req->pool, &call), "registration");
	hg_record_call_cleanup(&call);
}

void registration_handle_decide(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *decision = NULL;
	char id[37];

	if (!hg_crud_call_or_reply(req, &registration_crud, &call, id, NULL))
		return;
	decision = hg_validated_or_reply(req, registration_validate_decision, 0);
	if (decision == NULL)
		goto out;
	hg_write_begin(req, &call, hg_answer_record, NULL);
	hg_write_end(req,
		     registration_store_decide(req->pool, &call,
					       json_string_value(json_object_get(decision, "approval")),
					       json_string_value(json_object_get(decision, "reason"))),
		     "registration");
out:
	json_decref(decision);
	hg_record_call_cleanup(&call);
}
