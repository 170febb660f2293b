/* submission.h - submissions of evidence for a micro-credential, and their reviews (pure: no HTTP, no SQL).
 *
 * The state machine:
 *
 *   submitted --review award--> awarded        (final; the credential is issued)
 *   submitted --review return--> returned      (with feedback)
 *   returned  --resubmit-->      submitted     (attempt + 1, new evidence)
 *   submitted, returned --withdraw--> withdrawn (final)
 *
 * Any other move is a 409 whose reason names the allowed ones. The submitter resubmits and withdraws; a reviewer
 * the definition names reviews, never their own submission. The submitter, the definition's reviewers and
 * district admins read a submission.
 *
 * Evidence: 1-20 items {kind, title (optional, 1-200)} and, by kind: link and student_work a `url` (http/https),
 * reflection a `text` (1-10000 characters), coaching_observation a `reference_id` (the coaching observation's
 * UUID). Together they must hold every kind the definition requires (evidence_missing).
 * A review: {decision: award | return, scores: one level per criterion (1-6), feedback (1-5000; required to
 * return)}; against the definition, each score is one of its criterion's levels (scores_mismatch) and an award
 * needs every criterion at its passing level (score_below_passing, naming scores[i]).
 */
#ifndef CREDENTIALS_SUBMISSION_H
#define CREDENTIALS_SUBMISSION_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

struct hg_record_call;

#define SUBMISSION_EVIDENCE_MAX 20

extern const char *const submission_statuses[]; /* submitted, returned, awarded, withdrawn */

/* {definition_id, evidence} → a new normalised object, or NULL with every problem in errs. */
json_t *submission_validate_create(json_t *body, const struct hg_input *in, json_t *errs);
/* {evidence} (a resubmission) → a new object, or NULL. */
json_t *submission_validate_resubmit(json_t *body, const struct hg_input *in, json_t *errs);
/* {} or no body (a withdrawal) → a new {"status": "withdrawn"}, or NULL. */
json_t *submission_validate_withdraw(json_t *body, const struct hg_input *in, json_t *errs);
/* {decision, scores, feedback} → a new {"status": "awarded" | "returned", "scores", "feedback"}, or NULL. */
json_t *submission_validate_review(json_t *body, const struct hg_input *in, json_t *errs);

/* Does evidence (validated items) hold every kind of required (an array of kinds)? */
int submission_evidence_covers(json_t *evidence, json_t *required);

/* Do scores fit criteria (the definition's)? NULL, or the reason with *bad the first score at fault (or -1 for
 * the list as a whole). An award (awarding true) also needs each score at its criterion's passing level. */
const struct hg_reason *submission_check_scores(json_t *scores, json_t *criteria, int awarding, long *bad);

/* May the submission move from one status to another? NULL, or the refusal naming the allowed moves. */
const struct hg_reason *submission_move(const char *from, const char *to);

/* ---- the rules the CRUD kit calls; state: {"status", "educator_id", "reviewer_ids", "criteria",
 * "evidence_required"} ---- */

const struct hg_reason *submission_rule_read(const struct hg_principal *who, json_t *record, json_t *state);
/* The submitter's moves (resubmit, withdraw), then the state machine. */
const struct hg_reason *submission_rule_submitter(const struct hg_principal *who, json_t *state, json_t *changes);
/* A named reviewer who is not the submitter, then the state machine. */
const struct hg_reason *submission_rule_review(const struct hg_principal *who, json_t *state, json_t *changes);
/* The event of a review: submission.awarded or submission.returned. */
const char *submission_review_event(json_t *state, json_t *changes);
/* A list's arguments: admins any educator (?educator_id=), others what they submitted or review; status;
 * definition. */
const struct hg_reason *submission_list_args(const struct hg_principal *who, const char *const *values,
					     struct hg_record_call *call);

#endif
