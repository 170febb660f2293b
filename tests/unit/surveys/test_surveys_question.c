/* Unit tests: survey and question validation, answers against questions, the status machine and what freezes
 * (services/surveys/question.c, survey.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/record.h"
#include "common/roles.h"
#include "services/surveys/question.h"
#include "services/surveys/reasons.h"
#include "services/surveys/survey.h"
#include "tests/unit/support.h"

#define LABELS "[\"1\",\"2\",\"3\",\"4\",\"5\"]"
static const char *questions_text =
	"{\"questions\":["
	"{\"id\":\"s\",\"type\":\"scale\",\"prompt\":\"p\",\"labels\":" LABELS ",\"topic\":\" math \"},"
	"{\"id\":\"r\",\"type\":\"retrospective\",\"prompt\":\"p\",\"labels\":" LABELS "},"
	"{\"id\":\"c\",\"type\":\"single_choice\",\"prompt\":\"p\",\"options\":[\"a\",\"b\"]},"
	"{\"id\":\"m\",\"type\":\"multiple_choice\",\"prompt\":\"p\",\"options\":[\"a\",\"b\",\"c\"],\"max_picks\":2,"
	"\"required\":false},"
	"{\"id\":\"g\",\"type\":\"rating\",\"prompt\":\"p\"},"
	"{\"id\":\"n\",\"type\":\"number\",\"prompt\":\"p\",\"min\":-1.5,\"max\":10},"
	"{\"id\":\"t\",\"type\":\"text\",\"prompt\":\"p\",\"max_length\":5,\"required\":false}]}";

static json_t *valid_questions(void)
{
	json_t *body = parse_json(questions_text);
	json_t *errs = json_array();
	int present = 0;
	json_t *qs = question_validate_list(body, "questions", errs, &present);
	assert_true(present);
	assert_non_null(qs);
	assert_int_equal(json_array_size(errs), 0);
	json_decref(errs);
	json_decref(body);
	return qs;
}

static void test_questions_are_normalised(void **state)
{
	(void)state;
	json_t *qs = valid_questions();
	assert_int_equal(json_array_size(qs), 7);
	json_t *s = json_array_get(qs, 0), *m = json_array_get(qs, 3), *t = json_array_get(qs, 6);
	assert_string_equal(json_string_value(json_object_get(s, "topic")), "math");
	assert_true(json_is_true(json_object_get(s, "required")));
	assert_int_equal(json_integer_value(json_object_get(m, "min_picks")), 1);
	assert_int_equal(json_integer_value(json_object_get(m, "max_picks")), 2);
	assert_true(json_is_false(json_object_get(t, "required")));
	assert_true(json_is_null(json_object_get(json_array_get(qs, 4), "topic")));
	json_decref(qs);
}

static void test_bad_questions_are_named(void **state)
{
	(void)state;
	json_t *body =
		parse_json("{\"questions\":[{\"id\":\"A\",\"type\":\"scale\",\"prompt\":\"\"},"
			   "{\"id\":\"a\",\"type\":\"number\",\"prompt\":\"p\",\"min\":2,\"max\":1},"
			   "{\"id\":\"a\",\"type\":\"rating\",\"prompt\":\"p\",\"options\":[\"x\",\"y\"]},"
			   "{\"id\":\"b\",\"type\":\"multiple_choice\",\"prompt\":\"p\",\"options\":[\"x\",\"y\"],"
			   "\"min_picks\":2,\"max_picks\":1}, 7]}");
	json_t *errs = json_array();
	int present = 0;
	assert_null(question_validate_list(body, "questions", errs, &present));
	const char *expected[] = {"questions[0].id",  "questions[0].prompt",  "questions[0].labels",
				  "questions[1].max", "questions[2].options", "questions[3].max_picks",
				  "questions[4]"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!names(errs, expected[i]))
			fail_msg("no error for %s", expected[i]);
	/* the third question's id repeats the second's, but the second is invalid: only the options are named */
	assert_int_equal(json_array_size(errs), 7);
	json_decref(errs);
	json_decref(body);
}

static json_t *answers_errs(json_t *qs, const char *answers, json_t **errs)
{
	json_t *a = parse_json(answers);
	*errs = json_array();
	json_t *out = question_validate_answers(qs, a, *errs);
	json_decref(a);
	return out;
}

static void test_valid_answers(void **state)
{
	(void)state;
	json_t *qs = valid_questions(), *errs;
	json_t *out = answers_errs(qs,
				   "{\"s\":5,\"r\":{\"before\":1,\"now\":5},\"c\":\"b\",\"m\":[\"c\",\"a\"],\"g\":0,"
				   "\"n\":-1.5,\"t\":\"  hi \"}",
				   &errs);
	assert_non_null(out);
	assert_int_equal(json_array_size(errs), 0);
	assert_string_equal(json_string_value(json_object_get(out, "t")), "hi");
	json_decref(out);
	json_decref(errs);
	/* optional questions may be left out or null */
	out = answers_errs(qs, "{\"s\":1,\"r\":{\"before\":3,\"now\":3},\"c\":\"a\",\"g\":10,\"n\":10,\"m\":null}",
			   &errs);
	assert_non_null(out);
	assert_int_equal(json_object_size(out), 5);
	json_decref(out);
	json_decref(errs);
	json_decref(qs);
}

