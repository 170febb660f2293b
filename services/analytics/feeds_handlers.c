/* feeds_handlers.c - the state reporting feeds over HTTP: the CEDS-named CSV and the Ed-Fi documents. */
#include "services/analytics/feeds_handlers.h"

#include <stdlib.h>

#include "common/reply.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "services/analytics/analytics_settings.h"
#include "services/analytics/feeds.h"
#include "services/analytics/feeds_store.h"

/* ?from=&to= into range, or a 400 naming each bad parameter (0). */
static int range_or_reply(struct hg_request *req, struct feeds_range *range)
{
	json_t *errs = json_array();
	if (!feeds_range_parse(hg_query(req, "from"), hg_query(req, "to"), range, errs)) {
		hg_reply_bad_params(req, errs);
		return 0;
	}
	json_decref(errs);
	return 1;
}

/* 400 for a range that holds more rows than one feed answers. */
static void reply_too_many(struct hg_request *req, long max_rows)
{
	json_t *errs = json_array();
	char *why = xasprintf("the range holds more than %ld rows: ask for a shorter one", max_rows);
	hg_err_add(errs, "from", why);
	hg_err_add(errs, "to", why);
	free(why);
	hg_reply_bad_params(req, errs);
}

void feeds_handle_csv(struct hg_request *req)
{
	const struct analytics_settings *s = req->settings;
	struct feeds_range range;
	struct hg_csv csv = {NULL, 0, 0};
	int over = 0;

	if (!range_or_reply(req, &range))
		return;
	enum hg_status st = feeds_store_csv(req->pool, req->who.district_id, &range, s->feed_max_rows, &csv, &over);
	if (st != HG_OK)
		hg_reply_status(req, st, "feed");
	else if (over)
		reply_too_many(req, s->feed_max_rows);
	else {
		hg_set_header(req, "Content-Disposition", "attachment; filename=\"pd-activities.csv\"");
		hg_reply_text(req, 200, "text/csv; charset=utf-8; header=present", csv.data);
	}
	free(csv.data);
}

void feeds_handle_edfi(struct hg_request *req)
{
	const struct analytics_settings *s = req->settings;
	struct feeds_range range;
	json_t *rows = NULL;

	if (!range_or_reply(req, &range))
		return;
	enum hg_status st = feeds_store_edfi(req->pool, req->who.district_id, &range, s->feed_max_rows, &rows);
	if (st != HG_OK) {
		hg_reply_status(req, st, "feed");
	} else if (json_integer_value(json_object_get(rows, "attendance_count")) > s->feed_max_rows) {
		reply_too_many(req, s->feed_max_rows);
	} else {
		json_t *doc = feeds_edfi_doc(rows, s->edfi_namespace, req->who.district_id);
		json_object_set_new(doc, "from", json_string(range.from));
		json_object_set_new(doc, "to", json_string(range.to));
		hg_reply_json(req, 200, doc);
		json_decref(doc);
	}
	json_decref(rows);
}
