/*
 * fuzz_surveys_answers - a survey's questions and a response to them, both from the input
 * (services/surveys/question.c): the input is a questions array (JSON), a NUL byte, then a response body.
 * Properties: no memory error or undefined behaviour; the questions are refused with problems named
 * "questions" or "questions[i]...", or accepted (normalised) and then accepted again unchanged (what the store
 * keeps is what a later check reads); answers to accepted questions are accepted or refused, never both or
 * neither, each problem named "answers" or "answers.<id>", and accepted answers name only the survey's
 * questions.
 */
#include "services/surveys/question.h"
#include "services/surveys/response.h"
#include "tests/fuzz/fuzz.h"

static int has_question(json_t *list, const char *id)
{
	size_t i;
	json_t *q;
	json_array_foreach(list, i, q) {
		if (strcmp(json_string_value(json_object_get(q, "id")), id) == 0)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t qlen = nul != NULL ? (size_t)(nul - data) : size, i;
	json_t *list = json_loadb((const char *)data, qlen, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	json_t *body = json_object(), *errs = json_array(), *norm, *again, *e;
	const char *key;
	int present = 0;

	if (list == NULL) {
		json_decref(body);
		json_decref(errs);
		return 0;
	}
	json_object_set_new(body, "questions", list);
	norm = question_validate_list(body, "questions", errs, &present);
	FUZZ_CHECK(present && (norm == NULL) != (json_array_size(errs) == 0));
	json_array_foreach(errs, i, e) {
		const char *field = json_string_value(json_object_get(e, "field"));
		FUZZ_CHECK(field != NULL && strncmp(field, "questions", 9) == 0 &&
			   (field[9] == '\0' || field[9] == '['));
		FUZZ_CHECK(json_is_string(json_object_get(e, "reason")));
	}
	if (norm != NULL) {
		json_object_set(body, "questions", norm);
		again = question_validate_list(body, "questions", errs, &present);
		FUZZ_CHECK(again != NULL && json_array_size(errs) == 0 && json_equal(again, norm));
		json_decref(again);
	}
	json_decref(body);
	json_array_clear(errs);
	if (norm == NULL || nul == NULL)
		goto out;
	body = json_loadb((const char *)nul + 1, size - qlen - 1, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	if (json_is_object(body)) {
		json_t *answers = response_answers_of(body, errs), *out = NULL;
		if (json_array_size(errs) == 0) {
			out = question_validate_answers(norm, answers, errs);
			FUZZ_CHECK((out == NULL) != (json_array_size(errs) == 0));
			json_array_foreach(errs, i, e) {
				const char *field = json_string_value(json_object_get(e, "field"));
				FUZZ_CHECK(field != NULL &&
					   (strcmp(field, "answers") == 0 || strncmp(field, "answers.", 8) == 0));
				FUZZ_CHECK(json_is_string(json_object_get(e, "reason")));
			}
			json_object_foreach(out, key, e)
				FUZZ_CHECK(has_question(norm, key));
			if (out != NULL) {
				char *text = json_dumps(out, JSON_COMPACT);
				FUZZ_CHECK(text != NULL);
				free(text);
			}
		}
		json_decref(out);
	}
	json_decref(body);
out:
	json_decref(norm);
	json_decref(errs);
	return 0;
}
