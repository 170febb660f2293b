/* participation_handlers.c - participation figures over HTTP. */
#include <string.h>

#include "common/reply.h"
#include "common/roles.h"
#include "services/analytics/analytics_handlers.h"
#include "services/analytics/analytics_settings.h"
#include "services/analytics/analytics_store.h"

static const char *const breakdowns[] = {
	"school",          "role",          "locale",   "poverty", "title_i", "career_stage", "activity_type",
	"delivery_method", "delivery_mode", "educator", NULL};

/* ?by= (absent: none) as one of breakdowns; 0 for anything else. */
static int breakdown_of(const char *text, const char **by)
{
	*by = NULL;
	if (text == NULL)
		return 1;
	for (const char *const *b = breakdowns; *b != NULL; b++)
		if (strcmp(*b, text) == 0) {
			*by = *b;
			return 1;
		}
	return 0;
}

void participation_handle_get(struct hg_request *req)
{
	const struct analytics_settings *s = req->settings;
	const char *by = NULL;
	struct period period;
	json_t *doc = NULL;

	json_t *errs = json_array();
	if (period_parse(hg_query(req, "period"), &period) != HG_OK)
		json_array_append_new(errs,
				      json_pack("{s:s, s:s}", "field", "period", "reason", "must be " PERIOD_FORMS));
	if (!breakdown_of(hg_query(req, "by"), &by))
		json_array_append_new(errs, json_pack("{s:s, s:s}", "field", "by", "reason",
						      "must be school, role, locale, poverty, title_i, career_stage, "
						      "activity_type, delivery_method, delivery_mode or educator"));
	if (json_array_size(errs) > 0) {
		hg_reply_bad_params(req, errs);
		return;
	}
	json_decref(errs);
	/* District admins see the district; a school leader the educators and schools they share a school with. */
	const char *leader = hg_has_role(req, HG_ROLE(DISTRICT_ADMIN)) ? NULL : req->who.sub;
	enum hg_status st =
		participation_store_read(req->pool, req->who.district_id, leader, &period, by, s->max_groups, &doc);
	if (st != HG_OK) {
		hg_reply_failure(req, st, NULL, "participation");
		return;
	}
	json_t *groups = json_object_get(doc, "groups");
	json_object_set_new(doc, "truncated",
			    json_boolean(json_integer_value(json_object_get(doc, "group_count")) >
					 (json_int_t)json_array_size(groups)));
	json_object_del(doc, "group_count");
	if (by == NULL)
		json_object_del(doc, "groups");
	json_object_set_new(doc, "period", json_pack("{s:s, s:s}", "from", period.from, "to", period.last));
	json_object_set_new(doc, "by", by != NULL ? json_string(by) : json_null());
	hg_reply_json(req, 200, doc);
	json_decref(doc);
}
