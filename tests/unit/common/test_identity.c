/* Unit tests: the cache of resolved principals (common/identity.c): hits, expiry, bounds, forgetting, the
 * generation that keeps a lookup begun before a forget out of the cache; the subject's id without an educator;
 * the identifiers a roster event carries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/identity.h"
#include "common/roles.h"
#include "tests/unit/support.h"

#define D1 "33333333-3333-4333-8333-333333333333"
#define D2 "44444444-4444-4444-8444-444444444444"
#define ED "11111111-1111-4111-8111-111111111111"
#define ED2 "22222222-2222-4222-8222-222222222222"

static void test_hit_and_expiry(void **state)
{
	(void)state;
	struct hg_identity_cache *c = hg_identity_cache_new(64, 1000);
	char id[37];
	int active = -1;
	unsigned roles = 0;
	assert_int_equal(hg_identity_cache_get(c, D1, "ana@x.example", 0, id, &active, &roles), 0);
	hg_identity_cache_put(c, hg_identity_cache_generation(c), D1, "ana@x.example", ED, 1, HG_ROLE(TEACHER), 0);
	assert_int_equal(hg_identity_cache_get(c, D1, "ana@x.example", 999, id, &active, &roles), 1);
	assert_string_equal(id, ED);
	assert_int_equal(active, 1);
	assert_int_equal(roles, HG_ROLE(TEACHER));
	/* the same value in another district is another principal */
	assert_int_equal(hg_identity_cache_get(c, D2, "ana@x.example", 999, id, &active, &roles), 0);
	/* expired after the TTL */
	assert_int_equal(hg_identity_cache_get(c, D1, "ana@x.example", 1000, id, &active, &roles), 0);
	/* put again replaces in place: one entry */
	hg_identity_cache_put(c, hg_identity_cache_generation(c), D1, "ana@x.example", ED, 0, HG_ROLE(TEACHER), 2000);
	assert_int_equal(hg_identity_cache_get(c, D1, "ana@x.example", 2500, id, &active, &roles), 1);
	assert_int_equal(active, 0);
	assert_int_equal(hg_identity_cache_count(c), 1);
	hg_identity_cache_free(c);
}

static void test_ttl_zero_keeps_nothing(void **state)
{
	(void)state;
	struct hg_identity_cache *c = hg_identity_cache_new(16, 0);
	char id[37];
	int active;
	unsigned roles = 0;
	hg_identity_cache_put(c, hg_identity_cache_generation(c), D1, "v", ED, 1, HG_ROLE(TEACHER), 0);
	assert_int_equal(hg_identity_cache_get(c, D1, "v", 0, id, &active, &roles), 0);
	assert_int_equal(hg_identity_cache_count(c), 0);
	hg_identity_cache_free(c);
}

static void test_bounded(void **state)
{
	(void)state;
	struct hg_identity_cache *c = hg_identity_cache_new(100, 60000);
	char key[32], id[37];
	int active, hits = 0;
	unsigned roles = 0;
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "user%d@x.example", i);
		hg_identity_cache_put(c, hg_identity_cache_generation(c), D1, key, ED, 1, HG_ROLE(TEACHER), i);
	}
	/* capacity 100 rounds up to 16 sets of 8: never more entries than that */
	assert_true(hg_identity_cache_count(c) <= 128);
	assert_true(hg_identity_cache_count(c) >= 100);
	/* the most recent ones are still there (the entry that expires first goes) */
	for (int i = 9990; i < 10000; i++) {
		snprintf(key, sizeof(key), "user%d@x.example", i);
		hits += hg_identity_cache_get(c, D1, key, 10000, id, &active, &roles);
	}
	assert_int_equal(hits, 10);
	hg_identity_cache_free(c);
}

