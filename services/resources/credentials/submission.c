/* submission.c - evidence, reviews and the state machine of micro-credential submissions. */
#include "services/resources/credentials/submission.h"

#include <stdio.h>
#include <string.h>

#include "common/record.h"
#include "services/resources/catalog/catalog.h"
#include "services/resources/credentials/definition.h"
#include "services/resources/reasons.h"

static const char *const create_fields[] = {"definition_id", "evidence", "recipient", NULL};
static const char *const recipient_fields[] = {"email", "did", NULL};
static const char *const resubmit_fields[] = {"evidence", NULL};
static const char *const no_fields[] = {NULL};
static const char *const review_fields[] = {"decision", "scores", "feedback", NULL};
static const char *const evidence_fields[] = {"kind", "title", "url", "text", "reference_id", NULL};
static const char *const decisions[] = {"award", "return", NULL};

const char *const submission_statuses[] = {"submitted", "returned", "awarded", "withdrawn", NULL};

/* The moves of the state machine: from each open status, where it may go, and the refusal of anything else. */
static const struct {
	const char *from, *to[3];
	enum resources_reason refusal;
} moves[] = {
	{"submitted", {"awarded", "returned", "withdrawn"}, R_SUBMISSION_MOVE_FROM_SUBMITTED},
	{"returned", {"submitted", "withdrawn", NULL}, R_SUBMISSION_MOVE_FROM_RETURNED},
};

const struct hg_reason *submission_move(const char *from, const char *to)
{
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(from, moves[i].from) != 0)
			continue;
		for (size_t j = 0; j < 3; j++)
			if (moves[i].to[j] != NULL && strcmp(to, moves[i].to[j]) == 0)
				return NULL;
		return HG_REASON(resources, moves[i].refusal);
	}
	return RESOURCES_REFUSE(R_SUBMISSION_CLOSED);
}

/* One evidence item into a new object, or NULL with its problems in tmp (unprefixed). */
static json_t *check_item(json_t *e, json_t *tmp)
{
	const char *kind = NULL, *title = NULL, *url = NULL, *text = NULL;
	char ref[37] = "";
	json_t *out;

	hg_check_known_fields(e, evidence_fields, tmp);
	hg_check_enum(e, "kind", 1, definition_evidence_kinds, tmp, &kind);
	hg_check_string(e, "title", 0, 0, 1, 200, tmp, &title);
	if (kind == NULL)
		return NULL;
	int is_url = strcmp(kind, "link") == 0 || strcmp(kind, "student_work") == 0;
	int is_text = strcmp(kind, "reflection") == 0;
	int is_ref = strcmp(kind, "coaching_observation") == 0;
	/* Each kind carries its own member, and only that one. */
	if (is_url)
		hg_check_url(e, "url", 1, 0, 2048, tmp, &url);
	else if (json_object_get(e, "url") != NULL)
		hg_err_add(tmp, "url", "is for link and student_work evidence only");
	if (is_text)
		hg_check_string(e, "text", 1, 0, 1, 10000, tmp, &text);
	else if (json_object_get(e, "text") != NULL)
		hg_err_add(tmp, "text", "is for reflection evidence only");
	if (is_ref)
		hg_check_uuid(e, "reference_id", 1, tmp, ref);
	else if (json_object_get(e, "reference_id") != NULL)
		hg_err_add(tmp, "reference_id", "is for coaching_observation evidence only");
	if (json_array_size(tmp) > 0)
		return NULL;
	out = json_pack("{s:s}", "kind", kind);
	json_object_set_new(out, "title", title ? hg_trimmed(title) : json_null());
	if (url != NULL)
		json_object_set_new(out, "url", json_string(url));
	if (text != NULL)
		json_object_set_new(out, "text", json_string(text));
	if (ref[0])
		json_object_set_new(out, "reference_id", json_string(ref));
	return out;
}

static json_t *check_evidence(json_t *body, json_t *errs)
{
	return hg_check_object_array(body, "evidence", 1, SUBMISSION_EVIDENCE_MAX,
				     "must be an array of 1 to 20 evidence items", check_item, errs);
}

