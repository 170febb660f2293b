/* reasons.h - every refusal of the resources service: its stable code, status and detail, defined once.
 *
 * Domain rules return HG_REASON(resources, R_...); the reply carries the code as the problem's `reason`
 * member (api-spec/resources.yaml lists them). Codes never change once published; details may be reworded.
 */
#ifndef RESOURCES_REASONS_H
#define RESOURCES_REASONS_H

#include "common/reason.h"

/* X(name, code, status, detail) */
#define RESOURCES_REASONS(X)                                                                                       \
	/* library */                                                                                              \
	X(R_NOT_RESOURCE_AUTHOR, "not_resource_author", HG_FORBIDDEN, "not allowed to change this resource")       \
	X(R_NOT_REVIEW_AUTHOR, "not_review_author", HG_FORBIDDEN,                                                  \
	  "only the educator who wrote a review may change it")                                                    \
	X(R_ALREADY_REVIEWED, "already_reviewed", HG_CONFLICT,                                                     \
	  "you have already reviewed this resource; change your review instead")                                   \
	/* catalog: activities */                                                                                  \
	X(R_ACTIVITY_ARCHIVED, "activity_archived", HG_CONFLICT, "an archived activity cannot be changed")         \
	X(R_ACTIVITY_ARCHIVED_STATUS, "activity_archived_status", HG_CONFLICT,                                     \
	  "an archived activity cannot change status")                                                             \
	X(R_ACTIVITY_NOT_BACK_TO_DRAFT, "activity_not_back_to_draft", HG_CONFLICT,                                 \
	  "a published activity cannot go back to draft")                                                          \
	X(R_ACTIVITY_DRAFT_NOT_ARCHIVED, "activity_draft_not_archived", HG_CONFLICT,                               \
	  "a draft must be published before it is archived")                                                       \
	X(R_ACTIVITY_ARCHIVED_NO_SESSIONS, "activity_archived_no_sessions", HG_CONFLICT,                           \
	  "an archived activity cannot get new sessions")                                                          \
	X(R_ACTIVITY_AWAITING_DECISION, "activity_awaiting_decision", HG_CONFLICT,                                 \
	  "a proposed activity is approved or declined first (POST .../decision); approved, it is published")      \
	X(R_ACTIVITY_DECLINED, "activity_declined", HG_CONFLICT, "a declined proposal cannot be changed")          \
	X(R_ACTIVITY_STATUS_BY_DECISION, "activity_status_by_decision", HG_CONFLICT,                               \
	  "proposed, approved and declined come from a proposal and its decision; PATCH moves draft or approved "  \
	  "to published, and published to archived")                                                               \
	X(R_ACTIVITY_NOT_APPROVED_NO_SESSIONS, "activity_not_approved_no_sessions", HG_CONFLICT,                   \
	  "a proposal gets sessions once it is approved")                                                          \
	/* catalog: teacher-led proposals */                                                                       \
	X(R_PROPOSAL_DECIDE_FORBIDDEN, "proposal_decide_forbidden", HG_FORBIDDEN,                                  \
	  "district admins decide proposals, and never their own")                                                 \
	X(R_NOT_A_PROPOSAL, "not_a_proposal", HG_CONFLICT,                                                         \
	  "this activity was not proposed: only proposals are approved or declined")                               \
	X(R_PROPOSAL_DECIDED, "proposal_decided", HG_CONFLICT,                                                     \
	  "the proposal has already been decided: only a proposed activity is approved or declined, and an "       \
	  "approved one is then published")                                                                        \
	/* catalog: sessions */                                                                                    \
	X(R_SESSION_CANCELLED_STATUS, "session_cancelled_status", HG_CONFLICT,                                     \
	  "a cancelled session cannot change status")                                                              \
	X(R_SESSION_COMPLETED_STATUS, "session_completed_status", HG_CONFLICT,                                     \
	  "a completed session cannot change status")                                                              \
	X(R_SESSION_CLOSED_CHANGES, "session_closed_changes", HG_CONFLICT,                                         \
	  "a completed or cancelled session cannot be moved or resized")                                           \
	X(R_SESSION_CAPACITY_BELOW_REGISTERED, "session_capacity_below_registered", HG_CONFLICT,                   \
	  "capacity cannot go below the number of registered educators; cancel registrations first")               \
	X(R_SESSION_ENDS_BEFORE_START, "session_ends_before_start", HG_INVALID,                                    \
	  "the session would end before it starts")                                                                \
	X(R_SESSION_TOO_LONG, "session_too_long", HG_INVALID, "the session would last more than 31 days")          \
	X(R_SESSION_NO_PLACE, "session_no_place", HG_INVALID,                                                      \
	  "the session would have neither a location nor an online_url")                                           \
	/* catalog: people must be active educators of the district's roster (the read model) */                   \
	X(R_EDUCATOR_NOT_ON_ROSTER, "educator_not_on_roster", HG_INVALID,                                          \
	  "is not an educator on the district's roster")                                                           \
	X(R_EDUCATOR_INACTIVE, "educator_inactive", HG_INVALID,                                                    \
	  "is an educator the district's roster has deactivated")                                                  \
	/* catalog: registrations */                                                                               \
	X(R_REGISTER_OTHERS_ADMIN_ONLY, "register_others_admin_only", HG_FORBIDDEN,                                \
	  "only district admins register another educator")                                                        \
	X(R_REGISTRATION_CLOSED_UNPUBLISHED, "registration_closed_unpublished", HG_CONFLICT,                       \
	  "registration is closed: the activity is not published")                                                 \
	X(R_REGISTRATION_CLOSED_CANCELLED, "registration_closed_cancelled", HG_CONFLICT,                           \
	  "registration is closed: the session is cancelled")                                                      \
	X(R_REGISTRATION_CLOSED_COMPLETED, "registration_closed_completed", HG_CONFLICT,                           \
	  "registration is closed: the session is completed")                                                      \
	X(R_REGISTRATION_CLOSED_ENDED, "registration_closed_ended", HG_CONFLICT,                                   \
	  "registration is closed: the session has ended")                                                         \
	X(R_SESSION_FULL, "session_full", HG_CONFLICT, "the session and its waitlist are full")                    \
	X(R_ALREADY_REGISTERED, "already_registered", HG_CONFLICT,                                                 \
	  "the educator is already registered or waitlisted for this session")                                     \
	X(R_REGISTRATIONS_LIST_FORBIDDEN, "registrations_list_forbidden", HG_FORBIDDEN,                            \
	  "only the session's facilitators and district admins list its registrations")                            \
	X(R_REGISTRATIONS_OTHERS_FORBIDDEN, "registrations_others_forbidden", HG_FORBIDDEN,                        \
	  "only school leaders and district admins list other educators' registrations")                           \
	X(R_REGISTRATION_READ_FORBIDDEN, "registration_read_forbidden", HG_FORBIDDEN,                              \
	  "only the educator, the session's facilitators and district admins read a registration")                 \
	X(R_REGISTRATION_CANCEL_FORBIDDEN, "registration_cancel_forbidden", HG_FORBIDDEN,                          \
	  "only the educator and district admins cancel a registration")                                           \
	X(R_REGISTRATION_ALREADY_CANCELLED, "registration_already_cancelled", HG_CONFLICT,                         \
	  "the registration is already cancelled")                                                                 \
	X(R_REGISTRATION_FROZEN, "registration_frozen", HG_CONFLICT,                                               \
	  "the session is over or cancelled: its registrations can no longer change")                              \
	X(R_REGISTRATION_DECIDE_FORBIDDEN, "registration_decide_forbidden", HG_FORBIDDEN,                          \
	  "only a school leader of one of the educator's schools and district admins approve or decline a "        \
	  "registration, and never their own")                                                                     \
	X(R_REGISTRATION_NOT_PENDING, "registration_not_pending", HG_CONFLICT,                                     \
	  "the registration awaits no approval: it was approved or declined, or its activity needs none")          \
	/* catalog: attendance and check-in */                                                                     \
	X(R_ATTENDANCE_FORBIDDEN, "attendance_forbidden", HG_FORBIDDEN,                                            \
	  "only the session's facilitators and district admins record attendance")                                 \
	X(R_ATTENDANCE_SESSION_CANCELLED, "attendance_session_cancelled", HG_CONFLICT, "the session is cancelled") \
	X(R_ATTENDANCE_TOO_EARLY, "attendance_too_early", HG_CONFLICT,                                             \
	  "attendance can be recorded from 30 minutes before the session starts")                                  \
	X(R_CHECKIN_SESSION_CANCELLED, "checkin_session_cancelled", HG_CONFLICT,                                   \
	  "check-in is closed: the session is cancelled")                                                          \
	X(R_CHECKIN_NOT_OPEN, "checkin_not_open", HG_CONFLICT,                                                     \
	  "check-in is not open yet: it opens 30 minutes before the session starts")                               \
	X(R_CHECKIN_CLOSED, "checkin_closed", HG_CONFLICT, "check-in is closed: the session has ended")            \
	X(R_CHECKIN_WRONG_CODE, "checkin_wrong_code", HG_INVALID, "does not match this session's check-in code")   \
	X(R_CHECKIN_NOT_REGISTERED, "checkin_not_registered", HG_CONFLICT,                                         \
	  "only registered educators can check in; you are not registered")                                        \
	X(R_CHECKIN_WAITLISTED, "checkin_waitlisted", HG_CONFLICT,                                                 \
	  "only registered educators can check in; you are on the waitlist")                                       \
	X(R_CHECKIN_AWAITING_APPROVAL, "checkin_awaiting_approval", HG_CONFLICT,                                   \
	  "only registered educators can check in; your registration awaits your school leader's approval")        \
	/* catalog: credit requests and transcripts */                                                             \
	X(R_CREDIT_READ_FORBIDDEN, "credit_read_forbidden", HG_FORBIDDEN,                                          \
	  "only the educator and district admins read a credit request")                                           \
	X(R_CREDIT_DECIDE_FORBIDDEN, "credit_decide_forbidden", HG_FORBIDDEN,                                      \
	  "district admins decide credit requests, and never their own")                                           \
	X(R_CREDIT_DECIDED, "credit_decided", HG_CONFLICT, "the credit request has already been decided")          \
	X(R_TRANSCRIPT_FORBIDDEN, "transcript_forbidden", HG_FORBIDDEN,                                            \
	  "a transcript is for the educator, district admins, and the leaders of the educator's schools")          \
	/* catalog: budgets, costs and substitute releases */                                                      \
	X(R_FUNDING_CATEGORY_NOT_ALLOWED, "funding_category_not_allowed", HG_INVALID,                              \
	  "the funding source does not pay for this cost category")                                                \
	X(R_FUNDING_ACTIVITY_TYPE_NOT_ALLOWED, "funding_activity_type_not_allowed", HG_INVALID,                    \
	  "the funding source does not pay for activities of this type")                                           \
	X(R_FUNDING_OVERDRAWN, "funding_overdrawn", HG_CONFLICT,                                                   \
	  "the charge would overdraw the funding source: its allocation less what is spent and committed is less " \
	  "than the amount")                                                                                       \
	X(R_FUNDING_ALLOCATION_BELOW_CHARGED, "funding_allocation_below_charged", HG_CONFLICT,                     \
	  "the allocation cannot go below what is already spent and committed from the source")                    \
	X(R_COST_ACTIVITY_UNKNOWN, "cost_activity_unknown", HG_INVALID, "is not an activity of the district")      \
	X(R_COST_SESSION_NOT_OF_ACTIVITY, "cost_session_not_of_activity", HG_INVALID,                              \
	  "is not a session of the activity")                                                                      \
	X(R_BUDGET_SETTINGS_MISSING, "budget_settings_missing", HG_CONFLICT,                                       \
	  "the district has no substitute settings yet (daily rate, school day): PUT /v1/catalog/budget-settings") \
	X(R_TIME_ZONE_UNKNOWN, "time_zone_unknown", HG_INVALID, "is not a time zone name the database knows")      \
	X(R_RELEASE_NOT_REGISTERED, "release_not_registered", HG_CONFLICT,                                         \
	  "only a registration with a seat (not waitlisted or cancelled) gets a release")                          \
	X(R_RELEASE_OUTSIDE_SCHOOL_HOURS, "release_outside_school_hours", HG_CONFLICT,                             \
	  "the session does not fall in the district's school hours on a school day: no release is needed")        \
	X(R_RELEASE_EXISTS, "release_exists", HG_CONFLICT, "the registration's release is already recorded")       \
	X(R_RELEASE_SCHOOL_UNKNOWN, "release_school_unknown", HG_INVALID,                                          \
	  "is not one of the educator's schools on the district's roster")                                         \
	X(R_RELEASE_SCHOOL_REQUIRED, "release_school_required", HG_INVALID,                                        \
	  "the educator has no school or several schools on the roster: name the school that covers the class")    \
	X(R_RELEASES_SCHOOL_FORBIDDEN, "releases_school_forbidden", HG_FORBIDDEN,                                  \
	  "school leaders read the releases and costs of their own schools only")                                  \
	/* micro-credentials (credentials/) */                                                                     \
	X(R_COMPETENCY_UNKNOWN, "competency_unknown", HG_INVALID, "is not a competency of the district")           \
	X(R_DEFINITION_UNKNOWN, "definition_unknown", HG_INVALID, "is not a micro-credential of the district")     \
	X(R_DEFINITION_RETIRED, "definition_retired", HG_CONFLICT,                                                 \
	  "the micro-credential is retired: it takes no new submissions")                                          \
	X(R_SUBMISSION_EXISTS, "submission_exists", HG_CONFLICT,                                                   \
	  "you already have a submission of this micro-credential under review, returned or awarded")              \
	X(R_EVIDENCE_MISSING, "evidence_missing", HG_INVALID,                                                      \
	  "lacks a kind of evidence the micro-credential requires")                                                \
	X(R_SUBMISSION_READ_FORBIDDEN, "submission_read_forbidden", HG_FORBIDDEN,                                  \
	  "a submission is for its educator, the micro-credential's reviewers and district admins")                \
	X(R_SUBMISSION_REVIEWER_ONLY, "submission_reviewer_only", HG_FORBIDDEN,                                    \
	  "only a reviewer the micro-credential names reviews a submission, and never their own")                  \
	X(R_SUBMISSION_SUBMITTER_ONLY, "submission_submitter_only", HG_FORBIDDEN,                                  \
	  "only the educator who submitted resubmits or withdraws")                                                \
	X(R_SUBMISSION_MOVE_FROM_SUBMITTED, "submission_move_from_submitted", HG_CONFLICT,                         \
	  "a submitted submission is reviewed (awarded or returned) or withdrawn")                                 \
	X(R_SUBMISSION_MOVE_FROM_RETURNED, "submission_move_from_returned", HG_CONFLICT,                           \
	  "a returned submission is resubmitted or withdrawn")                                                     \
	X(R_SUBMISSION_CLOSED, "submission_closed", HG_CONFLICT,                                                   \
	  "an awarded or withdrawn submission is final: it does not change")                                       \
	X(R_SCORES_MISMATCH, "scores_mismatch", HG_INVALID,                                                        \
	  "must give one score per criterion of the micro-credential, each one of its levels")                     \
	X(R_SCORE_BELOW_PASSING, "score_below_passing", HG_INVALID,                                                \
	  "is below the criterion's passing level: an award needs every criterion met")                            \
	X(R_CREDENTIAL_REVOKED, "credential_revoked", HG_CONFLICT, "the credential is already revoked")

HG_REASON_TABLE(resources, RESOURCES_REASONS);

#define RESOURCES_REFUSE(name) HG_REASON(resources, name)

#endif
