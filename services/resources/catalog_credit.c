/* catalog_credit.c - credit requests for learning done elsewhere. */
#include "catalog_credit.h"

#include <string.h>

#include "catalog.h"
#include "validate.h"

static const char *const fields[] = {"title",	 "provider", "description", "start_date",
				     "end_date", "hours",    "evidence_url", NULL};
static const char *const decision_fields[] = {"decision", "reason", NULL};
static const char *const decisions[] = {"approved", "denied", NULL};

json_t *catalog_credit_validate_create(json_t *body, int64_t today_days, json_t *errs)
{
	const char *title, *provider, *description, *start, *end, *url;
	int64_t start_days = 0, end_days = 0;
	char hours[32];
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, fields, errs);
	hg_check_string(body, "title", 1, 0, 1, 200, errs, &title);
	hg_check_string(body, "provider", 1, 0, 1, 200, errs, &provider);
	hg_check_string(body, "description", 0, 0, 0, 2000, errs, &description);
	int dates_ok = catalog_check_date(body, "start_date", 1, errs, &start, &start_days);
	dates_ok &= catalog_check_date(body, "end_date", 1, errs, &end, &end_days);
	if (dates_ok && start != NULL && end != NULL) {
		if (end_days < start_days)
			hg_err_add(errs, "end_date", "must not be before start_date");
		else if (end_days > today_days + 1)
			hg_err_add(errs, "end_date", "must not be in the future: credit is for learning already done");
	}
	catalog_check_amount(body, "hours", 1, 0, 1, 1000.0, errs, hours, sizeof(hours));
	hg_check_url(body, "evidence_url", 1, 0, 2048, errs, &url);
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_pack("{s:o, s:o, s:s, s:s, s:s, s:s, s:s}", "title", catalog_trimmed(title), "provider",
				catalog_trimmed(provider), "description", description ? description : "",
				"start_date", start, "end_date", end, "hours", hours, "evidence_url", url);
	return out;
}

int catalog_credit_validate_decision(json_t *body, json_t *errs, const char **decision, const char **reason)
{
	size_t before = json_array_size(errs);
	hg_check_known_fields(body, decision_fields, errs);
	hg_check_enum(body, "decision", 1, decisions, errs, decision);
	hg_check_string(body, "reason", 1, 0, 1, 1000, errs, reason);
	return json_array_size(errs) == before;
}

int catalog_credit_may_read(const struct hg_principal *who, const char *educator)
{
	return catalog_is_admin(who) || catalog_same_id(who->sub, educator);
}

enum hg_status catalog_credit_may_decide(const struct hg_principal *who, const char *educator)
{
	if (!catalog_is_admin(who) || catalog_same_id(who->sub, educator))
		return HG_FORBIDDEN;
	return HG_OK;
}

enum hg_status catalog_credit_decidable(const char *status)
{
	return strcmp(status, "pending") == 0 ? HG_OK : HG_CONFLICT;
}
