/*
 * fuzz_surveys_validate - every request body validator of hg-surveys (tests/fuzz/validators.h): a survey's
 * create and change bodies (with their questions, services/surveys/question.c), a template copy's body (its
 * overrides, the audience's session_id among them) and a response body's answers,
 * checked against a survey holding one question of every type (response.c, then question.c's answer checks).
 * Properties, beyond validators.h's: accepted answers name only the survey's questions; every problem of a
 * response body is named "answers" or "answers.<question id>".
 */
#include "services/surveys/question.h"
#include "services/surveys/response.h"
#include "services/surveys/survey.h"
#include "tests/fuzz/validators.h"

/* One question of every type, as a survey's questions are stored (normalised by question_validate_list). */
static const char survey_questions[] =
	"{\"questions\":["
	"{\"id\":\"s\",\"type\":\"scale\",\"prompt\":\"Confident?\",\"labels\":[\"1\",\"2\",\"3\",\"4\",\"5\"]},"
	"{\"id\":\"r\",\"type\":\"retrospective\",\"prompt\":\"Before and now\","
	"\"labels\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"required\":false},"
	"{\"id\":\"one\",\"type\":\"single_choice\",\"prompt\":\"Pick\",\"options\":[\"x\",\"y\"],\"required\":false},"
	"{\"id\":\"many\",\"type\":\"multiple_choice\",\"prompt\":\"Pick\",\"options\":[\"x\",\"y\",\"z\"],"
	"\"min_picks\":1,\"max_picks\":2,\"required\":false},"
	"{\"id\":\"rate\",\"type\":\"rating\",\"prompt\":\"0-10\",\"required\":false},"
	"{\"id\":\"n\",\"type\":\"number\",\"prompt\":\"Hours\",\"min\":-2.5,\"max\":100,\"required\":false},"
	"{\"id\":\"t\",\"type\":\"text\",\"prompt\":\"Why?\",\"max_length\":20,\"required\":false,\"topic\":\"why\"}]}";

static json_t *questions(void)
{
	static json_t *list;
	if (list == NULL) {
		json_t *body = json_loads(survey_questions, 0, NULL), *errs = json_array();
		int present = 0;
		list = question_validate_list(body, "questions", errs, &present);
		FUZZ_CHECK(list != NULL && json_array_size(errs) == 0 && json_array_size(list) == 7);
		json_decref(errs);
		json_decref(body);
	}
	return list;
}

/* A response body as POST /v1/surveys/{id}/responses checks it (response_handlers.c, response_store.c). */
static json_t *validate_response(json_t *body, const struct hg_input *in, json_t *errs)
{
	size_t before = json_array_size(errs), i;
	json_t *answers, *out, *e;
	const char *key;

	(void)in;
	answers = response_answers_of(body, errs);
	if (json_array_size(errs) > before)
		out = NULL;
	else
		out = question_validate_answers(questions(), answers, errs);
	json_array_foreach(errs, i, e) {
		const char *field = json_string_value(json_object_get(e, "field"));
		FUZZ_CHECK(field != NULL && (strcmp(field, "answers") == 0 || strncmp(field, "answers.", 8) == 0 ||
					     i < before || json_object_get(body, field) != NULL));
	}
	json_object_foreach(out, key, e) {
		int known = 0;
		json_t *q;
		json_array_foreach(questions(), i, q)
			known |= strcmp(json_string_value(json_object_get(q, "id")), key) == 0;
		FUZZ_CHECK(known);
	}
	return out;
}

static const hg_validate_fn validators[] = {survey_validate_create, survey_validate_patch, validate_response,
					    survey_validate_copy};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_validators(data, size, validators, sizeof(validators) / sizeof(validators[0]));
}
