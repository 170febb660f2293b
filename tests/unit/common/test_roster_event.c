/* Unit tests: the roster's educator events as the read models read them (common/roster_event.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/roster_event.h"
#include "tests/unit/support.h"

#define ME "11111111-1111-4111-8111-111111111111"
#define OTHER "22222222-2222-4222-8222-222222222222"
#define DISTRICT "33333333-3333-4333-8333-333333333333"

static void test_roster_events(void **state)
{
	(void)state;
	struct hg_roster_educator ed;
	json_t *ev = parse_json("{\"type\":\"educator.upserted\",\"districtid\":\"" DISTRICT "\",\"data\":{\"id\":\"" ME
				"\",\"district_id\":\"" DISTRICT "\",\"status\":\"active\",\"version\":7,"
				"\"school_ids\":[\"" OTHER "\"]}}");
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_OK);
	assert_string_equal(ed.educator_id, ME);
	assert_string_equal(ed.status, "active");
	assert_int_equal(ed.version, 7);
	assert_int_equal(json_array_size(ed.school_ids), 1);
	/* the data must belong to the envelope's district */
	json_object_set_new(json_object_get(ev, "data"), "district_id", json_string(OTHER));
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_INVALID);
	json_decref(ev);

	ev = parse_json("{\"type\":\"educator.deactivated\",\"districtid\":\"" DISTRICT "\",\"data\":{\"id\":\"" ME
			"\",\"district_id\":\"" DISTRICT "\",\"status\":\"active\",\"version\":8}}");
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_OK);
	assert_string_equal(ed.status, "inactive");
	assert_null(ed.school_ids);
	json_object_set_new(ev, "type", json_string("educator.upserted"));
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_INVALID); /* active without school_ids */
	json_object_set_new(ev, "type", json_string("school.upserted"));
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_NOT_FOUND);
	json_decref(ev);

	ev = parse_json("{\"type\":\"educator.upserted\",\"districtid\":\"" DISTRICT "\",\"data\":{\"id\":\"" ME
			"\",\"district_id\":\"" DISTRICT
			"\",\"status\":\"active\",\"version\":\"3\",\"school_ids\":[]}}");
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_INVALID);
	json_decref(ev);
}

static void test_career_stage_and_roles(void **state)
{
	(void)state;
	struct hg_roster_educator ed;
	json_t *ev = parse_json("{\"type\":\"educator.upserted\",\"districtid\":\"" DISTRICT "\",\"data\":{\"id\":\"" ME
				"\",\"district_id\":\"" DISTRICT "\",\"status\":\"active\",\"version\":1,"
				"\"school_ids\":[],\"roles\":[\"teacher\"],\"started_teaching_on\":\"2025-08-20\","
				"\"given_name\":\"Ana\",\"family_name\":\"Alves\"}}");
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_OK);
	assert_string_equal(ed.started_teaching_on, "2025-08-20");
	assert_int_equal(json_array_size(ed.roles), 1);
	assert_string_equal(ed.given_name, "Ana");
	assert_string_equal(ed.family_name, "Alves");
	json_t *data = json_object_get(ev, "data");
	json_object_set_new(data, "started_teaching_on", json_null());
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_OK);
	assert_null(ed.started_teaching_on);
	json_object_set_new(data, "started_teaching_on", json_string("2025-02-30"));
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_INVALID);
	json_object_set_new(data, "started_teaching_on", json_string("2025-02-28"));
	json_object_set_new(data, "roles", json_pack("[i]", 3));
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_INVALID);
	json_object_set_new(data, "roles", json_array());
	json_object_set_new(data, "family_name", json_integer(1));
	assert_int_equal(hg_roster_event_parse(ev, &ed), HG_INVALID);
	json_decref(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roster_events),
		cmocka_unit_test(test_career_stage_and_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
