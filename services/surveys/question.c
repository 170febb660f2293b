/* question.c - survey questions and the answers to them: validation (pure). */
#include "services/surveys/question.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/validate.h"

const char *const question_types[] = {"scale",  "retrospective", "single_choice", "multiple_choice",
				      "rating", "number",        "text",          NULL};

static const char *const question_fields[] = {"id",     "type",       "prompt",    "required",  "topic",
					      "labels", "options",    "min_picks", "max_picks", "min",
					      "max",    "max_length", NULL};

/* Copy each error of inner into errs with its field prefixed ("questions[2]" + "." + field). */
static void add_prefixed(json_t *errs, const char *prefix, json_t *inner)
{
	size_t i;
	json_t *e;
	json_array_foreach(inner, i, e) {
		char field[160];
		const char *f = json_string_value(json_object_get(e, "field"));
		if (f == NULL || f[0] == '\0')
			snprintf(field, sizeof(field), "%s", prefix);
		else
			snprintf(field, sizeof(field), "%s.%s", prefix, f);
		hg_err_add(errs, field, json_string_value(json_object_get(e, "reason")));
	}
}

static int is_slug(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > QUESTION_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* A finite JSON number (integer or real) into *out. */
static int number_of(json_t *v, double *out)
{
	if (!json_is_number(v))
		return 0;
	*out = json_number_value(v);
	return isfinite(*out) && fabs(*out) <= QUESTION_NUMBER_LIMIT;
}

/* Only the members a type uses: any other type member is a mistake worth naming. */
static void reject_members(json_t *q, const char *const *members, const char *type, json_t *errs)
{
	for (size_t i = 0; members[i] != NULL; i++)
		if (json_object_get(q, members[i]) != NULL) {
			char reason[96];
			snprintf(reason, sizeof(reason), "is not used by a %s question", type);
			hg_err_add(errs, members[i], reason);
		}
}

static void check_labels(json_t *q, json_t *errs, json_t *out)
{
	json_t *labels = NULL;
	if (json_object_get(q, "labels") == NULL) {
		hg_err_add(errs, "labels", "is required: five labels, lowest first");
		return;
	}
	if (!hg_check_string_array(q, "labels", 5, QUESTION_LABEL_MAX, NULL, errs, &labels))
		return;
	if (json_array_size(labels) != 5) {
		hg_err_add(errs, "labels", "must hold exactly five distinct labels, lowest first");
		return;
	}
	json_object_set(out, "labels", labels);
}

static void check_choice(json_t *q, int multiple, json_t *errs, json_t *out)
{
	json_t *options = NULL;
	long min_picks = 1, max_picks = 0;
	if (json_object_get(q, "options") == NULL) {
		hg_err_add(errs, "options", "is required: 2 to 50 distinct options");
		return;
	}
	if (!hg_check_string_array(q, "options", QUESTION_OPTIONS_MAX, QUESTION_OPTION_MAX, NULL, errs, &options))
		return;
	long n = (long)json_array_size(options);
	if (n < 2) {
		hg_err_add(errs, "options", "must hold 2 to 50 distinct options");
		return;
	}
	json_object_set(out, "options", options);
	if (!multiple)
		return;
	max_picks = n;
	int ok = hg_check_int(q, "min_picks", 0, 0, n, errs, &min_picks);
	ok &= hg_check_int(q, "max_picks", 0, 1, n, errs, &max_picks);
	if (ok && min_picks > max_picks) {
		hg_err_add(errs, "max_picks", "must be at least min_picks");
		return;
	}
	json_object_set_new(out, "min_picks", json_integer(min_picks));
	json_object_set_new(out, "max_picks", json_integer(max_picks));
}

static void check_number(json_t *q, json_t *errs, json_t *out)
{
	double lo = 0, hi = 0;
	int ok = 1;
	const char *names[2] = {"min", "max"};
	double *vals[2] = {&lo, &hi};
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(q, names[i]);
		if (v == NULL) {
			hg_err_add(errs, names[i], "is required for a number question");
			ok = 0;
		} else if (!number_of(v, vals[i])) {
			hg_err_add(errs, names[i], "must be a number from -1e9 to 1e9");
			ok = 0;
		}
	}
	if (ok && lo > hi) {
		hg_err_add(errs, "max", "must be at least min");
		return;
	}
	if (ok) {
		json_object_set(out, "min", json_object_get(q, "min"));
		json_object_set(out, "max", json_object_get(q, "max"));
	}
}

