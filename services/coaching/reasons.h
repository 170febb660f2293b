/* reasons.h - every refusal of the coaching service: its stable code, status and detail, defined once.
 *
 * Domain rules return COACHING_REFUSE(R_...); the reply carries the code as the problem's `reason` member
 * (api-spec/coaching.yaml and docs/coaching.md list them). Codes never change once published.
 */
#ifndef COACHING_REASONS_H
#define COACHING_REASONS_H

#include "common/reason.h"

/* X(name, code, status, detail) */
#define COACHING_REASONS(X)                                                                                            \
	/* relationships */                                                                                            \
	X(R_NOT_OWN_RELATIONSHIP, "not_own_relationship", HG_FORBIDDEN,                                                \
	  "a coach starts and changes only relationships in which they are the coach")                                 \
	X(R_RELATIONSHIP_EXISTS, "relationship_exists", HG_CONFLICT,                                                   \
	  "these educators already have an active relationship of this kind")                                          \
	X(R_RELATIONSHIP_ENDED, "relationship_ended", HG_CONFLICT, "an ended relationship cannot be changed")          \
	X(R_ENDS_BEFORE_START, "relationship_ends_before_start", HG_INVALID,                                           \
	  "a relationship cannot end before it starts")                                                                \
	/* cycles */                                                                                                   \
	X(R_CYCLE_COACH_ONLY, "cycle_coach_only", HG_FORBIDDEN, "only the relationship's coach starts a cycle")        \
	X(R_CYCLE_PARTY_ONLY, "cycle_party_only", HG_FORBIDDEN, "only the coach and the teacher change a cycle")       \
	X(R_CYCLE_CLOSED, "cycle_closed", HG_CONFLICT, "a completed or cancelled cycle does not change")               \
	X(R_CYCLE_MOVE_FROM_PLANNING, "cycle_move_from_planning", HG_CONFLICT,                                         \
	  "a cycle in planning moves only to observing or cancelled")                                                  \
	X(R_CYCLE_MOVE_FROM_OBSERVING, "cycle_move_from_observing", HG_CONFLICT,                                       \
	  "a cycle in observing moves only to feedback or cancelled")                                                  \
	X(R_CYCLE_MOVE_FROM_FEEDBACK, "cycle_move_from_feedback", HG_CONFLICT,                                         \
	  "a cycle in feedback moves only to reflecting or cancelled")                                                 \
	X(R_CYCLE_MOVE_FROM_REFLECTING, "cycle_move_from_reflecting", HG_CONFLICT,                                     \
	  "a cycle in reflecting moves only to completed or cancelled")                                                \
	/* time logs, caseloads and PLCs */                                                                            \
	X(R_TIME_LOG_COACH_ONLY, "time_log_coach_only", HG_FORBIDDEN, "only the relationship's coach logs time")       \
	X(R_TIME_LOG_OUTSIDE, "time_log_outside_relationship", HG_INVALID,                                             \
	  "a time log's date lies within its relationship (from its start to its end)")                                \
	X(R_CASELOAD_OWN_ONLY, "caseload_own_only", HG_FORBIDDEN, "a coach sees their own caseload only")              \
	X(R_PLC_FACILITATOR_ONLY, "plc_facilitator_only", HG_FORBIDDEN,                                                \
	  "a PLC's facilitators record its meetings; they and district admins change it")                              \
	X(R_PLC_MEMBER_NOT_ON_ROSTER, "plc_member_not_on_roster", HG_INVALID,                                          \
	  "a PLC's members are active educators of the district")                                                      \
	X(R_PLC_ATTENDEE_NOT_MEMBER, "plc_attendee_not_member", HG_INVALID,                                            \
	  "a meeting's attendance names members of the PLC only")                                                      \
	X(R_PLC_ACTIVITY_UNKNOWN, "plc_activity_unknown", HG_INVALID,                                                  \
	  "a meeting's activity_id names an activity of the district's catalog")                                       \
	/* rubrics, observations, feedback, reflections (coach1) */                                                    \
	X(R_RUBRIC_VERSION_UNKNOWN, "rubric_version_unknown", HG_INVALID,                                              \
	  "no such version of a rubric of this district")                                                              \
	X(R_INDICATOR_UNKNOWN, "indicator_unknown", HG_INVALID, "not an indicator of this rubric version")             \
	X(R_INDICATOR_TWICE, "indicator_twice", HG_INVALID, "an indicator is rated once per observation")              \
	X(R_LEVEL_UNKNOWN, "level_unknown", HG_INVALID, "not a level of this indicator")                               \
	X(R_OBSERVATION_COACH_ONLY, "observation_coach_only", HG_FORBIDDEN,                                            \
	  "only the cycle's coach records observations and gives feedback")                                            \
	X(R_FEEDBACK_LIMIT, "feedback_limit", HG_CONFLICT, "an observation has at most 20 feedback")                   \
	X(R_REFLECTION_TEACHER_ONLY, "reflection_teacher_only", HG_FORBIDDEN, "only the teacher reflects on feedback") \
	X(R_REFLECTION_EXISTS, "reflection_exists", HG_CONFLICT, "this feedback already has the teacher's reflection")

HG_REASON_TABLE(coaching, COACHING_REASONS);

#define COACHING_REFUSE(name) HG_REASON(coaching, name)

#endif
