/* proposal.h - teacher-led PD: activities proposed by teacher leaders and school leaders, decided by the PD
 * office (pure). A proposal is an activity (activity.h) with a proposer: `proposed` until a district admin
 * approves it (`approved`, then published by PATCH as a draft is) or declines it with a reason (`declined`,
 * final). The proposer facilitates each of its sessions (session_store.c). */
#ifndef CATALOG_PROPOSAL_H
#define CATALOG_PROPOSAL_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

struct hg_record_call;

/* The statuses a proposal can be in (the ?status= filter of GET /v1/catalog/proposals). */
extern const char *const proposal_statuses[];

/*
 * Validate a decision {"decision": "approved"|"declined", "reason": ...} (reason 1-1000 characters, required
 * to decline, optional to approve). A new {"status", "decision_reason"} for the store, or NULL with every
 * problem appended to errs.
 */
json_t *proposal_validate_decision(json_t *body, const struct hg_input *in, json_t *errs);

/* Under the row lock (state {"status", "proposed_by"}): only a proposal, only `proposed`, only by a district
 * admin who is not its proposer. */
const struct hg_reason *proposal_rule_decide(const struct hg_principal *who, json_t *state, json_t *changes);

/* The event of a decision: activity.approved or activity.declined. */
const char *proposal_event_type(json_t *state, json_t *changes);

/* A list's statement arguments: the proposer (district admins: everyone's; others: their own), ?status=. */
const struct hg_reason *proposal_list_args(const struct hg_principal *who, const char *const *values,
					   struct hg_record_call *call);

#endif
