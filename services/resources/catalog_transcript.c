/* catalog_transcript.c - who may read a transcript, and its period. */
#include "catalog_transcript.h"

#include "catalog.h"
#include "roles.h"

enum catalog_transcript_access catalog_transcript_access(const struct hg_principal *who, const char *educator)
{
	if (catalog_is_admin(who) || catalog_same_id(who->sub, educator))
		return CATALOG_TRANSCRIPT_ALLOWED;
	if (who->roles & HG_ROLE(SCHOOL_LEADER))
		return CATALOG_TRANSCRIPT_IF_SCHOOL;
	return CATALOG_TRANSCRIPT_DENIED;
}

int catalog_transcript_period(const char *from, const char *to, int64_t *from_days, int64_t *to_days,
			      const char **why)
{
	*why = NULL;
	catalog_parse_date("2000-01-01", from_days);
	catalog_parse_date("2100-12-31", to_days);
	if (from != NULL && !catalog_parse_date(from, from_days)) {
		*why = "from must be a date YYYY-MM-DD between 2000 and 2100";
		return 0;
	}
	if (to != NULL && !catalog_parse_date(to, to_days)) {
		*why = "to must be a date YYYY-MM-DD between 2000 and 2100";
		return 0;
	}
	if (*from_days > *to_days) {
		*why = "from must not be after to";
		return 0;
	}
	return 1;
}
