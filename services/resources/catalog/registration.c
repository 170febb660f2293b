/* registration.c - registration for a session, the waitlist, who may do what. */
#include "services/resources/catalog/registration.h"

#include <stdio.h>
#include <string.h>

#include "common/record.h"
#include "common/roles.h"
#include "common/validate.h"
#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/catalog.h"
#include "services/resources/catalog/session.h"
#include "services/resources/reasons.h"

static const char *const fields[] = {"educator_id", NULL};

const char *const registration_statuses[] = {"registered", "waitlisted", "cancelled", NULL};

enum hg_status registration_target(const struct hg_principal *who, json_t *body, json_t *errs, char *educator)
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
	hg_check_uuid(body, "educator_id", 0, errs, id);
	if (json_array_size(errs) > before)
		return HG_INVALID;
	if (id[0] == '\0' || catalog_same_id(id, who->sub))
		return HG_OK;
	if (!catalog_is_admin(who))
		return HG_FORBIDDEN;
	memcpy(educator, id, 37);
	return HG_OK;
}

enum hg_status registration_place(long capacity, long registered, long waitlisted, const char **status)
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

int registration_may_cancel(const struct hg_principal *who, const char *educator)
{
	return catalog_is_admin(who) || catalog_same_id(who->sub, educator);
}

int registration_may_read(const struct hg_principal *who, const char *educator, json_t *facilitators)
{
	return registration_may_cancel(who, educator) || session_is_facilitator(who, facilitators);
}

int registration_may_list(const struct hg_principal *who, json_t *facilitators)
{
	return catalog_is_admin(who) || session_is_facilitator(who, facilitators);
}

const char *registration_list_statuses(const char *filter)
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

const struct hg_reason *registration_rule_create(const struct hg_principal *who, const struct registration_session *s,
						 int64_t now_us, const char **place)
{
	*place = NULL;
	if (!activity_visible(who, s->activity_status, NULL))
		return &hg_reason_hidden;
	if (strcmp(s->activity_status, "published") != 0)
		return RESOURCES_REFUSE(R_REGISTRATION_CLOSED_UNPUBLISHED);
	if (strcmp(s->status, "registering") != 0)
		return strcmp(s->status, "cancelled") == 0 ? RESOURCES_REFUSE(R_REGISTRATION_CLOSED_CANCELLED)
							   : RESOURCES_REFUSE(R_REGISTRATION_CLOSED_COMPLETED);
	if (now_us >= s->ends_us)
		return RESOURCES_REFUSE(R_REGISTRATION_CLOSED_ENDED);
	if (registration_place(s->capacity, s->registered, s->waitlisted, place) != HG_OK)
		return RESOURCES_REFUSE(R_SESSION_FULL);
	return NULL;
}

const struct hg_reason *registration_rule_cancel(const struct hg_principal *who, const char *educator,
						 const char *status, const struct registration_session *s,
						 int64_t now_us)
{
	if (!registration_may_cancel(who, educator))
		return RESOURCES_REFUSE(R_REGISTRATION_CANCEL_FORBIDDEN);
	if (strcmp(status, "cancelled") == 0)
		return RESOURCES_REFUSE(R_REGISTRATION_ALREADY_CANCELLED);
	if (strcmp(s->status, "registering") != 0 || now_us >= s->ends_us)
		return RESOURCES_REFUSE(R_REGISTRATION_FROZEN);
	return NULL;
}

const struct hg_reason *registration_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	const char *educator = json_string_value(json_object_get(record, "educator_id"));
	return registration_may_read(who, educator, json_object_get(state, "facilitators"))
		       ? NULL
		       : RESOURCES_REFUSE(R_REGISTRATION_READ_FORBIDDEN);
}

const struct hg_reason *registration_rule_parent(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)record;
	if (!activity_visible(who, json_string_value(json_object_get(state, "activity_status")), NULL))
		return &hg_reason_hidden;
	return registration_may_list(who, json_object_get(state, "facilitators"))
		       ? NULL
		       : RESOURCES_REFUSE(R_REGISTRATIONS_LIST_FORBIDDEN);
}

const struct hg_reason *registration_list_args(const struct hg_principal *who, const char *const *values,
					       struct hg_record_call *call)
{
	(void)who;
	hg_record_arg(call, registration_list_statuses(values[0]));
	return NULL;
}

const char *const registration_upcoming_choices[] = {"true", "false", NULL};

const struct hg_reason *registration_mine_args(const struct hg_principal *who, const char *const *values,
					       struct hg_record_call *call)
{
	const char *educator = values[0], *school = values[1];
	const char *scope = catalog_is_admin(who)                        ? "all"
			    : (who->roles & HG_ROLE(SCHOOL_LEADER)) != 0 ? "school"
									 : "self";
	if (strcmp(scope, "self") == 0 &&
	    (school != NULL || (educator != NULL && !catalog_same_id(educator, who->sub))))
		return RESOURCES_REFUSE(R_REGISTRATIONS_OTHERS_FORBIDDEN);
	hg_record_arg(call, educator);
	hg_record_arg(call, school);
	hg_record_arg(call, values[2]);
	hg_record_arg(call, values[3] != NULL && strcmp(values[3], "true") == 0 ? "true" : NULL);
	hg_record_arg(call, scope);
	hg_record_arg(call, who->sub);
	hg_record_arg(call, values[4]);
	return NULL;
}

const char *const registration_approvals[] = {"pending", "approved", "declined", NULL};

const char *registration_approval(const struct hg_principal *who, const struct registration_session *s)
{
	return s->requires_approval && !catalog_is_admin(who) ? "pending" : NULL;
}

static const char *const decision_fields[] = {"decision", "reason", NULL};
static const char *const decisions[] = {"approved", "declined", NULL};

json_t *registration_validate_decision(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *decision = NULL, *reason = NULL;
	size_t before = json_array_size(errs);
	(void)in;
	hg_check_known_fields(body, decision_fields, errs);
	hg_check_enum(body, "decision", 1, decisions, errs, &decision);
	int declining = decision != NULL && strcmp(decision, "declined") == 0;
	hg_check_string(body, "reason", declining, 0, 1, 1000, errs, &reason);
	if (json_array_size(errs) > before)
		return NULL;
	return json_pack("{s:s, s:o}", "approval", decision, "reason",
			 reason != NULL ? hg_trimmed(reason) : json_null());
}

const struct hg_reason *registration_rule_decide(const struct hg_principal *who, const char *educator, int leads,
						 const char *status, const char *approval,
						 const struct registration_session *s, int64_t now_us)
{
	if ((!catalog_is_admin(who) && !leads) || catalog_same_id(who->sub, educator))
		return RESOURCES_REFUSE(R_REGISTRATION_DECIDE_FORBIDDEN);
	if (strcmp(status, "cancelled") == 0)
		return RESOURCES_REFUSE(R_REGISTRATION_ALREADY_CANCELLED);
	if (approval == NULL || strcmp(approval, "pending") != 0)
		return RESOURCES_REFUSE(R_REGISTRATION_NOT_PENDING);
	if (strcmp(s->status, "registering") != 0 || now_us >= s->ends_us)
		return RESOURCES_REFUSE(R_REGISTRATION_FROZEN);
	return NULL;
}
