/* proposal.c - teacher-led PD: the decision on a proposal, and who lists which proposals. */
#include "services/resources/catalog/proposal.h"

#include <string.h>

#include "common/record.h"
#include "services/resources/catalog/catalog.h"
#include "services/resources/reasons.h"

static const char *const decision_fields[] = {"decision", "reason", NULL};
static const char *const decisions[] = {"approved", "declined", NULL};

const char *const proposal_statuses[] = {"proposed", "approved", "declined", "published", "archived", NULL};

#define REASON_MAX 1000

json_t *proposal_validate_decision(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *decision = NULL, *reason = NULL;
	size_t before = json_array_size(errs);
	(void)in;
	hg_check_known_fields(body, decision_fields, errs);
	hg_check_enum(body, "decision", 1, decisions, errs, &decision);
	/* A declined proposer is owed the why; an approval may say nothing. */
	int declining = decision != NULL && strcmp(decision, "declined") == 0;
	hg_check_string(body, "reason", declining, 0, 1, REASON_MAX, errs, &reason);
	if (json_array_size(errs) > before)
		return NULL;
	return json_pack("{s:s, s:o}", "status", decision, "decision_reason",
			 reason != NULL ? hg_trimmed(reason) : json_null());
}

const struct hg_reason *proposal_rule_decide(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)changes;
	const char *proposer = json_string_value(json_object_get(state, "proposed_by"));
	if (proposer == NULL)
		return RESOURCES_REFUSE(R_NOT_A_PROPOSAL);
	if (!catalog_is_admin(who) || catalog_same_id(who->sub, proposer))
		return RESOURCES_REFUSE(R_PROPOSAL_DECIDE_FORBIDDEN);
	if (strcmp(hg_record_status(state), "proposed") != 0)
		return RESOURCES_REFUSE(R_PROPOSAL_DECIDED);
	return NULL;
}

const char *proposal_event_type(json_t *state, json_t *changes)
{
	(void)state;
	const char *to = json_string_value(json_object_get(changes, "status"));
	return to != NULL && strcmp(to, "approved") == 0 ? "activity.approved" : "activity.declined";
}

const struct hg_reason *proposal_list_args(const struct hg_principal *who, const char *const *values,
					   struct hg_record_call *call)
{
	/* values[0]: ?status=, already one of proposal_statuses (or absent). */
	hg_record_arg(call, catalog_is_admin(who) ? NULL : who->sub);
	hg_record_arg(call, values[0]);
	return NULL;
}