/* Is s an email address as far as a credential's recipient needs (something@domain, no space)? */
static int is_email(const char *s)
{
	const char *at = strchr(s, '@');
	return at != NULL && at != s && strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL &&
	       at[strlen(at) - 1] != '.' && strpbrk(s, " \t\r\n<>") == NULL;
}

/* The credential's recipient: {"email"} (hashed with a salt into the credential) or {"did"}, or absent (the
 * educator's id, hashed). A new object, or NULL (absent, or a problem in errs). */
static json_t *check_recipient(json_t *body, json_t *errs)
{
	json_t *r = json_object_get(body, "recipient"), *tmp;
	const char *email = NULL, *did = NULL;

	if (r == NULL || json_is_null(r))
		return NULL;
	if (!json_is_object(r) || json_object_size(r) != 1) {
		hg_err_add(errs, "recipient", "must be an object with either email or did");
		return NULL;
	}
	tmp = json_array();
	hg_check_known_fields(r, recipient_fields, tmp);
	if (hg_check_string(r, "email", 0, 0, 3, 254, tmp, &email) && email != NULL && !is_email(email))
		hg_err_add(tmp, "email", "must be an email address");
	if (hg_check_string(r, "did", 0, 0, 5, 2048, tmp, &did) && did != NULL &&
	    (strncmp(did, "did:", 4) != 0 || strpbrk(did, " \t\r\n") != NULL))
		hg_err_add(tmp, "did", "must be a DID (did:method:identifier)");
	if (json_array_size(tmp) > 0) {
		hg_err_add_nested(tmp, "recipient", errs);
		json_decref(tmp);
		return NULL;
	}
	json_decref(tmp);
	return email != NULL ? json_pack("{s:s}", "email", email) : json_pack("{s:s}", "did", did);
}

json_t *submission_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	char definition[37] = "";
	size_t before = json_array_size(errs);
	json_t *evidence, *recipient;
	(void)in;

	hg_check_known_fields(body, create_fields, errs);
	hg_check_uuid(body, "definition_id", 1, errs, definition);
	evidence = check_evidence(body, errs);
	recipient = check_recipient(body, errs);
	if (json_array_size(errs) > before) {
		json_decref(evidence);
		json_decref(recipient);
		return NULL;
	}
	json_t *out = json_pack("{s:s, s:o}", "definition_id", definition, "evidence", evidence);
	if (recipient != NULL)
		json_object_set_new(out, "recipient", recipient);
	return out;
}

json_t *submission_validate_resubmit(json_t *body, const struct hg_input *in, json_t *errs)
{
	size_t before = json_array_size(errs);
	json_t *evidence;
	(void)in;

	hg_check_known_fields(body, resubmit_fields, errs);
	evidence = check_evidence(body, errs);
	if (json_array_size(errs) > before) {
		json_decref(evidence);
		return NULL;
	}
	return json_pack("{s:s, s:o}", "status", "submitted", "evidence", evidence);
}

json_t *submission_validate_withdraw(json_t *body, const struct hg_input *in, json_t *errs)
{
	size_t before = json_array_size(errs);
	(void)in;
	hg_check_known_fields(body, no_fields, errs);
	return json_array_size(errs) > before ? NULL : json_pack("{s:s}", "status", "withdrawn");
}

json_t *submission_validate_review(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *decision = NULL, *feedback = NULL;
	json_t *scores = json_object_get(body, "scores"), *v;
	size_t before = json_array_size(errs), i;
	(void)in;

	hg_check_known_fields(body, review_fields, errs);
	hg_check_enum(body, "decision", 1, decisions, errs, &decision);
	int returning = decision != NULL && strcmp(decision, "return") == 0;
	/* Feedback is what a returned submission is resubmitted after. */
	hg_check_string(body, "feedback", returning, 0, 1, 5000, errs, &feedback);
	if (scores == NULL) {
		hg_err_add(errs, "scores", "is required");
	} else if (!json_is_array(scores) || json_array_size(scores) == 0 ||
		   json_array_size(scores) > DEFINITION_CRITERIA_MAX) {
		hg_err_add(errs, "scores", "must be an array of 1 to 10 levels, one per criterion");
	} else {
		json_array_foreach(scores, i, v) {
			long long level;
			if (!hg_json_integer(v, 1, DEFINITION_LEVELS_MAX, &level)) {
				char at[32];
				snprintf(at, sizeof(at), "scores[%zu]", i);
				hg_err_add(errs, at, "must be a level number from 1 to 6");
			}
		}
	}
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_array();
	json_array_foreach(scores, i, v) {
		long long level = 0;
		hg_json_integer(v, 1, DEFINITION_LEVELS_MAX, &level);
		json_array_append_new(out, json_integer(level));
	}
	return json_pack("{s:s, s:o, s:s?}", "status", returning ? "returned" : "awarded", "scores", out, "feedback",
			 feedback);
}

