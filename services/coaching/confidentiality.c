/* confidentiality.c - who is a party to a coaching record and who oversees (confidentiality.h). */
#include "services/coaching/confidentiality.h"

#include <string.h>

#include "common/roles.h"

int coaching_member_is(json_t *obj, const char *name, const char *value)
{
	const char *s = json_string_value(json_object_get(obj, name));
	return s != NULL && value != NULL && strcmp(s, value) == 0;
}

int coaching_is_party(const struct hg_principal *who, json_t *row)
{
	return coaching_member_is(row, "coach_id", who->sub) || coaching_member_is(row, "teacher_id", who->sub);
}

int coaching_oversees(const struct hg_principal *who)
{
	return (who->roles & (HG_ROLE(SCHOOL_LEADER) | HG_ROLE(DISTRICT_ADMIN))) != 0;
}

int coaching_is_admin(const struct hg_principal *who) { return (who->roles & HG_ROLE(DISTRICT_ADMIN)) != 0; }
