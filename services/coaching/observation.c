/* observation.c - observations, feedback and reflections: validation and rules (observation.h). */
#include "services/coaching/observation.h"

#include <stdio.h>
#include <string.h>

#include "services/coaching/confidentiality.h"
#include "services/coaching/reasons.h"
#include "services/coaching/rubric.h"

static const char *const create_fields[] = {"observed_at", "rubric_id", "rubric_version", "ratings", "evidence", NULL};
static const char *const rating_fields[] = {"indicator", "level", "notes", NULL};
static const char *const evidence_fields[] = {"url", "comments", NULL};
static const char *const comment_fields[] = {"at_seconds", "text", NULL};
static const char *const feedback_fields[] = {"strengths", "next_steps", NULL};
static const char *const reflection_fields[] = {"text", NULL};

static json_t *check_ratings(json_t *body, json_t *errs)
{
	json_t *a = json_object_get(body, "ratings"), *out = json_array(), *tmp = json_array(), *r;
	size_t i, before = json_array_size(errs);

	if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > OBSERVATION_RATINGS_MAX) {
		hg_err_add(errs, "ratings",
			   json_object_get(body, "ratings") == NULL ? "is required"
								    : "must be an array of 1 to 100 ratings");
		goto bad;
	}
	json_array_foreach(a, i, r) {
		char at[32];
		const char *indicator = NULL, *notes = NULL;
		long level = 0;
		snprintf(at, sizeof(at), "ratings[%zu]", i);
		if (!json_is_object(r)) {
			hg_err_add(errs, at, "must be an object");
			continue;
		}
		hg_check_known_fields(r, rating_fields, tmp);
		hg_check_string(r, "indicator", 1, 0, 1, RUBRIC_KEY_MAX, tmp, &indicator);
		hg_check_int(r, "level", 1, 0, RUBRIC_LEVEL_MAX, tmp, &level);
		hg_check_string(r, "notes", 0, 0, 1, OBSERVATION_NOTES_MAX, tmp, &notes);
		if (json_array_size(tmp) > 0) {
			hg_err_add_nested(tmp, at, errs);
			continue;
		}
		json_t *one = json_pack("{s:s, s:I}", "indicator", indicator, "level", (json_int_t)level);
		json_object_set_new(one, "notes", notes != NULL ? hg_trimmed(notes) : json_null());
		json_array_append_new(out, one);
	}
	if (json_array_size(errs) == before) {
		json_decref(tmp);
		return out;
	}
bad:
	json_decref(tmp);
	json_decref(out);
	return NULL;
}

static json_t *check_comments(json_t *link, const char *prefix, json_t *errs)
{
	json_t *a = json_object_get(link, "comments"), *out = json_array(), *tmp = json_array(), *c;
	size_t i, before = json_array_size(errs);
	char field[64];

	if (a == NULL)
		goto done;
	if (!json_is_array(a) || json_array_size(a) > OBSERVATION_COMMENTS_MAX) {
		snprintf(field, sizeof(field), "%s.comments", prefix);
		hg_err_add(errs, field, "must be an array of at most 50 comments");
		goto bad;
	}
	json_array_foreach(a, i, c) {
		const char *text = NULL;
		long at_seconds = 0;
		snprintf(field, sizeof(field), "%s.comments[%zu]", prefix, i);
		if (!json_is_object(c)) {
			hg_err_add(errs, field, "must be an object");
			continue;
		}
		hg_check_known_fields(c, comment_fields, tmp);
		hg_check_int(c, "at_seconds", 1, 0, OBSERVATION_SECONDS_MAX, tmp, &at_seconds);
		hg_check_string(c, "text", 1, 0, 1, OBSERVATION_COMMENT_MAX, tmp, &text);
		if (json_array_size(tmp) > 0) {
			hg_err_add_nested(tmp, field, errs);
			continue;
		}
		json_array_append_new(
			out, json_pack("{s:I, s:o}", "at_seconds", (json_int_t)at_seconds, "text", hg_trimmed(text)));
	}
	if (json_array_size(errs) > before)
		goto bad;
done:
	json_decref(tmp);
	return out;
bad:
	json_decref(tmp);
	json_decref(out);
	return NULL;
}