int submission_evidence_covers(json_t *evidence, json_t *required)
{
	size_t i, j;
	json_t *k, *e;
	json_array_foreach(required, i, k) {
		int found = 0;
		json_array_foreach(evidence, j, e) {
			if (json_equal(json_object_get(e, "kind"), k)) {
				found = 1;
				break;
			}
		}
		if (!found)
			return 0;
	}
	return 1;
}

const struct hg_reason *submission_check_scores(json_t *scores, json_t *criteria, int awarding, long *bad)
{
	size_t i;
	json_t *c;

	*bad = -1;
	if (json_array_size(scores) != json_array_size(criteria))
		return RESOURCES_REFUSE(R_SCORES_MISMATCH);
	json_array_foreach(criteria, i, c) {
		json_int_t level = json_integer_value(json_array_get(scores, i));
		if ((size_t)level > json_array_size(json_object_get(c, "levels"))) {
			*bad = (long)i;
			return RESOURCES_REFUSE(R_SCORES_MISMATCH);
		}
	}
	json_array_foreach(criteria, i, c) {
		if (awarding && json_integer_value(json_array_get(scores, i)) <
					json_integer_value(json_object_get(c, "passing_level"))) {
			*bad = (long)i;
			return RESOURCES_REFUSE(R_SCORE_BELOW_PASSING);
		}
	}
	return NULL;
}

static int names_reviewer(json_t *state, const char *sub)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(state, "reviewer_ids"), i, r)
		if (catalog_same_id(json_string_value(r), sub))
			return 1;
	return 0;
}

static int is_submitter(const struct hg_principal *who, json_t *state)
{
	return catalog_same_id(who->sub, json_string_value(json_object_get(state, "educator_id")));
}

const struct hg_reason *submission_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)record;
	if (catalog_is_admin(who) || is_submitter(who, state) || names_reviewer(state, who->sub))
		return NULL;
	return RESOURCES_REFUSE(R_SUBMISSION_READ_FORBIDDEN);
}

const struct hg_reason *submission_rule_submitter(const struct hg_principal *who, json_t *state, json_t *changes)
{
	if (!is_submitter(who, state))
		return RESOURCES_REFUSE(R_SUBMISSION_SUBMITTER_ONLY);
	return submission_move(hg_record_status(state), hg_record_target_status(state, changes));
}

const struct hg_reason *submission_rule_review(const struct hg_principal *who, json_t *state, json_t *changes)
{
	if (is_submitter(who, state) || !names_reviewer(state, who->sub))
		return RESOURCES_REFUSE(R_SUBMISSION_REVIEWER_ONLY);
	return submission_move(hg_record_status(state), hg_record_target_status(state, changes));
}

const char *submission_review_event(json_t *state, json_t *changes)
{
	return strcmp(hg_record_target_status(state, changes), "awarded") == 0 ? "submission.awarded"
									       : "submission.returned";
}

const struct hg_reason *submission_list_args(const struct hg_principal *who, const char *const *values,
					     struct hg_record_call *call)
{
	/* values: ?status=, ?definition_id=, ?educator_id= */
	int admin = catalog_is_admin(who);
	hg_record_arg(call, admin ? values[2] : NULL); /* $5 this educator's */
	hg_record_arg(call, admin ? NULL : who->sub);  /* $6 submitted or reviewed by the caller */
	hg_record_arg(call, values[0]);
	hg_record_arg(call, values[1]);
	return NULL;
}
