/* transcript.c - who may read a transcript, and its period. */
#include "services/resources/catalog/transcript.h"

#include "common/date.h"
#include "common/roles.h"
#include "common/validate.h"
#include "services/resources/catalog/catalog.h"

enum catalog_transcript_access transcript_access(const struct hg_principal *who, const char *educator)
{
	if (catalog_is_admin(who) || catalog_same_id(who->sub, educator))
		return CATALOG_TRANSCRIPT_ALLOWED;
	if (who->roles & HG_ROLE(SCHOOL_LEADER))
		return CATALOG_TRANSCRIPT_IF_SCHOOL;
	return CATALOG_TRANSCRIPT_DENIED;
}

int transcript_period(const char *from, const char *to, int64_t *from_days, int64_t *to_days, json_t *errs)
{
	int ok = 1;
	hg_api_date_parse("2000-01-01", from_days);
	hg_api_date_parse("2100-12-31", to_days);
	if (from != NULL && !hg_api_date_parse(from, from_days)) {
		hg_err_add(errs, "from", "must be a date YYYY-MM-DD between 2000 and 2100");
		ok = 0;
	}
	if (to != NULL && !hg_api_date_parse(to, to_days)) {
		hg_err_add(errs, "to", "must be a date YYYY-MM-DD between 2000 and 2100");
		ok = 0;
	}
	if (ok && *from_days > *to_days) {
		hg_err_add(errs, "from", "must not be after to");
		ok = 0;
	}
	return ok;
}
