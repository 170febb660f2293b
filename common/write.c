/* write.c - the one way a handler writes and answers. */
#include "common/write.h"

#include "common/idempotency.h"
#include "common/reply.h"

void hg_write_begin(struct hg_request *req, struct hg_record_call *call, hg_answer_fn answer, const void *arg)
{
	req->answer = (struct hg_answer){answer, arg, call};
	if (req->idem != NULL) {
		call->hook = &hg_idempotency_hook;
		call->hook_arg = req;
	}
}

void hg_write_end(struct hg_request *req, enum hg_status st, const char *what)
{
	const struct hg_record_call *call = req->answer.call;
	if (st == HG_OK) {
		if (req->idem == NULL || !req->idem->stored)
			req->answer.fn(req, call, req->answer.arg);
		return;
	}
	hg_reply_reset(req);
	if (call != NULL && call->why != NULL && call->why_field[0] != '\0')
		hg_reply_refusal_field(req, call->why, call->why_field);
	else
		hg_reply_failure(req, st, call != NULL ? call->why : NULL, what);
}

void hg_answer_created(struct hg_request *req, const struct hg_record_call *call, const void *arg)
{
	hg_reply_created(req, arg, call->record);
}

void hg_answer_created_here(struct hg_request *req, const struct hg_record_call *call, const void *arg)
{
	(void)arg;
	hg_reply_json(req, 201, call->record);
}

void hg_answer_record(struct hg_request *req, const struct hg_record_call *call, const void *arg)
{
	(void)arg;
	hg_reply_record(req, 200, call->record);
}

void hg_answer_no_content(struct hg_request *req, const struct hg_record_call *call, const void *arg)
{
	(void)call;
	(void)arg;
	hg_reply_empty(req, 204);
}