static json_t *check_evidence(json_t *body, json_t *errs)
{
	json_t *a = json_object_get(body, "evidence"), *out = json_array(), *tmp = json_array(), *e;
	size_t i, before = json_array_size(errs);

	if (a == NULL)
		goto done;
	if (!json_is_array(a) || json_array_size(a) > OBSERVATION_EVIDENCE_MAX) {
		hg_err_add(errs, "evidence", "must be an array of at most 10 links");
		goto bad;
	}
	json_array_foreach(a, i, e) {
		char at[32];
		const char *url = NULL;
		snprintf(at, sizeof(at), "evidence[%zu]", i);
		if (!json_is_object(e)) {
			hg_err_add(errs, at, "must be an object");
			continue;
		}
		hg_check_known_fields(e, evidence_fields, tmp);
		hg_check_url(e, "url", 1, 0, OBSERVATION_URL_MAX, tmp, &url);
		hg_err_add_nested(tmp, at, errs);
		json_t *comments = check_comments(e, at, errs);
		if (url != NULL && comments != NULL)
			json_array_append_new(out, json_pack("{s:s, s:o}", "url", url, "comments", comments));
		else
			json_decref(comments);
	}
	if (json_array_size(errs) > before)
		goto bad;
done:
	json_decref(tmp);
	return out;
bad:
	json_decref(tmp);
	json_decref(out);
	return NULL;
}

json_t *observation_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	char rubric[37];
	const char *observed_at = NULL;
	int64_t us = 0;
	long version = 0;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, create_fields, errs);
	if (hg_check_time(body, "observed_at", 1, errs, &observed_at, &us) && observed_at != NULL && us > in->now_us)
		hg_err_add(errs, "observed_at", "must not be in the future");
	hg_check_uuid(body, "rubric_id", 1, errs, rubric);
	hg_check_int(body, "rubric_version", 1, 1, 1000000, errs, &version);
	json_t *ratings = check_ratings(body, errs);
	json_t *evidence = check_evidence(body, errs);
	if (json_array_size(errs) > before) {
		json_decref(ratings);
		json_decref(evidence);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:I, s:o, s:o}", "observed_at", observed_at, "rubric_id", rubric, "rubric_version",
			 (json_int_t)version, "ratings", ratings, "evidence", evidence);
}

const struct hg_reason *observation_check_ratings(json_t *domains, json_t *ratings, char *field, size_t len)
{
	json_t *seen = json_object(), *r;
	const struct hg_reason *why = NULL;
	size_t i;

	json_array_foreach(ratings, i, r) {
		const char *key = json_string_value(json_object_get(r, "indicator"));
		json_int_t level = json_integer_value(json_object_get(r, "level"));
		json_t *levels = key != NULL ? rubric_indicator_levels(domains, key) : NULL;
		if (levels == NULL) {
			snprintf(field, len, "ratings[%zu].indicator", i);
			why = COACHING_REFUSE(R_INDICATOR_UNKNOWN);
			break;
		}
		if (json_object_get(seen, key) != NULL) {
			snprintf(field, len, "ratings[%zu].indicator", i);
			why = COACHING_REFUSE(R_INDICATOR_TWICE);
			break;
		}
		json_object_set_new(seen, key, json_true());
		size_t j;
		json_t *lv;
		int found = 0;
		json_array_foreach(levels, j, lv) {
			if (json_integer_value(json_object_get(lv, "level")) == level)
				found = 1;
		}
		if (!found) {
			snprintf(field, len, "ratings[%zu].level", i);
			why = COACHING_REFUSE(R_LEVEL_UNKNOWN);
			break;
		}
	}
	json_decref(seen);
	return why;
}

