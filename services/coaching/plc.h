/* plc.h - professional learning communities (PLCs) and their meetings: validation and who sees and changes
 * what (pure; no HTTP, no SQL).
 *
 * A PLC is seen whole by its members and by school leaders and district admins; anyone else gets the 404 of an
 * unknown id. Its facilitators and district admins change it; its facilitators record its meetings. A meeting's
 * agenda and notes are for the PLC's members, or for everyone who sees the PLC when it shares its notes
 * (share_notes); leaders and admins otherwise see that meetings were held, their minutes and attendance.
 */
#ifndef COACHING_PLC_H
#define COACHING_PLC_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/record.h"
#include "common/validate.h"

#define PLC_NAME_MAX 200
#define PLC_SCHOOLS_MAX 50
#define PLC_MEMBERS_MAX 100
#define PLC_LIST_MAX 20 /* norms, goals */
#define PLC_LIST_TEXT_MAX 500
#define PLC_AGENDA_MAX 4000
#define PLC_NOTES_MAX 20000
#define PLC_MEETING_MINUTES_MAX 600

extern const char *const plc_scopes[];       /* school, cross_school */
extern const char *const plc_member_roles[]; /* facilitator, member */

/*
 * A new PLC: name, scope (school: one school id; cross_school: two or more), school_ids, members (1-100 of
 * {educator_id, role}, distinct, at least one facilitator; a caller who is not a leader or an admin names
 * themselves as a facilitator), norms and goals (at most 20 texts of 1-500 characters), share_notes.
 */
json_t *plc_validate_create(json_t *body, const struct hg_input *in, json_t *errs);
/* A change: any of the fields above (scope and school_ids together; members, norms, goals replaced whole). */
json_t *plc_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/* Read: its members, leaders and admins; hidden from everyone else. */
const struct hg_reason *plc_rule_read(const struct hg_principal *who, json_t *record, json_t *state);
/* Change (state: member_ids, facilitator_ids): its facilitators and district admins; other members and leaders
 * are refused; anyone else does not know it exists. */
const struct hg_reason *plc_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);
/* ?school_id=, then the member every row must include (NULL for leaders and admins). */
const struct hg_reason *plc_list_args(const struct hg_principal *who, const char *const *values,
				      struct hg_record_call *call);
/* The event of a PLC: the record without its norms and goals (new reference). */
json_t *plc_event_data(json_t *record);
/* The educator ids of fields' members (new array), for the roster check. */
json_t *plc_member_ids(json_t *fields);

/* A meeting: held_on (not in the future), minutes (1-600), agenda, notes, attendance (distinct member ids),
 * activity_id (a catalog activity, optional). */
json_t *plc_meeting_validate_create(json_t *body, const struct hg_input *in, json_t *errs);
/* A change of a meeting: any of those fields (at least one; activity_id null unlinks the activity). */
json_t *plc_meeting_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);
/* Record a meeting (state: the PLC's member_ids, facilitator_ids): its facilitators. */
const struct hg_reason *plc_meeting_rule_create(const struct hg_principal *who, json_t *state, json_t *fields);
/* Change a meeting (state: the PLC's member_ids, facilitator_ids and the meeting's stored fields): its
 * facilitators, as for recording one; the same values again change nothing. */
const struct hg_reason *plc_meeting_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);
/* The index of the first attendee of fields who is not a member of state, or -1. */
long plc_meeting_first_stranger(json_t *state, json_t *fields);
/* A PLC's meetings are read by whoever reads the PLC (state: member_ids). */
const struct hg_reason *plc_meeting_rule_parent(const struct hg_principal *who, json_t *record, json_t *state);
/* The reader, whose membership decides whether the agenda and notes show. */
const struct hg_reason *plc_meeting_list_args(const struct hg_principal *who, const char *const *values,
					      struct hg_record_call *call);
/* The event of a meeting: the record without agenda and notes (new reference). */
json_t *plc_meeting_event_data(json_t *record);

#endif
