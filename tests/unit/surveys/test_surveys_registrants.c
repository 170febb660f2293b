/* Unit tests: the catalog's registration events as hg-surveys reads them (services/surveys/registrants.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "services/surveys/registrants.h"

#define DISTRICT "6f1e3c1a-8a4b-4c2d-9e0f-1a2b3c4d5e6f"
#define REG "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
#define SESSION "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
#define EDUCATOR "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"

static json_t *event(const char *type, const char *data_district, const char *status, json_t *version)
{
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", REG, "district_id", data_district,
				 "session_id", SESSION, "educator_id", EDUCATOR, "status", status, "version", version);
	return json_pack("{s:s, s:s, s:s, s:o}", "id", "e1", "type", type, "districtid", DISTRICT, "data", data);
}

static void test_registration_events_are_read(void **state)
{
	(void)state;
	/* A registration declined by a school leader is cancelled; an approved one keeps its seat. */
	static const char *const types[] = {"registration.created", "registration.promoted", "registration.cancelled",
					    "registration.declined", "registration.approved"};
	static const char *const statuses[] = {"waitlisted", "registered", "cancelled", "cancelled", "registered"};
	for (size_t i = 0; i < 5; i++) {
		struct registration_fact f;
		json_t *ev = event(types[i], DISTRICT, statuses[i], json_integer((json_int_t)i + 1));
		assert_int_equal(registrants_parse(ev, &f), HG_OK);
		assert_string_equal(f.district_id, DISTRICT);
		assert_string_equal(f.id, REG);
		assert_string_equal(f.session_id, SESSION);
		assert_string_equal(f.educator_id, EDUCATOR);
		assert_string_equal(f.status, statuses[i]);
		assert_int_equal(f.version, (long long)i + 1);
		json_decref(ev);
	}
}

static void test_other_events_are_not_followed(void **state)
{
	(void)state;
	struct registration_fact f;
	static const char *const others[] = {"session.scheduled", "attendance.recorded", "activity.completed",
					     "registration", ""};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		json_t *ev = event(others[i], DISTRICT, "registered", json_integer(1));
		assert_int_equal(registrants_parse(ev, &f), HG_NOT_FOUND);
		json_decref(ev);
	}
	json_t *no_type = json_pack("{s:s}", "id", "e1");
	assert_int_equal(registrants_parse(no_type, &f), HG_NOT_FOUND);
	json_decref(no_type);
}

static void test_inconsistent_registrations_are_refused(void **state)
{
	(void)state;
	struct registration_fact f;
	json_t *ev;

	/* another district in the data than the envelope's */
	ev = event("registration.created", "7f1e3c1a-8a4b-4c2d-9e0f-1a2b3c4d5e6f", "registered", json_integer(1));
	assert_int_equal(registrants_parse(ev, &f), HG_INVALID);
	json_decref(ev);
	/* an unknown status, a missing or negative version */
	ev = event("registration.created", DISTRICT, "attending", json_integer(1));
	assert_int_equal(registrants_parse(ev, &f), HG_INVALID);
	json_decref(ev);
	ev = event("registration.created", DISTRICT, "registered", json_string("1"));
	assert_int_equal(registrants_parse(ev, &f), HG_INVALID);
	json_decref(ev);
	ev = event("registration.created", DISTRICT, "registered", json_integer(-1));
	assert_int_equal(registrants_parse(ev, &f), HG_INVALID);
	json_decref(ev);
	/* ids that are not UUIDs, a missing session */
	static const char *const members[] = {"id", "session_id", "educator_id"};
	for (size_t i = 0; i < 3; i++) {
		ev = event("registration.promoted", DISTRICT, "registered", json_integer(2));
		json_object_set_new(json_object_get(ev, "data"), members[i], json_string("nope"));
		assert_int_equal(registrants_parse(ev, &f), HG_INVALID);
		json_object_del(json_object_get(ev, "data"), members[i]);
		assert_int_equal(registrants_parse(ev, &f), HG_INVALID);
		json_decref(ev);
	}
	ev = json_pack("{s:s, s:s, s:s}", "type", "registration.created", "districtid", DISTRICT, "data", "x");
	assert_int_equal(registrants_parse(ev, &f), HG_INVALID);
	json_decref(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registration_events_are_read),
		cmocka_unit_test(test_other_events_are_not_followed),
		cmocka_unit_test(test_inconsistent_registrations_are_refused),
	};
	return cmocka_run_group_tests_name("surveys registrants", tests, NULL, NULL);
}
