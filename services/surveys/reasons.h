/* reasons.h - every refusal of the surveys service: its stable code, status and detail, defined once.
 *
 * Domain rules return SURVEYS_REFUSE(R_...); the reply carries the code as the problem's `reason` member
 * (api-spec/surveys.yaml and docs/surveys.md list them). Codes never change once published.
 */
#ifndef SURVEYS_REASONS_H
#define SURVEYS_REASONS_H

#include "common/reason.h"

/* X(name, code, status, detail) */
#define SURVEYS_REASONS(X)                                                                                           \
	X(R_SURVEY_CLOSED, "survey_closed", HG_CONFLICT, "a closed survey cannot be changed")                        \
	X(R_SURVEY_STATUS_MOVE, "survey_status_move", HG_CONFLICT,                                                   \
	  "a survey moves only from draft to open and from open to closed")                                          \
	X(R_SURVEY_FIXED_AFTER_OPEN, "survey_fixed_after_open", HG_CONFLICT,                                         \
	  "purpose, mode and audience are fixed once a survey opens")                                                \
	X(R_QUESTIONS_FROZEN, "questions_frozen", HG_CONFLICT,                                                       \
	  "the questions and their options are frozen: the survey has answers")                                      \
	X(R_SURVEY_NO_QUESTIONS, "survey_no_questions", HG_CONFLICT, "a survey needs at least one question to open") \
	X(R_SURVEY_NOT_OPEN, "survey_not_open", HG_CONFLICT, "the survey is not open for responses")                 \
	X(R_WINDOW_NOT_STARTED, "survey_window_not_started", HG_CONFLICT, "the survey's window has not opened yet")  \
	X(R_WINDOW_ENDED, "survey_window_ended", HG_CONFLICT, "the survey's window has closed")                      \
	X(R_NOT_IN_AUDIENCE, "not_in_audience", HG_FORBIDDEN, "you are not in this survey's audience")               \
	X(R_ALREADY_RESPONDED, "already_responded", HG_CONFLICT, "you have already responded to this survey")        \
	X(R_RESPONSE_ANONYMOUS, "response_anonymous", HG_NOT_FOUND,                                                  \
	  "an anonymous response cannot be read back: nothing links it to you")                                      \
	X(R_RESULTS_NOT_FINAL, "results_not_final", HG_CONFLICT,                                                     \
	  "results are given only once the survey is closed: no live counts")

HG_REASON_TABLE(surveys, SURVEYS_REASONS);

#define SURVEYS_REFUSE(name) HG_REASON(surveys, name)

#endif
