/* response_handlers.c - responding to a survey over HTTP, and reading one's confidential response back. */
#include "common/reply.h"
#include "common/write.h"
#include "services/surveys/response.h"
#include "services/surveys/surveys_handlers.h"
#include "services/surveys/surveys_store.h"

/* GET .../responses/mine: the caller's own response ($3 = who->sub). */
static const struct hg_reason *mine_args(const struct hg_principal *who, const char *const *values,
					 struct hg_record_call *call)
{
	(void)values;
	hg_record_arg(call, who->sub);
	return NULL;
}

const struct hg_crud response_crud = {
	.entity = &response_entity,
	.read_args = mine_args,
};

void response_handle_submit(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *body = NULL;
	json_t *errs = json_array();
	char survey_id[37];

	hg_record_call_init(&call, &req->who);
	if (!hg_uuid_param_or_reply(req, "id", "survey", survey_id) || (body = hg_body_object_or_reply(req)) == NULL)
		goto out;
	json_t *answers = response_answers_of(body, errs);
	if (json_array_size(errs) > 0) {
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	hg_write_begin(req, &call, hg_answer_created_here, NULL);
	enum hg_status st = response_store_submit(req->pool, &call, survey_id, answers, errs);
	if (st == HG_INVALID && json_array_size(errs) > 0) {
		hg_reply_reset(req);
		hg_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	hg_write_end(req, st, "survey");
out:
	json_decref(errs);
	json_decref(body);
	hg_record_call_cleanup(&call);
}