static void test_every_bad_answer_is_named(void **state)
{
	(void)state;
	json_t *qs = valid_questions(), *errs;
	assert_null(answers_errs(qs,
				 "{\"s\":6,\"r\":{\"before\":1},\"c\":\"z\",\"m\":[\"a\",\"a\"],\"g\":10.5,\"n\":11,"
				 "\"t\":\"toolong\",\"x\":1}",
				 &errs));
	const char *expected[] = {"answers.s", "answers.r", "answers.c", "answers.m",
				  "answers.g", "answers.n", "answers.t", "answers.x"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!names(errs, expected[i]))
			fail_msg("no error for %s", expected[i]);
	assert_int_equal(json_array_size(errs), 8);
	json_decref(errs);
	/* required ones missing; too many picks; an empty text; not an object */
	assert_null(answers_errs(qs, "{\"m\":[\"a\",\"b\",\"c\"],\"t\":\"   \"}", &errs));
	const char *missing[] = {"answers.s", "answers.r", "answers.c", "answers.g",
				 "answers.n", "answers.m", "answers.t"};
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		if (!names(errs, missing[i]))
			fail_msg("no error for %s", missing[i]);
	json_decref(errs);
	assert_null(answers_errs(qs, "[1]", &errs));
	assert_true(names(errs, "answers"));
	json_decref(errs);
	json_decref(qs);
}

static void test_status_machine(void **state)
{
	(void)state;
	assert_null(survey_transition("draft", "open"));
	assert_null(survey_transition("open", "closed"));
	assert_null(survey_transition("open", "open"));
	assert_ptr_equal(survey_transition("closed", "open"), SURVEYS_REFUSE(R_SURVEY_CLOSED));
	assert_ptr_equal(survey_transition("open", "draft"), SURVEYS_REFUSE(R_SURVEY_STATUS_MOVE));
	assert_ptr_equal(survey_transition("draft", "closed"), SURVEYS_REFUSE(R_SURVEY_STATUS_MOVE));
}

static const struct hg_reason *rule(const char *state, const char *changes)
{
	struct hg_principal who = {.roles = HG_ROLE(DISTRICT_ADMIN)};
	json_t *s = parse_json(state), *c = parse_json(changes);
	const struct hg_reason *why = survey_rule_change(&who, s, c);
	json_decref(s);
	json_decref(c);
	return why;
}

static void test_what_freezes(void **state)
{
	(void)state;
	const char *answered = "{\"status\":\"open\",\"responses\":1,\"questions\":2}";
	const char *unanswered = "{\"status\":\"open\",\"responses\":0,\"questions\":2}";
	const char *draft = "{\"status\":\"draft\",\"responses\":0,\"questions\":0}";
	assert_ptr_equal(rule(answered, "{\"questions\":[]}"), SURVEYS_REFUSE(R_QUESTIONS_FROZEN));
	assert_null(rule(unanswered, "{\"questions\":[]}"));
	assert_null(rule(answered, "{\"title\":\"x\"}"));
	assert_ptr_equal(rule(unanswered, "{\"mode\":\"anonymous\"}"), SURVEYS_REFUSE(R_SURVEY_FIXED_AFTER_OPEN));
	assert_ptr_equal(rule(unanswered, "{\"audience\":{}}"), SURVEYS_REFUSE(R_SURVEY_FIXED_AFTER_OPEN));
	assert_null(rule(draft, "{\"mode\":\"anonymous\",\"audience\":{}}"));
	assert_ptr_equal(rule(draft, "{\"status\":\"open\"}"), SURVEYS_REFUSE(R_SURVEY_NO_QUESTIONS));
	assert_null(rule(draft, "{\"status\":\"open\",\"questions\":[{}]}"));
	assert_ptr_equal(rule(draft, "{\"status\":\"draft\"}"), &hg_reason_unchanged);
	assert_ptr_equal(rule("{\"status\":\"closed\",\"responses\":3,\"questions\":2}", "{\"title\":\"x\"}"),
			 SURVEYS_REFUSE(R_SURVEY_CLOSED));
}

static void test_survey_validation(void **state)
{
	(void)state;
	json_t *body = parse_json("{\"title\":\"\",\"purpose\":\"x\",\"mode\":\"y\",\"audience\":{\"roles\":[],"
				  "\"career_stages\":[\"old\"],\"schools\":[\"nope\"]},\"opens_at\":\"soon\",\"z\":1}");
	json_t *errs = json_array();
	assert_null(survey_validate_create(body, NULL, errs));
	const char *expected[] = {
		"title",    "purpose", "mode", "audience.roles", "audience.career_stages", "audience.schools",
		"opens_at", "z"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!names(errs, expected[i]))
			fail_msg("no error for %s", expected[i]);
	assert_int_equal(json_array_size(errs), 8);
	json_decref(errs);
	json_decref(body);
	body = parse_json("{}");
	errs = json_array();
	assert_null(survey_validate_patch(body, NULL, errs));
	assert_true(names(errs, ""));
	json_decref(errs);
	json_decref(body);

	/* closes_at after opens_at, named, rather than the database's check refusing the row */
	body = parse_json("{\"title\":\"t\",\"purpose\":\"climate\",\"opens_at\":\"2030-01-08T15:30:00Z\","
			  "\"closes_at\":\"2030-01-08T10:30:00-05:00\"}");
	errs = json_array();
	assert_null(survey_validate_create(body, NULL, errs));
	assert_true(names(errs, "closes_at"));
	assert_int_equal(json_array_size(errs), 1);
	json_decref(errs);
	json_decref(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_questions_are_normalised),
		cmocka_unit_test(test_bad_questions_are_named),
		cmocka_unit_test(test_valid_answers),
		cmocka_unit_test(test_every_bad_answer_is_named),
		cmocka_unit_test(test_status_machine),
		cmocka_unit_test(test_what_freezes),
		cmocka_unit_test(test_survey_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
