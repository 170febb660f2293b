/* settings_handlers.c - the district's minimums of suppression over HTTP: GET and PUT (district admins). */
#include "common/reply.h"
#include "common/write.h"
#include "services/surveys/settings.h"
#include "services/surveys/surveys_handlers.h"
#include "services/surveys/surveys_store.h"

void settings_handle_get(struct hg_request *req)
{
	struct hg_record_call call;
	hg_record_call_init(&call, &req->who);
	enum hg_status st = hg_record_get(req->pool, &settings_entity, &call);
	if (st != HG_OK)
		hg_reply_failure(req, st, call.why, "settings");
	else
		hg_reply_record(req, 200, call.record);
	hg_record_call_cleanup(&call);
}

void settings_handle_put(struct hg_request *req)
{
	struct hg_record_call call;
	json_t *fields = hg_validated_or_reply(req, settings_validate, 0);

	hg_record_call_init(&call, &req->who);
	if (fields == NULL)
		goto out;
	call.fields = fields;
	hg_write_begin(req, &call, hg_answer_record, NULL);
	hg_write_end(req, settings_store_put(req->pool, &call), "settings");
out:
	json_decref(fields);
	hg_record_call_cleanup(&call);
}
