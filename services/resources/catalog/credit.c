/* credit.c - credit requests for learning done elsewhere. */
#include "services/resources/catalog/credit.h"

#include <string.h>

#include "common/record.h"
#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/catalog.h"
#include "services/resources/reasons.h"

static const char *const fields[] = {"title", "provider",     "description", "start_date", "end_date",
				     "hours", "evidence_url", "credit_type", "credits",    NULL};
static const char *const decision_fields[] = {"decision", "reason", NULL};
static const char *const decisions[] = {"approved", "denied", NULL};

const char *const credit_statuses[] = {"pending", "approved", "denied", NULL};

json_t *credit_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *title, *provider, *description, *start, *end, *url, *credit_type = NULL;
	int64_t start_days = 0, end_days = 0, today_days = hg_date_days(in->today);
	char hours[32], credits[32];
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, fields, errs);
	hg_check_string(body, "title", 1, 0, 1, 200, errs, &title);
	hg_check_string(body, "provider", 1, 0, 1, 200, errs, &provider);
	hg_check_string(body, "description", 0, 0, 0, 2000, errs, &description);
	int dates_ok = hg_check_date(body, "start_date", 1, errs, &start, &start_days);
	dates_ok &= hg_check_date(body, "end_date", 1, errs, &end, &end_days);
	if (dates_ok && start != NULL && end != NULL) {
		if (end_days < start_days)
			hg_err_add(errs, "end_date", "must not be before start_date");
		else if (end_days > today_days + 1)
			hg_err_add(errs, "end_date", "must not be in the future: credit is for learning already done");
	}
	hg_check_amount(body, "hours", 1, 0, 1, 1000.0, errs, hours, sizeof(hours));
	hg_check_url(body, "evidence_url", 1, 0, 2048, errs, &url);
	/* Credits of any type the catalog knows (a university course: SemesterCredits); Hours by default, when
	 * the credits are the clock hours unless stated. */
	int type_ok = hg_check_enum(body, "credit_type", 0, activity_credit_types, errs, &credit_type);
	int hours_type = credit_type == NULL || strcmp(credit_type, "Hours") == 0;
	hg_check_amount(body, "credits", type_ok && !hours_type, 0, 1, 1000.0, errs, credits, sizeof(credits));
	if (json_array_size(errs) > before)
		return NULL;
	return json_pack("{s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", hg_trimmed(title), "provider",
			 hg_trimmed(provider), "description", description ? description : "", "start_date", start,
			 "end_date", end, "hours", hours, "evidence_url", url, "credit_type",
			 credit_type ? credit_type : "Hours", "credits", credits[0] ? credits : hours);
}

json_t *credit_validate_decision(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *decision = NULL, *reason = NULL;
	size_t before = json_array_size(errs);
	(void)in;
	hg_check_known_fields(body, decision_fields, errs);
	hg_check_enum(body, "decision", 1, decisions, errs, &decision);
	hg_check_string(body, "reason", 1, 0, 1, 1000, errs, &reason);
	if (json_array_size(errs) > before)
		return NULL;
	return json_pack("{s:s, s:s}", "status", decision, "reason", reason);
}

int credit_may_read(const struct hg_principal *who, const char *educator)
{
	return catalog_is_admin(who) || catalog_same_id(who->sub, educator);
}

enum hg_status credit_may_decide(const struct hg_principal *who, const char *educator)
{
	if (!catalog_is_admin(who) || catalog_same_id(who->sub, educator))
		return HG_FORBIDDEN;
	return HG_OK;
}

enum hg_status credit_decidable(const char *status)
{
	return status != NULL && strcmp(status, "pending") == 0 ? HG_OK : HG_CONFLICT;
}

const struct hg_reason *credit_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)state;
	return credit_may_read(who, json_string_value(json_object_get(record, "educator_id")))
		       ? NULL
		       : RESOURCES_REFUSE(R_CREDIT_READ_FORBIDDEN);
}

const struct hg_reason *credit_rule_decide(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)changes;
	if (credit_may_decide(who, json_string_value(json_object_get(state, "educator_id"))) != HG_OK)
		return RESOURCES_REFUSE(R_CREDIT_DECIDE_FORBIDDEN);
	if (credit_decidable(json_string_value(json_object_get(state, "status"))) != HG_OK)
		return RESOURCES_REFUSE(R_CREDIT_DECIDED);
	return NULL;
}

const struct hg_reason *credit_list_args(const struct hg_principal *who, const char *const *values,
					 struct hg_record_call *call)
{
	/* values: ?status=, ?educator_id= */
	hg_record_arg(call, catalog_is_admin(who) ? values[1] : who->sub);
	hg_record_arg(call, values[0]);
	return NULL;
}
