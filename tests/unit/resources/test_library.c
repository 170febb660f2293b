/* Unit tests: library resource validation (services/resources/library.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/roles.h"
#include "services/resources/library/resource.h"
#include "tests/unit/support.h"

static void test_valid_create_is_normalised(void **state)
{
	(void)state;
	json_t *body = json_loads("{\"title\":\"  Fractions  \",\"type\":\"video\",\"grade_bands\":[\"3-5\"],"
				  "\"url\":\"https://example.org/v\",\"license\":null}",
				  0, NULL);
	json_t *errs = json_array();
	json_t *out = resource_validate_create(body, NULL, errs);
	assert_non_null(out);
	assert_int_equal(json_array_size(errs), 0);
	assert_string_equal(json_string_value(json_object_get(out, "title")), "Fractions");
	assert_true(json_is_null(json_object_get(out, "license")));
	json_decref(out);
	json_decref(errs);
	json_decref(body);
}

static void test_every_bad_field_is_named(void **state)
{
	(void)state;
	json_t *body = json_loads("{\"description\":5,\"url\":\"ftp://x\",\"subjects\":[\"a\",\"a\"],"
				  "\"grade_bands\":[\"13\"],\"topics\":[1],\"license\":\"\",\"colour\":\"red\"}",
				  0, NULL);
	json_t *errs = json_array();
	assert_null(resource_validate_create(body, NULL, errs));
	const char *expected[] = {"title",       "type",   "description", "url",   "subjects",
				  "grade_bands", "topics", "license",     "colour"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!names(errs, expected[i]))
			fail_msg("no error for %s", expected[i]);
	assert_int_equal(json_array_size(errs), 9);
	json_decref(errs);
	json_decref(body);
}

static void test_limits(void **state)
{
	(void)state;
	char title[202];
	memset(title, 'x', 201);
	title[201] = '\0';
	json_t *body = json_pack("{s:s, s:s}", "title", title, "type", "video");
	json_t *errs = json_array();
	assert_null(resource_validate_create(body, NULL, errs));
	assert_true(names(errs, "title"));
	json_decref(body);
	json_decref(errs);

	/* 200 multi-byte characters are fine: limits count characters, not bytes. */
	char wide[401];
	for (int i = 0; i < 200; i++)
		memcpy(wide + 2 * i, "\xc3\xa9", 2);
	wide[400] = '\0';
	body = json_pack("{s:s, s:s}", "title", wide, "type", "video");
	errs = json_array();
	json_t *out = resource_validate_create(body, NULL, errs);
	assert_non_null(out);
	json_decref(out);
	json_decref(body);
	json_decref(errs);

	body = json_pack("{s:s, s:s}", "title", "   ", "type", "video");
	errs = json_array();
	assert_null(resource_validate_create(body, NULL, errs));
	assert_true(names(errs, "title"));
	json_decref(body);
	json_decref(errs);
}

static void test_patch(void **state)
{
	(void)state;
	json_t *errs = json_array();
	json_t *empty = json_object();
	assert_null(resource_validate_patch(empty, NULL, errs));
	assert_int_equal(json_array_size(errs), 1);
	json_decref(empty);
	json_decref(errs);

	errs = json_array();
	json_t *body = json_loads("{\"url\":null,\"topics\":[\"assessment\"]}", 0, NULL);
	json_t *out = resource_validate_patch(body, NULL, errs);
	assert_non_null(out);
	assert_true(json_is_null(json_object_get(out, "url")));
	assert_null(json_object_get(out, "title"));
	json_decref(out);
	json_decref(body);
	json_decref(errs);

	errs = json_array();
	body = json_loads("{\"title\":null}", 0, NULL);
	assert_null(resource_validate_patch(body, NULL, errs));
	assert_true(names(errs, "title"));
	json_decref(body);
	json_decref(errs);
}

static void test_may_change(void **state)
{
	(void)state;
	struct hg_principal t = {"0b7e2f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b", "6f1c0c59-2a57-4b7e-9a53-0f5b3c1d2e4f",
				 HG_ROLE(TEACHER)};
	assert_true(resource_may_change(&t, "0b7e2f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b"));
	assert_false(resource_may_change(&t, "11111111-9c3d-4e5f-8a6b-7c8d9e0f1a2b"));
	t.roles = HG_ROLE(DISTRICT_ADMIN);
	assert_true(resource_may_change(&t, "11111111-9c3d-4e5f-8a6b-7c8d9e0f1a2b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_create_is_normalised),
		cmocka_unit_test(test_every_bad_field_is_named),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_patch),
		cmocka_unit_test(test_may_change),
	};
	return cmocka_run_group_tests_name("library", tests, NULL, NULL);
}
