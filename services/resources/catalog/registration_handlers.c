/* registration_handlers.c - registrations and the waitlist over HTTP. */
#include "common/reply.h"
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/registration.h"
#include "services/resources/reasons.h"

static const struct hg_list_param list_params[] = {{"status", HG_PARAM_ENUM, registration_statuses, 0}};

const struct hg_crud registration_crud = {.entity = &registration_entity};

const struct hg_crud session_registrations_crud = {
	.entity = &registration_entity,
	.parent_param = "id",
	.params = list_params,
	.nparams = 1,
	.list_args = registration_list_args,
};

void registration_handle_create(struct hg_request *req)
{
	json_t *body = NULL, *out = NULL;
	json_t *errs = json_array();
	const struct hg_reason *why = NULL;
	char session_id[37], educator[37];

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
	st = registration_store_create(req->pool, &req->who, session_id, educator, &out, &why);
	if (st != HG_OK) {
		hg_reply_failure(req, st, why, "session");
		goto out;
	}
	hg_reply_created(req, "/v1/catalog/registrations", out);
out:
	json_decref(errs);
	json_decref(body);
	json_decref(out);
}

void registration_handle_cancel(struct hg_request *req)
{
	const struct hg_reason *why = NULL;
	struct hg_precondition if_match;
	char id[37];

	if (!hg_uuid_param_or_reply(req, "id", "registration", id))
		return;
	hg_if_match(req, &if_match);
	enum hg_status st = registration_store_cancel(req->pool, &req->who, id, &if_match, &why);
	if (st != HG_OK)
		hg_reply_failure(req, st, why, "registration");
	else
		hg_reply_empty(req, 204);
}