/* One question: its problems into errs (fields relative to the question), its normalised form or NULL. */
static json_t *check_question(json_t *q, json_t *errs)
{
	static const char *const scale_unused[] = {"options", "min_picks",  "max_picks", "min",
						   "max",     "max_length", NULL};
	static const char *const choice_unused[] = {"labels", "min_picks",  "max_picks", "min",
						    "max",    "max_length", NULL};
	static const char *const multi_unused[] = {"labels", "min", "max", "max_length", NULL};
	static const char *const rating_unused[] = {"labels", "options", "min_picks",  "max_picks",
						    "min",    "max",     "max_length", NULL};
	static const char *const number_unused[] = {"labels", "options", "min_picks", "max_picks", "max_length", NULL};
	static const char *const text_unused[] = {"labels", "options", "min_picks", "max_picks", "min", "max", NULL};
	const char *id = NULL, *type = NULL, *prompt = NULL, *topic = NULL;
	size_t before = json_array_size(errs);
	json_t *out = json_object();

	if (!json_is_object(q)) {
		hg_err_add(errs, "", "must be an object");
		json_decref(out);
		return NULL;
	}
	hg_check_known_fields(q, question_fields, errs);
	if (hg_check_string(q, "id", 1, 0, 1, QUESTION_ID_MAX, errs, &id) && id != NULL && !is_slug(id))
		hg_err_add(errs, "id", "must be 1 to 40 of a-z, 0-9, _ and -");
	hg_check_enum(q, "type", 1, question_types, errs, &type);
	hg_check_string(q, "prompt", 1, 0, 1, QUESTION_PROMPT_MAX, errs, &prompt);
	hg_check_string(q, "topic", 0, 1, 1, QUESTION_TOPIC_MAX, errs, &topic);
	json_t *required = json_object_get(q, "required");
	if (required != NULL && !json_is_boolean(required))
		hg_err_add(errs, "required", "must be true or false");
	if (type != NULL) {
		if (strcmp(type, "scale") == 0 || strcmp(type, "retrospective") == 0) {
			reject_members(q, scale_unused, type, errs);
			check_labels(q, errs, out);
		} else if (strcmp(type, "single_choice") == 0) {
			reject_members(q, choice_unused, type, errs);
			check_choice(q, 0, errs, out);
		} else if (strcmp(type, "multiple_choice") == 0) {
			reject_members(q, multi_unused, type, errs);
			check_choice(q, 1, errs, out);
		} else if (strcmp(type, "rating") == 0) {
			reject_members(q, rating_unused, type, errs);
		} else if (strcmp(type, "number") == 0) {
			reject_members(q, number_unused, type, errs);
			check_number(q, errs, out);
		} else {
			long max_length = QUESTION_TEXT_DEFAULT;
			reject_members(q, text_unused, type, errs);
			hg_check_int(q, "max_length", 0, 1, QUESTION_TEXT_MAX, errs, &max_length);
			json_object_set_new(out, "max_length", json_integer(max_length));
		}
	}
	if (json_array_size(errs) > before) {
		json_decref(out);
		return NULL;
	}
	json_object_set_new(out, "id", json_string(id));
	json_object_set_new(out, "type", json_string(type));
	json_object_set_new(out, "prompt", hg_trimmed(prompt));
	json_object_set_new(out, "required", json_boolean(required == NULL || json_is_true(required)));
	json_object_set_new(out, "topic", topic != NULL ? hg_trimmed(topic) : json_null());
	return out;
}

