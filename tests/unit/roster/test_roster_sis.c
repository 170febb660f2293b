/* Unit tests: sealing the SIS client secret (services/roster/secret.c) and what a SIS connection PUT accepts
 * (services/roster/sis_connection.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/roster/secret.h"
#include "services/roster/sis_client.h"
#include "services/roster/sis_connection.h"
#include "services/roster/sync.h"
#include "tests/unit/support.h"

static const char *const KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char *const DISTRICT = "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30";

static void test_key_parse(void **state)
{
	(void)state;
	unsigned char key[SECRET_KEY_BYTES];
	assert_int_equal(secret_key_parse(KEY_HEX, key), 0);
	assert_int_equal(key[0], 0x00);
	assert_int_equal(key[31], 0x1f);
	assert_int_equal(secret_key_parse("", key), -1);
	assert_int_equal(secret_key_parse(NULL, key), -1);
	assert_int_equal(secret_key_parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e", key), -1);
	assert_int_equal(secret_key_parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g", key), -1);
	assert_int_equal(secret_key_parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00", key),
			 -1);
}

static void test_seal_and_open(void **state)
{
	(void)state;
	unsigned char key[SECRET_KEY_BYTES], other[SECRET_KEY_BYTES];
	assert_int_equal(secret_key_parse(KEY_HEX, key), 0);
	memcpy(other, key, sizeof(key));
	other[5] ^= 1;
	const char *lengths[] = {"x", "ab", "abc", "a much longer client secret with spaces and ünïcode", NULL};
	for (size_t i = 0; lengths[i] != NULL; i++) {
		char *sealed = secret_seal(key, DISTRICT, lengths[i]);
		assert_non_null(sealed);
		assert_true(strncmp(sealed, "v1:", 3) == 0);
		if (strlen(lengths[i]) > 8) /* a short one may occur in base64 by chance */
			assert_null(strstr(sealed, lengths[i]));
		char *plain = secret_open(key, DISTRICT, sealed);
		assert_non_null(plain);
		assert_string_equal(plain, lengths[i]);
		free(plain);
		/* another key, another owner: nothing */
		assert_null(secret_open(other, DISTRICT, sealed));
		assert_null(secret_open(key, "1b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", sealed));
		/* every altered character fails the tag (or the base64): its top bit flipped, as the low bits of
		 * the last character before padding carry nothing */
		static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		for (size_t j = 3; sealed[j] != '\0' && sealed[j] != '='; j++) {
			char *bad = strdup(sealed);
			bad[j] = b64[(strchr(b64, bad[j]) - b64) ^ 32];
			char *p = secret_open(key, DISTRICT, bad);
			assert_null(p);
			free(bad);
		}
		free(sealed);
	}
	/* two seals of one secret differ (a fresh nonce each) */
	char *a = secret_seal(key, DISTRICT, "same"), *b = secret_seal(key, DISTRICT, "same");
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	/* malformed */
	assert_null(secret_open(key, DISTRICT, "v1:"));
	assert_null(secret_open(key, DISTRICT, "v2:AAAA"));
	assert_null(secret_open(key, DISTRICT, "v1:AAAA"));
	assert_null(secret_open(key, DISTRICT, "v1:!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"));
	assert_null(secret_open(key, DISTRICT, NULL));
	/* bounded */
	char big[SECRET_MAX_PLAIN + 2];
	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_null(secret_seal(key, DISTRICT, big));
}

static json_t *validate(const char *text, json_t *errs)
{
	json_t *body = parse_json(text);
	json_t *out = sis_connection_validate(body, NULL, errs);
	json_decref(body);
	return out;
}

