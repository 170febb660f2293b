/* survey.c - surveys: validation, the status machine, who sees what, what freezes (pure). */
#include "services/surveys/survey.h"

#include <stdio.h>
#include <string.h>

#include "common/record.h"
#include "common/roles.h"
#include "services/surveys/question.h"
#include "services/surveys/reasons.h"

const char *const survey_purposes[] = {"needs_assessment", "session_evaluation", "climate", "confidence", NULL};
const char *const survey_modes[] = {"confidential", "anonymous", NULL};
const char *const survey_statuses[] = {"draft", "open", "closed", NULL};
const char *const survey_career_stages[] = {"new", "early", "experienced", NULL};
static const char *const audience_roles[] = {"teacher", "coach", "school_leader", "district_admin", NULL};
static const char *const audience_fields[] = {"schools", "roles", "career_stages", "session_id", NULL};

static const char *const create_fields[] = {"title",    "description", "purpose",   "mode", "audience",
					    "opens_at", "closes_at",   "questions", NULL};
static const char *const patch_fields[] = {"title",    "description", "purpose",   "mode",   "audience",
					   "opens_at", "closes_at",   "questions", "status", NULL};
/* A template's copy: what may differ from the template (its purpose and questions are the template's). */
static const char *const copy_fields[] = {"title", "description", "mode", "audience", "opens_at", "closes_at", NULL};

enum body_kind { BODY_CREATE, BODY_PATCH, BODY_COPY };

/* {"schools": [uuid], "roles": [...], "career_stages": [...], "session_id": uuid}, each optional and each
 * narrowing it; {} is the whole district. session_id: the registrants of a session of the resources catalog. */
static json_t *check_audience(json_t *body, json_t *errs)
{
	json_t *a = json_object_get(body, "audience");
	json_t *schools = NULL, *roles = NULL, *stages = NULL;
	char session[37] = "";
	size_t before = json_array_size(errs);
	if (!json_is_object(a)) {
		hg_err_add(errs, "audience",
			   "must be an object: {} (the whole district), or schools, roles, career_stages, session_id");
		return NULL;
	}
	json_t *inner = json_array();
	hg_check_known_fields(a, audience_fields, inner);
	if (json_object_get(a, "schools") != NULL)
		hg_check_uuid_array(a, "schools", 1, SURVEY_AUDIENCE_SCHOOLS_MAX, inner, &schools);
	hg_check_string_array(a, "roles", 4, 20, audience_roles, inner, &roles);
	hg_check_string_array(a, "career_stages", 3, 20, survey_career_stages, inner, &stages);
	if (json_object_get(a, "session_id") != NULL)
		hg_check_uuid(a, "session_id", 1, inner, session);
	if (roles != NULL && json_array_size(roles) == 0)
		hg_err_add(inner, "roles", "must name at least one role (leave it out for every role)");
	if (stages != NULL && json_array_size(stages) == 0)
		hg_err_add(inner, "career_stages", "must name at least one stage (leave it out for every stage)");
	size_t i;
	json_t *e;
	json_array_foreach(inner, i, e) {
		char field[80];
		snprintf(field, sizeof(field), "audience.%s", json_string_value(json_object_get(e, "field")));
		hg_err_add(errs, field, json_string_value(json_object_get(e, "reason")));
	}
	json_decref(inner);
	if (json_array_size(errs) > before) {
		json_decref(schools);
		return NULL;
	}
	json_t *out = json_object();
	if (schools != NULL)
		json_object_set_new(out, "schools", schools);
	if (roles != NULL)
		json_object_set(out, "roles", roles);
	if (stages != NULL)
		json_object_set(out, "career_stages", stages);
	if (session[0] != '\0')
		json_object_set_new(out, "session_id", json_string(session));
	return out;
}

/* A nullable time: null clears it; a value goes to the store as given (PostgreSQL reads RFC 3339). Returns
 * whether a valid time was given, with *us its microseconds. */
static int check_time(json_t *body, const char *field, json_t *errs, json_t *out, int64_t *us)
{
	json_t *v = json_object_get(body, field);
	const char *s = NULL;
	if (v == NULL)
		return 0;
	if (json_is_null(v)) {
		json_object_set_new(out, field, json_null());
		return 0;
	}
	if (hg_check_time(body, field, 0, errs, &s, us) && s != NULL) {
		json_object_set_new(out, field, json_string(s));
		return 1;
	}
	return 0;
}