static void test_forget_and_generation(void **state)
{
	(void)state;
	struct hg_identity_cache *c = hg_identity_cache_new(64, 60000);
	char id[37];
	int active;
	unsigned roles = 0;
	uint64_t g = hg_identity_cache_generation(c);
	hg_identity_cache_put(c, g, D1, "ana@x.example", ED, 1, HG_ROLE(TEACHER), 0);
	hg_identity_cache_put(c, g, D1, "asmith", ED, 1, HG_ROLE(TEACHER), 0);
	hg_identity_cache_put(c, g, D1, "ben@x.example", ED2, 1, HG_ROLE(TEACHER), 0);
	hg_identity_cache_put(c, g, D2, "ana@x.example", ED, 1, HG_ROLE(TEACHER), 0); /* same id in another district */
	assert_int_equal(hg_identity_cache_forget(c, D1, ED), 2);
	assert_int_equal(hg_identity_cache_get(c, D1, "ana@x.example", 1, id, &active, &roles), 0);
	assert_int_equal(hg_identity_cache_get(c, D1, "asmith", 1, id, &active, &roles), 0);
	assert_int_equal(hg_identity_cache_get(c, D1, "ben@x.example", 1, id, &active, &roles), 1);
	assert_int_equal(hg_identity_cache_get(c, D2, "ana@x.example", 1, id, &active, &roles), 1);
	/* a lookup that began before the forget (generation g) may have read the old row: not kept */
	hg_identity_cache_put(c, g, D1, "ana@x.example", ED, 1, HG_ROLE(TEACHER), 2);
	assert_int_equal(hg_identity_cache_get(c, D1, "ana@x.example", 3, id, &active, &roles), 0);
	/* one that began after is */
	hg_identity_cache_put(c, hg_identity_cache_generation(c), D1, "ana@x.example", ED, 0, HG_ROLE(TEACHER), 2);
	assert_int_equal(hg_identity_cache_get(c, D1, "ana@x.example", 3, id, &active, &roles), 1);
	assert_int_equal(active, 0);
	g = hg_identity_cache_generation(c);
	hg_identity_cache_clear(c);
	assert_int_equal(hg_identity_cache_count(c), 0);
	assert_true(hg_identity_cache_generation(c) != g);
	hg_identity_cache_free(c);
}

static void test_subject_id(void **state)
{
	(void)state;
	char a[37], b[37];
	hg_identity_subject_id("AAAAAAAA-1111-4111-8111-111111111111", a);
	assert_string_equal(a, "aaaaaaaa-1111-4111-8111-111111111111"); /* a UUID sub is the id itself */
	hg_identity_subject_id("sis-connector@springfield", a);
	hg_identity_subject_id("sis-connector@springfield", b);
	assert_string_equal(a, b);    /* stable */
	assert_int_equal(a[14], '5'); /* a name-based (v5) UUID */
	hg_identity_subject_id("state-reporter", b);
	assert_string_not_equal(a, b);
}

static void test_directory_roles(void **state)
{
	(void)state;
	assert_int_equal(hg_identity_directory_roles(""), 0);
	assert_int_equal(hg_identity_directory_roles("coach,teacher"), HG_ROLE(COACH) | HG_ROLE(TEACHER));
	/* roles no route knows are left out; district_admin only a token grants */
	assert_int_equal(hg_identity_directory_roles("district_admin,mentor,school_leader,pd_facilitator"),
			 HG_ROLE(SCHOOL_LEADER));
	assert_int_equal(hg_identity_directory_roles("sis_integration,state_reporter"), 0);
}

static void test_matches(void **state)
{
	(void)state;
	assert_int_equal(hg_identity_match_from_name("id"), HG_MATCH_ID);
	assert_int_equal(hg_identity_match_from_name("user_master_identifier"), HG_MATCH_USER_MASTER_ID);
	assert_int_equal(hg_identity_match_from_name("upn"), -1);
	assert_string_equal(hg_identity_match_name(HG_MATCH_SOURCED_ID), "sourced_id");
}

static void test_event_identifiers(void **state)
{
	(void)state;
	struct hg_roster_educator ed;
	json_t *ev = parse_json("{\"type\":\"educator.upserted\",\"districtid\":\"" D1 "\",\"data\":{\"id\":\"" ED
				"\",\"district_id\":\"" D1 "\",\"status\":\"active\",\"version\":2,\"school_ids\":[],"
				"\"email\":\"Ana@X.example\",\"sourced_id\":\"stf-1\",\"username\":\"asmith\","
				"\"user_master_identifier\":null}}");
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_OK);
	assert_string_equal(ed.email, "Ana@X.example");
	assert_string_equal(ed.sourced_id, "stf-1");
	assert_string_equal(ed.username, "asmith");
	assert_null(ed.user_master_identifier);
	json_object_set_new(json_object_get(ev, "data"), "username", json_integer(7));
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_INVALID);
	json_decref(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_and_expiry),    cmocka_unit_test(test_ttl_zero_keeps_nothing),
		cmocka_unit_test(test_bounded),           cmocka_unit_test(test_forget_and_generation),
		cmocka_unit_test(test_subject_id),        cmocka_unit_test(test_matches),
		cmocka_unit_test(test_event_identifiers), cmocka_unit_test(test_directory_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
