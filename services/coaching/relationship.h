/* relationship.h - coaching and mentoring relationships: validation and the rules of who sees and changes
 * them (pure; no HTTP, no SQL). */
#ifndef COACHING_RELATIONSHIP_H
#define COACHING_RELATIONSHIP_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/record.h"
#include "common/validate.h"

extern const char *const relationship_kinds[];    /* NULL-terminated */
extern const char *const relationship_statuses[]; /* active, ended */

/*
 * A new relationship: teacher_id (UUID, required), kind (required), coach_id (UUID, default: the caller),
 * starts_on (YYYY-MM-DD, default today). The teacher is not the coach. A new object or NULL with every bad
 * field in errs.
 */
json_t *relationship_validate_create(json_t *body, const struct hg_input *in, json_t *errs);
/* A change: kind and/or ends_on (YYYY-MM-DD: ends the relationship). */
json_t *relationship_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/* Create: a coach starts relationships as their coach only; district admins start any. */
const struct hg_reason *relationship_rule_create(const struct hg_principal *who, json_t *state, json_t *fields);
/* Change (state: coach_id, teacher_id, kind, status, starts_on): the coach or an admin; not once ended; nothing
 * to change is unchanged. */
const struct hg_reason *relationship_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);
/* After the change rule (state as there): the end not before the start (a 422 naming ends_on). */
const struct hg_reason *relationship_rule_dates(json_t *state, json_t *changes);
/* Read: its coach, its teacher, school leaders and district admins; hidden from everyone else. */
const struct hg_reason *relationship_rule_read(const struct hg_principal *who, json_t *record, json_t *state);
/* relationship.ended when the change ends it, else relationship.updated. */
const char *relationship_event_type(json_t *state, json_t *changes);
/* ?coach_id=, ?teacher_id=, ?status= as given, then the party every row must include (NULL for overseers). */
const struct hg_reason *relationship_list_args(const struct hg_principal *who, const char *const *values,
					       struct hg_record_call *call);

#endif