json_t *question_validate_list(json_t *body, const char *field, json_t *errs, int *present)
{
	json_t *list = json_object_get(body, field);
	size_t before = json_array_size(errs);
	*present = list != NULL;
	if (list == NULL)
		return NULL;
	if (!json_is_array(list) || json_array_size(list) > QUESTIONS_MAX) {
		hg_err_add(errs, field, "must be an array of at most 100 questions");
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_t *q;
	json_array_foreach(list, i, q) {
		char prefix[64];
		json_t *inner = json_array();
		json_t *norm = check_question(q, inner);
		snprintf(prefix, sizeof(prefix), "%s[%zu]", field, i);
		if (norm != NULL) {
			/* Ids are unique within the survey: answers are keyed by them. */
			const char *id = json_string_value(json_object_get(norm, "id"));
			size_t j;
			json_t *prev;
			json_array_foreach(out, j, prev) {
				if (strcmp(json_string_value(json_object_get(prev, "id")), id) == 0) {
					hg_err_add(inner, "id", "is already the id of an earlier question");
					break;
				}
			}
		}
		add_prefixed(errs, prefix, inner);
		json_decref(inner);
		if (norm != NULL)
			json_array_append_new(out, norm);
	}
	if (json_array_size(errs) > before) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* ---- answers ---- */

static int scale_point(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 5;
}

static int in_options(json_t *options, const char *s)
{
	size_t i;
	json_t *o;
	json_array_foreach(options, i, o) {
		if (strcmp(json_string_value(o), s) == 0)
			return 1;
	}
	return 0;
}

/* One answer v to q: NULL (fine; *norm set) or why not. */
static const char *check_answer(json_t *q, json_t *v, json_t **norm, char *why, size_t whylen)
{
	const char *type = json_string_value(json_object_get(q, "type"));
	*norm = NULL;
	if (strcmp(type, "scale") == 0) {
		if (!scale_point(v))
			return "must be an integer from 1 to 5";
	} else if (strcmp(type, "retrospective") == 0) {
		if (!json_is_object(v) || json_object_size(v) != 2 || !scale_point(json_object_get(v, "before")) ||
		    !scale_point(json_object_get(v, "now")))
			return "must be {\"before\": 1-5, \"now\": 1-5}";
	} else if (strcmp(type, "rating") == 0) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 10)
			return "must be an integer from 0 to 10";
	} else if (strcmp(type, "single_choice") == 0) {
		if (!json_is_string(v) || !in_options(json_object_get(q, "options"), json_string_value(v)))
			return "must be one of the question's options";
	} else if (strcmp(type, "multiple_choice") == 0) {
		json_t *options = json_object_get(q, "options");
		long lo = (long)json_integer_value(json_object_get(q, "min_picks"));
		long hi = (long)json_integer_value(json_object_get(q, "max_picks"));
		if (!json_is_array(v))
			return "must be an array of the question's options";
		size_t i, j;
		json_t *o, *p;
		json_array_foreach(v, i, o) {
			if (!json_is_string(o) || !in_options(options, json_string_value(o)))
				return "must hold only the question's options";
			for (j = 0; j < i && (p = json_array_get(v, j)) != NULL; j++)
				if (strcmp(json_string_value(p), json_string_value(o)) == 0)
					return "must not repeat an option";
		}
		long n = (long)json_array_size(v);
		if (n < lo || n > hi) {
			snprintf(why, whylen, "must pick %ld to %ld options", lo, hi);
			return why;
		}
	} else if (strcmp(type, "number") == 0) {
		double x, lo = json_number_value(json_object_get(q, "min")),
			  hi = json_number_value(json_object_get(q, "max"));
		if (!number_of(v, &x) || x < lo || x > hi) {
			snprintf(why, whylen, "must be a number from %g to %g", lo, hi);
			return why;
		}
	} else {
		long max = (long)json_integer_value(json_object_get(q, "max_length"));
		if (!json_is_string(v))
			return "must be a string";
		json_t *t = hg_trimmed(json_string_value(v));
		size_t n = hg_utf8_len(json_string_value(t));
		if (n == 0 || (long)n > max) {
			json_decref(t);
			snprintf(why, whylen, "must be 1 to %ld characters", max);
			return why;
		}
		*norm = t;
		return NULL;
	}
	*norm = json_incref(v);
	return NULL;
}

json_t *question_validate_answers(json_t *questions, json_t *answers, json_t *errs)
{
	size_t before = json_array_size(errs);
	if (!json_is_object(answers)) {
		hg_err_add(errs, "answers", "is required: an object of answers keyed by question id");
		return NULL;
	}
	json_t *out = json_object();
	size_t i;
	json_t *q;
	json_array_foreach(questions, i, q) {
		const char *id = json_string_value(json_object_get(q, "id"));
		char field[64];
		json_t *v = json_object_get(answers, id);
		snprintf(field, sizeof(field), "answers.%s", id);
		if (v == NULL || json_is_null(v)) {
			if (json_is_true(json_object_get(q, "required")))
				hg_err_add(errs, field, "is required");
			continue;
		}
		json_t *norm = NULL;
		char buf[160];
		const char *why = check_answer(q, v, &norm, buf, sizeof(buf));
		if (why != NULL)
			hg_err_add(errs, field, why);
		else
			json_object_set_new(out, id, norm);
	}
	const char *key;
	json_t *v;
	json_object_foreach(answers, key, v) {
		int known = 0;
		json_array_foreach(questions, i, q) {
			if (strcmp(json_string_value(json_object_get(q, "id")), key) == 0) {
				known = 1;
				break;
			}
		}
		if (!known) {
			char field[QUESTION_ID_MAX + 80];
			snprintf(field, sizeof(field), "answers.%.*s", QUESTION_ID_MAX + 8, key);
			hg_err_add(errs, field, "is not a question of this survey");
		}
	}
	if (json_array_size(errs) > before) {
		json_decref(out);
		return NULL;
	}
	return out;
}