static void test_connection_validation(void **state)
{
	(void)state;
	json_t *errs = json_array();
	json_t *ok = validate("{\"base_url\":\"https://sis.example.org/ims/oneroster/rostering/v1p2\","
			      "\"token_url\":\"https://sis.example.org/token\",\"client_id\":\"c\","
			      "\"client_secret\":\"s\"}",
			      errs);
	assert_non_null(ok);
	assert_int_equal(json_array_size(errs), 0);
	assert_true(json_is_true(json_object_get(ok, "use_deltas")));
	assert_true(json_is_null(json_object_get(ok, "schedule")));
	json_decref(ok);

	assert_null(
		validate("{\"base_url\":\"http://sis.example.org\",\"token_url\":\"ftp://x\",\"client_id\":\"\","
			 "\"client_secret\":\"\",\"scope\":1,\"schedule\":{\"time\":\"7:00\",\"time_zone\":\"/etc\"},"
			 "\"use_deltas\":0,\"nope\":1}",
			 errs));
	const char *named[] = {"base_url",      "token_url",          "client_id",  "client_secret", "scope",
			       "schedule.time", "schedule.time_zone", "use_deltas", "nope",          NULL};
	for (size_t i = 0; named[i] != NULL; i++)
		if (!names(errs, named[i]))
			fail_msg("%s not named", named[i]);
	json_decref(errs);

	errs = json_array();
	assert_null(validate("{\"base_url\":\"https://a.b\",\"token_url\":\"https://a.b\",\"client_id\":\"c\","
			     "\"client_secret\":\"s\",\"schedule\":[]}",
			     errs));
	assert_true(names(errs, "schedule"));
	json_decref(errs);

	/* a client secret is printable ASCII (RFC 6749's VSCHAR): no other character, no control character */
	const char *secrets[] = {"s\u00e9cret", "tab\\there", NULL};
	for (size_t i = 0; secrets[i] != NULL; i++) {
		char text[256];
		snprintf(text, sizeof(text),
			 "{\"base_url\":\"https://a.b\",\"token_url\":\"https://a.b\",\"client_id\":\"c\","
			 "\"client_secret\":\"%s\"}",
			 secrets[i]);
		errs = json_array();
		assert_null(validate(text, errs));
		assert_true(names(errs, "client_secret"));
		json_decref(errs);
	}

	assert_true(sis_time_valid("00:00"));
	assert_true(sis_time_valid("23:59"));
	assert_false(sis_time_valid("24:00"));
	assert_false(sis_time_valid("12:60"));
	assert_false(sis_time_valid("1:00"));
	assert_false(sis_time_valid("12-00"));
	assert_false(sis_time_valid(NULL));
}

static void test_sync_urls_and_links(void **state)
{
	(void)state;
	char *u = sync_page_url("https://sis.example.org/ims/oneroster/rostering/v1p2/", SYNC_ORGS, 100, 200, NULL);
	assert_string_equal(u, "https://sis.example.org/ims/oneroster/rostering/v1p2/orgs?limit=100&offset=200&fields="
			       "sourcedId%2Cstatus%2CdateLastModified%2Cname%2Ctype%2Cidentifier%2Cparent");
	free(u);
	u = sync_page_url("https://s.example/v1p2", SYNC_USERS, 5, 0, "2026-12-01T02:30:00.000000Z");
	assert_non_null(strstr(u, "&filter=dateLastModified%3E%272026-12-01T02%3A30%3A00.000000Z%27"));
	assert_null(strstr(u, "password"));
	free(u);

	assert_true(sync_same_origin("https://sis.example.org/v1p2", "https://sis.example.org/v1p2/users?offset=5"));
	assert_true(sync_same_origin("https://SIS.example.org:443/a", "https://sis.example.org:443/b"));
	assert_false(sync_same_origin("https://sis.example.org/v1p2", "https://sis.example.org.evil.example/v1p2"));
	assert_false(sync_same_origin("https://sis.example.org/v1p2", "http://sis.example.org/v1p2"));
	assert_false(sync_same_origin("https://sis.example.org:8443/v1p2", "https://sis.example.org/v1p2"));

	char *next = sis_link_next("<https://a.example/u?offset=10>; rel=\"next\", <https://a.example/u?offset=90>; "
				   "rel=\"last\"");
	assert_string_equal(next, "https://a.example/u?offset=10");
	free(next);
	next = sis_link_next("<https://a.example/u?offset=0>; rel=\"first\", <https://a.example/u?offset=9>; rel=next");
	assert_string_equal(next, "https://a.example/u?offset=9");
	free(next);
	assert_null(sis_link_next("<https://a.example/u?offset=90>; rel=\"last\""));
	assert_null(sis_link_next("garbage"));
	assert_null(sis_link_next(""));
}