static json_t *validate(json_t *body, const struct hg_input *in, json_t *errs, enum body_kind kind)
{
	static const char *const *const known[] = {create_fields, patch_fields, copy_fields};
	int creating = kind == BODY_CREATE;
	const char *title = NULL, *description = NULL, *purpose = NULL, *mode = NULL, *status = NULL;
	size_t before = json_array_size(errs);
	json_t *out = json_object();
	int present = 0;

	(void)in;
	hg_check_known_fields(body, known[kind], errs);
	hg_check_string(body, "title", creating, 0, 1, SURVEY_TITLE_MAX, errs, &title);
	hg_check_string(body, "description", 0, 0, 0, SURVEY_DESCRIPTION_MAX, errs, &description);
	if (kind != BODY_COPY)
		hg_check_enum(body, "purpose", creating, survey_purposes, errs, &purpose);
	hg_check_enum(body, "mode", 0, survey_modes, errs, &mode);
	if (json_object_get(body, "audience") != NULL) {
		json_t *audience = check_audience(body, errs);
		if (audience != NULL)
			json_object_set_new(out, "audience", audience);
	} else if (creating) {
		json_object_set_new(out, "audience", json_object());
	}
	int64_t opens = 0, closes = 0;
	int has_opens = check_time(body, "opens_at", errs, out, &opens);
	int has_closes = check_time(body, "closes_at", errs, out, &closes);
	if (has_opens && has_closes && closes <= opens) /* one alone: the database checks it against the stored other */
		hg_err_add(errs, "closes_at", "must be after opens_at");
	json_t *questions = kind != BODY_COPY ? question_validate_list(body, "questions", errs, &present) : NULL;
	if (questions != NULL)
		json_object_set_new(out, "questions", questions);
	if (kind == BODY_PATCH)
		hg_check_enum(body, "status", 0, survey_statuses, errs, &status);
	if (kind == BODY_PATCH && json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before) {
		json_decref(out);
		return NULL;
	}
	if (title != NULL)
		json_object_set_new(out, "title", hg_trimmed(title));
	if (description != NULL)
		json_object_set_new(out, "description", json_string(description));
	if (purpose != NULL)
		json_object_set_new(out, "purpose", json_string(purpose));
	if (mode != NULL || creating)
		json_object_set_new(out, "mode", json_string(mode != NULL ? mode : "confidential"));
	if (status != NULL)
		json_object_set_new(out, "status", json_string(status));
	return out;
}

json_t *survey_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	return validate(body, in, errs, BODY_CREATE);
}

json_t *survey_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	return validate(body, in, errs, BODY_PATCH);
}

json_t *survey_validate_copy(json_t *body, const struct hg_input *in, json_t *errs)
{
	return validate(body, in, errs, BODY_COPY);
}

const struct hg_reason *survey_transition(const char *from, const char *to)
{
	if (strcmp(from, to) == 0)
		return NULL;
	if ((strcmp(from, "draft") == 0 && strcmp(to, "open") == 0) ||
	    (strcmp(from, "open") == 0 && strcmp(to, "closed") == 0))
		return NULL;
	if (strcmp(from, "closed") == 0)
		return SURVEYS_REFUSE(R_SURVEY_CLOSED);
	return SURVEYS_REFUSE(R_SURVEY_STATUS_MOVE);
}

const struct hg_reason *survey_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)who;
	const char *from = hg_record_status(state);
	const char *to = hg_record_target_status(state, changes);
	if (strcmp(from, "closed") == 0)
		return SURVEYS_REFUSE(R_SURVEY_CLOSED);
	const struct hg_reason *why = survey_transition(from, to);
	if (why != NULL)
		return why;
	if (strcmp(from, "draft") != 0 &&
	    (json_object_get(changes, "purpose") != NULL || json_object_get(changes, "mode") != NULL ||
	     json_object_get(changes, "audience") != NULL))
		return SURVEYS_REFUSE(R_SURVEY_FIXED_AFTER_OPEN);
	if (json_object_get(changes, "questions") != NULL &&
	    json_integer_value(json_object_get(state, "responses")) > 0)
		return SURVEYS_REFUSE(R_QUESTIONS_FROZEN);
	if (strcmp(from, "draft") == 0 && strcmp(to, "open") == 0) {
		json_t *q = json_object_get(changes, "questions");
		size_t n = q != NULL ? json_array_size(q)
				     : (size_t)json_integer_value(json_object_get(state, "questions"));
		if (n == 0)
			return SURVEYS_REFUSE(R_SURVEY_NO_QUESTIONS);
	}
	if (json_object_size(changes) == 1 && json_object_get(changes, "status") != NULL && strcmp(from, to) == 0)
		return &hg_reason_unchanged;
	return NULL;
}

const char *survey_event_type(json_t *state, json_t *changes)
{
	const char *from = hg_record_status(state), *to = hg_record_target_status(state, changes);
	if (strcmp(from, to) != 0 && strcmp(to, "open") == 0)
		return "survey.opened";
	if (strcmp(from, to) != 0 && strcmp(to, "closed") == 0)
		return "survey.closed";
	return "survey.updated";
}

static int is_admin(const struct hg_principal *who) { return (who->roles & HG_ROLE(DISTRICT_ADMIN)) != 0; }

const struct hg_reason *survey_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)state;
	const char *status = json_string_value(json_object_get(record, "status"));
	return is_admin(who) || (status != NULL && strcmp(status, "draft") != 0) ? NULL : &hg_reason_hidden;
}

const struct hg_reason *survey_list_args(const struct hg_principal *who, const char *const *values,
					 struct hg_record_call *call)
{
	const char *filter = values[0];
	const char *statuses;
	if (filter == NULL)
		statuses = is_admin(who) ? "{draft,open,closed}" : "{open,closed}";
	else if (strcmp(filter, "draft") == 0)
		statuses = is_admin(who) ? "{draft}" : "{}";
	else if (strcmp(filter, "open") == 0)
		statuses = "{open}";
	else
		statuses = "{closed}";
	hg_record_arg(call, statuses);
	return NULL;
}