const struct hg_reason *observation_rule_create(const struct hg_principal *who, json_t *state, json_t *fields)
{
	(void)fields;
	if (!coaching_member_is(state, "coach_id", who->sub))
		return coaching_member_is(state, "teacher_id", who->sub) ? COACHING_REFUSE(R_OBSERVATION_COACH_ONLY)
									 : &hg_reason_hidden;
	if (coaching_member_is(state, "status", "completed") || coaching_member_is(state, "status", "cancelled"))
		return COACHING_REFUSE(R_CYCLE_CLOSED);
	return NULL;
}

const struct hg_reason *feedback_rule_create(const struct hg_principal *who, json_t *state, json_t *fields)
{
	(void)fields;
	if (!coaching_member_is(state, "coach_id", who->sub))
		return coaching_member_is(state, "teacher_id", who->sub) ? COACHING_REFUSE(R_OBSERVATION_COACH_ONLY)
									 : &hg_reason_hidden;
	if (json_integer_value(json_object_get(state, "feedback_count")) >= FEEDBACK_PER_OBSERVATION_MAX)
		return COACHING_REFUSE(R_FEEDBACK_LIMIT);
	return NULL;
}

const struct hg_reason *reflection_rule_create(const struct hg_principal *who, json_t *state, json_t *fields)
{
	(void)fields;
	if (!coaching_member_is(state, "teacher_id", who->sub))
		return coaching_member_is(state, "coach_id", who->sub) ? COACHING_REFUSE(R_REFLECTION_TEACHER_ONLY)
								       : &hg_reason_hidden;
	if (json_is_true(json_object_get(state, "reflected")))
		return COACHING_REFUSE(R_REFLECTION_EXISTS);
	return NULL;
}

const struct hg_reason *content_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)state;
	return coaching_is_party(who, record) ? NULL : &hg_reason_hidden;
}

const struct hg_reason *content_rule_parent(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)record;
	return coaching_is_party(who, state) ? NULL : &hg_reason_hidden;
}

static json_t *text_fields(json_t *body, const char *const *allowed, const char *const *names, size_t max, json_t *errs)
{
	size_t before = json_array_size(errs);
	const char *values[2] = {NULL, NULL};
	hg_check_known_fields(body, allowed, errs);
	for (size_t i = 0; names[i] != NULL; i++)
		hg_check_string(body, names[i], 1, 0, 1, max, errs, &values[i]);
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_object();
	for (size_t i = 0; names[i] != NULL; i++)
		json_object_set_new(out, names[i], hg_trimmed(values[i]));
	return out;
}

json_t *feedback_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return text_fields(body, feedback_fields, feedback_fields, FEEDBACK_TEXT_MAX, errs);
}

json_t *reflection_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return text_fields(body, reflection_fields, reflection_fields, REFLECTION_TEXT_MAX, errs);
}

/* A copy of record without the named members. */
static json_t *without(json_t *record, const char *const *content)
{
	json_t *data = json_deep_copy(record);
	for (size_t i = 0; content[i] != NULL; i++)
		json_object_del(data, content[i]);
	return data;
}

json_t *observation_event_data(json_t *record)
{
	static const char *const content[] = {"ratings", "evidence", "feedback", NULL};
	json_t *data = without(record, content);
	json_object_set_new(data, "rating_count",
			    json_integer((json_int_t)json_array_size(json_object_get(record, "ratings"))));
	json_object_set_new(data, "evidence_count",
			    json_integer((json_int_t)json_array_size(json_object_get(record, "evidence"))));
	return data;
}

json_t *feedback_event_data(json_t *record)
{
	static const char *const content[] = {"strengths", "next_steps", "reflection", NULL};
	return without(record, content);
}

json_t *reflection_event_data(json_t *record)
{
	static const char *const content[] = {"text", NULL};
	return without(record, content);
}

const struct hg_reason *content_read_args(const struct hg_principal *who, const char *const *values,
					  struct hg_record_call *call)
{
	(void)values;
	hg_record_arg(call, who->sub);
	return NULL;
}