static void test_sync_records(void **state)
{
	(void)state;
	struct sync_data d;
	char detail[256];
	size_t n;
	sync_data_init(&d);
	json_t *page = parse_json(
		"{\"users\": [{\"sourcedId\": \"u1\", \"status\": \"active\", \"enabledUser\": true,"
		"\"username\": \"x\", \"givenName\": \"A\", \"familyName\": \"B\", \"grades\": [\"09\", \"10\"],"
		"\"userIds\": [{\"type\": \"LDAP\", \"identifier\": \"a1\"}], \"primaryOrg\": {\"sourcedId\": \"o1\"},"
		"\"password\": \"never\", \"roles\": [{\"roleType\": \"primary\", \"role\": \"teacher\","
		"\"org\": {\"sourcedId\": \"o1\"}}, {\"roleType\": \"secondary\", \"role\": \"aide\","
		"\"org\": {\"sourcedId\": \"o2\"}}]}]}");
	assert_int_equal(sync_add_page(&d, SYNC_USERS, page, &n, detail, sizeof(detail)), 0);
	assert_int_equal(n, 1);
	struct sync_rows *u = &d.files[OR_USERS], *r = &d.files[OR_ROLES];
	assert_int_equal(u->nrows, 1);
	assert_string_equal(u->cells[USER_ENABLED], "true");
	assert_string_equal(u->cells[USER_GRADES], "09,10");
	assert_string_equal(u->cells[USER_USER_IDS], "{LDAP:a1}");
	assert_string_equal(u->cells[USER_PRIMARY_ORG], "o1");
	assert_null(u->cells[USER_PASSWORD]);
	assert_null(u->cells[USER_MIDDLE]);
	assert_int_equal(r->nrows, 2);
	assert_string_equal(r->cells[ROLE_SOURCED_ID], "u1:o1:teacher");
	assert_string_equal(r->cells[r->ncols + ROLE_ORG], "o2");
	assert_string_equal(r->cells[r->ncols + ROLE_TYPE], "secondary");
	json_decref(page);

	page = parse_json("{\"orgs\": [{\"sourcedId\": \"o1\", \"name\": \"N\", \"type\": \"school\","
			  "\"parent\": {\"href\": \"h\", \"sourcedId\": \"d1\", \"type\": \"org\"}}]}");
	assert_int_equal(sync_add_page(&d, SYNC_ORGS, page, &n, detail, sizeof(detail)), 0);
	assert_string_equal(d.files[OR_ORGS].cells[ORG_PARENT], "d1");
	json_decref(page);
	page = parse_json("{\"academicSessions\": [{\"sourcedId\": \"s\", \"schoolYear\": 2027}]}");
	assert_int_equal(sync_add_page(&d, SYNC_SESSIONS, page, &n, detail, sizeof(detail)), 0);
	assert_string_equal(d.files[OR_SESSIONS].cells[SES_YEAR], "2027");
	json_decref(page);

	/* malformed pages: nothing added */
	const char *bad[] = {"{}", "{\"orgs\": {}}", "{\"orgs\": [1]}", "{\"orgs\": [{\"sourcedId\": \"z\"}, []]}",
			     NULL};
	for (size_t i = 0; bad[i] != NULL; i++) {
		page = parse_json(bad[i]);
		assert_int_equal(sync_add_page(&d, SYNC_ORGS, page, &n, detail, sizeof(detail)), -1);
		assert_non_null(strstr(detail, "orgs"));
		json_decref(page);
	}
	assert_int_equal(d.files[OR_ORGS].nrows, 1);
	/* many rows grow the table */
	json_t *many = json_object(), *arr = json_array();
	for (int i = 0; i < 1000; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "sourcedId", "x", "name", "y"));
	json_object_set_new(many, "orgs", arr);
	assert_int_equal(sync_add_page(&d, SYNC_ORGS, many, &n, detail, sizeof(detail)), 0);
	assert_int_equal(d.files[OR_ORGS].nrows, 1001);
	json_decref(many);
	sync_data_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_parse),
		cmocka_unit_test(test_seal_and_open),
		cmocka_unit_test(test_connection_validation),
		cmocka_unit_test(test_sync_urls_and_links),
		cmocka_unit_test(test_sync_records),
	};
	return cmocka_run_group_tests_name("roster SIS connection", tests, NULL, NULL);
}
