/* question.h - survey questions and the answers to them: validation (pure; no HTTP, no SQL).
 *
 * A survey's questions are one JSON array. Each question has a client-chosen `id` (a short slug, unique in
 * the survey, what answers are keyed by), a `type`, a `prompt`, `required` (default true), an optional `topic`
 * tag (needs roll up by topic) and what its type needs:
 *
 *   scale           labelled 5-point scale: `labels` (5 strings, 1 = lowest); answer 1..5
 *   retrospective   "before this PD" and "now" on one labelled 5-point scale: `labels`; answer {"before","now"}
 *   single_choice   `options` (2..50 distinct strings); answer one option
 *   multiple_choice `options`, `min_picks` (default 1), `max_picks` (default all); answer an array of options
 *   rating          0..10; answer an integer
 *   number          `min`, `max` (numbers, min <= max); answer a number within them
 *   text            `max_length` (1..5000, default 1000); answer a string of 1..max_length characters
 */
#ifndef SURVEYS_QUESTION_H
#define SURVEYS_QUESTION_H

#include <jansson.h>

#define QUESTIONS_MAX 100
#define QUESTION_ID_MAX 40
#define QUESTION_PROMPT_MAX 500
#define QUESTION_TOPIC_MAX 60
#define QUESTION_LABEL_MAX 60
#define QUESTION_OPTIONS_MAX 50
#define QUESTION_OPTION_MAX 200
#define QUESTION_TEXT_MAX 5000
#define QUESTION_TEXT_DEFAULT 1000
#define QUESTION_NUMBER_LIMIT 1e9

extern const char *const question_types[];

/*
 * Validate a questions array (the member `field` of body). Every problem is appended to errs, named
 * "<field>[i].<member>". Returns a new normalised array (defaults filled in), or NULL when it is absent
 * (*present 0) or has problems.
 */
json_t *question_validate_list(json_t *body, const char *field, json_t *errs, int *present);

/*
 * Validate a response body's `answers` object against questions (a normalised array): type, bounds,
 * options, required. Every problem is appended to errs, named "answers.<question id>" (or "answers").
 * Returns a new normalised object (only answered questions; strings trimmed), or NULL with problems.
 */
json_t *question_validate_answers(json_t *questions, json_t *answers, json_t *errs);

#endif
