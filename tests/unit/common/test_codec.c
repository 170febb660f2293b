/* Unit tests: cursor codec, base64url, problem+json, status table, ETag matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/base64url.h"
#include "common/cursor.h"
#include "common/etag.h"
#include "common/problem.h"
#include "common/status.h"

static void test_cursor_round_trip(void **state)
{
	(void)state;
	const int64_t keys[] = {0, 1, 1795000000123456LL, INT64_MAX, -5};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct hg_cursor in = {keys[i], "0b7e2f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b"}, out;
		char *text = hg_cursor_encode(&in);
		assert_int_equal(hg_cursor_decode(text, &out), HG_OK);
		assert_true(out.key == in.key);
		assert_string_equal(out.id, in.id);
		/* URL-safe: nothing to escape in a query string. */
		assert_int_equal(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
				 strlen(text));
		free(text);
	}
}

static void test_cursor_rejects_garbage(void **state)
{
	(void)state;
	struct hg_cursor out;
	const char *bad[] = {"",
			     "x",
			     "!!!!",
			     "AAAA",
			     "not a cursor",
			     "AQAAAAAAAAAB",
			     "AgAAAAAAAAABC34vGpw9Tl-KbHyNng8aKw",   /* version 2 */
			     "AQAAAAAAAAABC34vGpw9Tl-KbHyNng8aKwAA", /* too long */
			     "AQAAAAAAAAABC34vGpw9Tl-KbHyNng8aKw==xx"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hg_cursor_decode(bad[i], &out), HG_BAD_REQUEST);
	/* A flipped character either fails or decodes to another key: never a crash. */
	struct hg_cursor in = {42, "0b7e2f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b"};
	char *text = hg_cursor_encode(&in);
	text[3] = text[3] == 'A' ? 'B' : 'A';
	if (hg_cursor_decode(text, &out) == HG_OK)
		assert_true(out.key != 42);
	free(text);
}

static void test_base64url(void **state)
{
	(void)state;
	const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	const char *coded[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
	for (size_t i = 0; i < 7; i++) {
		char *e = hg_b64url_encode((const unsigned char *)plain[i], strlen(plain[i]));
		assert_string_equal(e, coded[i]);
		free(e);
		size_t n = 99;
		unsigned char *d = hg_b64url_decode(coded[i], strlen(coded[i]), &n);
		assert_non_null(d);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(d, plain[i], n);
		free(d);
	}
	size_t n;
	unsigned char *d = hg_b64url_decode("Zm9vYg==", 8, &n); /* padding tolerated */
	assert_non_null(d);
	assert_int_equal(n, 4);
	free(d);
	assert_null(hg_b64url_decode("Zm+v", 4, &n)); /* '+' is not base64url */
	assert_null(hg_b64url_decode("Z", 1, &n));
	assert_null(hg_b64url_decode("Zh", 2, &n)); /* non-zero trailing bits */
}

static void test_problem(void **state)
{
	(void)state;
	json_t *errs = json_pack("[{s:s, s:s}]", "field", "title", "reason", "is required");
	json_t *p = hg_problem_new(HG_INVALID, "1 field is invalid", "/v1/x", "req-1", errs);
	assert_string_equal(json_string_value(json_object_get(p, "type")),
			    "https://homegrown.example/problems/validation-failed");
	assert_string_equal(json_string_value(json_object_get(p, "title")), "Validation Failed");
	assert_int_equal(json_integer_value(json_object_get(p, "status")), 422);
	assert_string_equal(json_string_value(json_object_get(p, "detail")), "1 field is invalid");
	assert_string_equal(json_string_value(json_object_get(p, "instance")), "/v1/x");
	assert_string_equal(json_string_value(json_object_get(p, "request_id")), "req-1");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(json_object_get(p, "errors"), 0), "field")), "title");
	json_decref(p);

	p = hg_problem_new(HG_NOT_FOUND, NULL, NULL, NULL, NULL);
	assert_int_equal(json_integer_value(json_object_get(p, "status")), 404);
	assert_string_equal(json_string_value(json_object_get(p, "detail")), "Not Found");
	assert_null(json_object_get(p, "errors"));
	assert_null(json_object_get(p, "instance"));
	json_decref(p);
}

static void test_status_table(void **state)
{
	(void)state;
	assert_int_equal(hg_status_http(HG_OK), 200);
	assert_int_equal(hg_status_http(HG_CONFLICT), 409);
	assert_int_equal(hg_status_http(HG_PRECONDITION_FAILED), 412);
	assert_int_equal(hg_status_http(HG_PAYLOAD_TOO_LARGE), 413);
	assert_int_equal(hg_status_http(HG_UNSUPPORTED_MEDIA_TYPE), 415);
	assert_int_equal(hg_status_http(HG_RETRY), 503);
	assert_int_equal(hg_status_http((enum hg_status)999), 500);
	assert_string_equal(hg_status_slug(HG_MALFORMED_JSON), "malformed-json");
	assert_string_equal(hg_status_name(HG_NOT_FOUND), "HG_NOT_FOUND");
}

static void test_etag_match(void **state)
{
	(void)state;
	assert_true(hg_etag_match(NULL, 3));
	assert_true(hg_etag_match("*", 3));
	assert_true(hg_etag_match("\"3\"", 3));
	assert_true(hg_etag_match("\"1\", \"3\"", 3));
	assert_false(hg_etag_match("\"2\"", 3));
	assert_false(hg_etag_match("3", 3));
	assert_false(hg_etag_match("W/\"3\"", 3)); /* weak tags never match for changes */
	assert_false(hg_etag_match("\"33\"", 3));
	assert_false(hg_etag_match("", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_round_trip), cmocka_unit_test(test_cursor_rejects_garbage),
		cmocka_unit_test(test_base64url),         cmocka_unit_test(test_problem),
		cmocka_unit_test(test_status_table),      cmocka_unit_test(test_etag_match),
	};
	return cmocka_run_group_tests_name("codec", tests, NULL, NULL);
}
