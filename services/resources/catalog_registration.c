/* catalog_registration.c - registration for a session, the waitlist, who may do what. */
#include "catalog_registration.h"

#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "catalog_session.h"
#include "validate.h"

static const char *const fields[] = {"educator_id", NULL};

enum hg_status catalog_registration_target(const struct hg_principal *who, json_t *body, json_t *errs,
					   char *educator)
{
	size_t before = json_array_size(errs);

	snprintf(educator, 37, "%s", who->sub);
	for (char *p = educator; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	if (body == NULL)
		return HG_OK;
	hg_check_known_fields(body, fields, errs);
	char id[37];
	catalog_check_uuid(body, "educator_id", 0, errs, id);
	if (json_array_size(errs) > before)
		return HG_INVALID;
	if (id[0] == '\0' || catalog_same_id(id, who->sub))
		return HG_OK;
	if (!catalog_is_admin(who))
		return HG_FORBIDDEN;
	memcpy(educator, id, 37);
	return HG_OK;
}

enum hg_status catalog_registration_place(long capacity, long registered, long waitlisted, const char **status)
{
	if (registered < capacity) {
		*status = "registered";
		return HG_OK;
	}
	if (waitlisted < CATALOG_WAITLIST_MAX) {
		*status = "waitlisted";
		return HG_OK;
	}
	*status = NULL;
	return HG_CONFLICT;
}

int catalog_registration_may_cancel(const struct hg_principal *who, const char *educator)
{
	return catalog_is_admin(who) || catalog_same_id(who->sub, educator);
}

int catalog_registration_may_read(const struct hg_principal *who, const char *educator, json_t *facilitators)
{
	return catalog_registration_may_cancel(who, educator) || catalog_is_facilitator(who, facilitators);
}

int catalog_registration_may_list(const struct hg_principal *who, json_t *facilitators)
{
	return catalog_is_admin(who) || catalog_is_facilitator(who, facilitators);
}

const char *catalog_registration_list_statuses(const char *filter)
{
	if (filter == NULL)
		return "{registered,waitlisted,cancelled}";
	if (strcmp(filter, "registered") == 0)
		return "{registered}";
	if (strcmp(filter, "waitlisted") == 0)
		return "{waitlisted}";
	if (strcmp(filter, "cancelled") == 0)
		return "{cancelled}";
	return NULL;
}
