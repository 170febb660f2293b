/* Unit tests: the events analytics reads, checked and turned into parameters (services/analytics/projection.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "services/analytics/projection.h"
#include "tests/unit/support.h"

#define D "33333333-3333-4333-8333-333333333333"
#define OTHER "44444444-4444-4444-8444-444444444444"
#define ID "11111111-1111-4111-8111-111111111111"
#define ID2 "22222222-2222-4222-8222-222222222222"

static json_t *event(const char *type, const char *data)
{
	char text[2048];
	snprintf(text, sizeof(text),
		 "{\"specversion\":\"1.0\",\"id\":\"e1\",\"type\":\"%s\",\"districtid\":\"" D "\",\"data\":%s}", type,
		 data);
	return parse_json(text);
}

/* Read type/data from topic; returns the status and leaves the reason in why. */
static enum hg_status read_one(const char *topic, const char *type, const char *data, struct projection *p, char *why,
			       size_t len, json_t **keep)
{
	*keep = event(type, data);
	return projection_read(topic, *keep, p, why, len);
}

static void test_session(void **state)
{
	(void)state;
	struct projection p;
	char why[256];
	json_t *ev;
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "session.cancelled",
				  "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"activity_id\":\"" ID2 "\","
				  "\"starts_at\":\"2026-02-01T10:00:00Z\",\"ends_at\":\"2026-02-01T12:00:00Z\","
				  "\"status\":\"cancelled\",\"version\":2}",
				  &p, why, sizeof(why), &ev),
			 HG_OK);
	assert_int_equal(p.kind, P_SESSION);
	assert_int_equal(p.nparams, 7);
	assert_string_equal(p.params[0], D);
	assert_string_equal(p.params[1], ID);
	assert_string_equal(p.params[2], ID2);
	assert_string_equal(p.params[5], "cancelled");
	assert_string_equal(p.params[6], "2");
	projection_cleanup(&p);
	json_decref(ev);
}

/* Coaching: a cycle (closed_at null while open), feedback minutes, a time log; what is ignored; poison. */
static void test_coaching(void **state)
{
	(void)state;
	struct projection p;
	char why[256];
	json_t *ev;
	assert_int_equal(read_one(ANALYTICS_COACHING_TOPIC, "cycle.started",
				  "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"coach_id\":\"" ID2 "\","
				  "\"teacher_id\":\"" OTHER "\",\"status\":\"planning\",\"goal_met\":null,"
				  "\"created_at\":\"2026-02-01T10:00:00Z\",\"closed_at\":null,\"version\":1}",
				  &p, why, sizeof(why), &ev),
			 HG_OK);
	assert_int_equal(p.kind, P_CYCLE);
	assert_int_equal(p.nparams, 9);
	assert_string_equal(p.params[3], OTHER);
	assert_null(p.params[5]);
	assert_null(p.params[7]);
	assert_string_equal(p.params[8], "1");
	projection_cleanup(&p);
	json_decref(ev);
	assert_int_equal(read_one(ANALYTICS_COACHING_TOPIC, "feedback.given",
				  "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"cycle_id\":\"" ID2 "\","
				  "\"coach_id\":\"" ID2 "\",\"teacher_id\":\"" OTHER "\","
				  "\"minutes_since_observation\":95,\"created_at\":\"2026-02-01T10:00:00Z\"}",
				  &p, why, sizeof(why), &ev),
			 HG_OK);
	assert_int_equal(p.kind, P_FEEDBACK);
	assert_string_equal(p.params[5], "95.00");
	projection_cleanup(&p);
	json_decref(ev);
	assert_int_equal(read_one(ANALYTICS_COACHING_TOPIC, "time.logged",
				  "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"coach_id\":\"" ID2 "\","
				  "\"teacher_id\":\"" OTHER "\",\"minutes\":\"45\",\"logged_on\":\"2026-02-01\"}",
				  &p, why, sizeof(why), &ev),
			 HG_INVALID);
	assert_string_equal(why, "data.minutes must be a number from 0 to 1e9");
	projection_cleanup(&p);
	json_decref(ev);
	const char *ignored[] = {"relationship.started", "plc.created",      "observation.recorded",
				 "reflection.recorded",  "rubric.versioned", NULL};
	for (const char **t = ignored; *t != NULL; t++) {
		assert_int_equal(read_one(ANALYTICS_COACHING_TOPIC, *t, "{}", &p, why, sizeof(why), &ev), HG_OK);
		assert_int_equal(p.kind, P_IGNORE);
		projection_cleanup(&p);
		json_decref(ev);
	}
	assert_int_equal(read_one(ANALYTICS_COACHING_TOPIC, "cycle.exploded", "{}", &p, why, sizeof(why), &ev),
			 HG_INVALID);
	assert_string_equal(why, "unknown event type cycle.exploded on homegrown.coaching");
	projection_cleanup(&p);
	json_decref(ev);
	/* a coaching type on another topic is unknown there */
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "time.logged", "{}", &p, why, sizeof(why), &ev),
			 HG_INVALID);
	projection_cleanup(&p);
	json_decref(ev);
}

/* A PLC meeting: attendance as a JSON array of lower-case ids, the activity optional; bad attendance refused. */
static void test_plc_meeting(void **state)
{
	(void)state;
	struct projection p;
	char why[256];
	json_t *ev;
	const char *types[] = {"plc.meeting_held", "plc.meeting_updated"};
	for (size_t t = 0; t < 2; t++) {
		assert_int_equal(read_one(ANALYTICS_COACHING_TOPIC, types[t],
					  "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"plc_id\":\"" ID2 "\","
					  "\"held_on\":\"2026-02-03\",\"minutes\":45,\"attendance\":[\"" OTHER "\","
					  "\"AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA\"],\"attendee_count\":2,"
					  "\"activity_id\":\"" ID2 "\",\"version\":3}",
					  &p, why, sizeof(why), &ev),
				 HG_OK);
		assert_int_equal(p.kind, P_PLC_MEETING);
		assert_int_equal(p.nparams, 8);
		assert_string_equal(p.params[1], ID);
		assert_string_equal(p.params[3], "2026-02-03");
		assert_string_equal(p.params[4], "45.00");
		assert_string_equal(p.params[5], "[\"" OTHER "\",\"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa\"]");
		assert_string_equal(p.params[6], ID2);
		assert_string_equal(p.params[7], "3");
		projection_cleanup(&p);
		json_decref(ev);
	}
	/* not linked to an activity, nobody present */
	assert_int_equal(read_one(ANALYTICS_COACHING_TOPIC, "plc.meeting_held",
				  "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"plc_id\":\"" ID2 "\","
				  "\"held_on\":\"2026-02-03\",\"minutes\":45,\"attendance\":[],\"activity_id\":null,"
				  "\"version\":1}",
				  &p, why, sizeof(why), &ev),
			 HG_OK);
	assert_null(p.params[6]);
	assert_string_equal(p.params[5], "[]");
	projection_cleanup(&p);
	json_decref(ev);
	const char *bad[] = {"\"attendance\":[\"x\"],\"activity_id\":null",
			     "\"attendance\":[\"" OTHER "\",\"" OTHER "\"],\"activity_id\":null",
			     "\"attendance\":\"" OTHER "\",\"activity_id\":null",
			     "\"attendance\":[],\"activity_id\":\"nope\"", NULL};
	const char *reasons[] = {"data.attendance must be an array of at most 1000 distinct UUIDs",
				 "data.attendance must be an array of at most 1000 distinct UUIDs",
				 "data.attendance must be an array of at most 1000 distinct UUIDs",
				 "data.activity_id must be a UUID or null"};
	for (size_t i = 0; bad[i] != NULL; i++) {
		char data[512];
		snprintf(data, sizeof(data),
			 "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"plc_id\":\"" ID2 "\","
			 "\"held_on\":\"2026-02-03\",\"minutes\":45,%s,\"version\":1}",
			 bad[i]);
		assert_int_equal(
			read_one(ANALYTICS_COACHING_TOPIC, "plc.meeting_held", data, &p, why, sizeof(why), &ev),
			HG_INVALID);
		assert_string_equal(why, reasons[i]);
		projection_cleanup(&p);
		json_decref(ev);
	}
}

/* Surveys: a survey (audience_size null in a draft), final results into figures, what is ignored. */
static void test_surveys(void **state)
{
	(void)state;
	struct projection p;
	char why[256];
	json_t *ev;
	assert_int_equal(read_one(ANALYTICS_SURVEYS_TOPIC, "survey.created",
				  "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"title\":\"T\","
				  "\"purpose\":\"climate\",\"mode\":\"anonymous\",\"status\":\"draft\","
				  "\"audience_size\":null,\"opened_at\":null,\"closed_at\":null,\"version\":1}",
				  &p, why, sizeof(why), &ev),
			 HG_OK);
	assert_int_equal(p.kind, P_SURVEY);
	assert_null(p.params[6]);
	projection_cleanup(&p);
	json_decref(ev);
	/* 60 % over 30 and 0 % over 10 answers: 45.0; change +1 over 30 and -1 over 10: 0.50; a withheld question
	 * and a withheld topic count for nothing; no district_id in the results' data */
	assert_int_equal(
		read_one(ANALYTICS_SURVEYS_TOPIC, "results.finalized",
			 "{\"survey_id\":\"" ID "\",\"closed_at\":\"2026-02-01T00:00:00Z\","
			 "\"response_rate\":{\"invited\":50,\"responded\":40,\"rate\":80.0},\"respondents\":40,"
			 "\"overall\":{\"questions\":{"
			 "\"a\":{\"count\":30,\"distribution\":{},\"percent_favourable\":60.0},"
			 "\"b\":{\"count\":10,\"distribution\":{},\"percent_favourable\":0},"
			 "\"c\":{\"count\":30,\"percent_favourable\":50.0,\"change\":{\"mean\":1.0}},"
			 "\"d\":{\"count\":10,\"percent_favourable\":50.0,\"change\":{\"mean\":-1.0}},"
			 "\"e\":{\"count\":null,\"withheld\":\"fewer_than_minimum\"}},"
			 "\"topics\":{\"t\":{\"count\":40,\"score\":3.5},\"u\":{\"count\":null}}}}",
			 &p, why, sizeof(why), &ev),
		HG_OK);
	assert_int_equal(p.kind, P_RESULTS);
	assert_int_equal(p.nparams, 9);
	assert_string_equal(p.params[1], ID);
	assert_string_equal(p.params[3], "50");
	assert_string_equal(p.params[4], "40");
	assert_string_equal(p.params[5], "40");
	assert_string_equal(p.params[6], "45.0");
	assert_string_equal(p.params[7], "0.50");
	assert_string_equal(p.params[8], "{\"t\":3.5}");
	projection_cleanup(&p);
	json_decref(ev);
	assert_int_equal(read_one(ANALYTICS_SURVEYS_TOPIC, "results.finalized",
				  "{\"survey_id\":\"" ID "\",\"closed_at\":\"2026-02-01T00:00:00Z\","
				  "\"response_rate\":{\"invited\":50},\"respondents\":null,\"overall\":{}}",
				  &p, why, sizeof(why), &ev),
			 HG_INVALID);
	assert_string_equal(why, "data.response_rate must hold the invited and responded counts");
	projection_cleanup(&p);
	json_decref(ev);
	const char *ignored[] = {"response.submitted", "settings.updated", NULL};
	for (const char **t = ignored; *t != NULL; t++) {
		assert_int_equal(read_one(ANALYTICS_SURVEYS_TOPIC, *t, "{}", &p, why, sizeof(why), &ev), HG_OK);
		assert_int_equal(p.kind, P_IGNORE);
		projection_cleanup(&p);
		json_decref(ev);
	}
}

static void test_school_and_educator(void **state)
{
	(void)state;
	struct projection p;
	char why[256];
	json_t *ev;
	assert_int_equal(read_one("homegrown.roster", "school.deactivated",
				  "{\"district_id\":\"" D "\",\"id\":\"" ID
				  "\",\"name\":\"Adams\",\"status\":\"active\","
				  "\"locale\":\"city\",\"title_i\":true,\"version\":3}",
				  &p, why, sizeof(why), &ev),
			 HG_OK);
	assert_int_equal(p.kind, P_SCHOOL);
	assert_string_equal(p.params[3], "inactive"); /* deactivated, whatever data says */
	assert_string_equal(p.params[4], "city");
	assert_string_equal(p.params[5], "true");
	assert_null(p.params[6]); /* poverty level absent */
	projection_cleanup(&p);
	json_decref(ev);

	assert_int_equal(read_one("homegrown.roster", "educator.upserted",
				  "{\"district_id\":\"" D "\",\"id\":\"" ID
				  "\",\"status\":\"active\",\"roles\":[\"teacher\"],"
				  "\"school_ids\":[\"" ID2 "\"],\"started_teaching_on\":\"2020-08-01\",\"version\":4}",
				  &p, why, sizeof(why), &ev),
			 HG_OK);
	assert_int_equal(p.kind, P_EDUCATOR);
	assert_string_equal(p.params[1], ID);
	assert_string_equal(p.params[4], "[\"teacher\"]");
	assert_string_equal(p.params[5], "[\"" ID2 "\"]");
	assert_string_equal(p.params[6], "2020-08-01");
	projection_cleanup(&p);
	json_decref(ev);
}

static void test_ignored_and_denied(void **state)
{
	(void)state;
	struct projection p;
	char why[256];
	json_t *ev;
	const char *ignored[] = {"review.created", "competency.created", "microcredential.defined", NULL};
	for (const char **t = ignored; *t != NULL; t++) {
		assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, *t, "{}", &p, why, sizeof(why), &ev), HG_OK);
		assert_int_equal(p.kind, P_IGNORE);
		projection_cleanup(&p);
		json_decref(ev);
	}
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "credit_request.decided",
				  "{\"district_id\":\"" D "\",\"status\":\"denied\"}", &p, why, sizeof(why), &ev),
			 HG_OK);
	assert_int_equal(p.kind, P_IGNORE);
	projection_cleanup(&p);
	json_decref(ev);
}

static void test_poison(void **state)
{
	(void)state;
	static const struct {
		const char *topic, *type, *data, *why;
	} cases[] = {
		{ANALYTICS_RESOURCES_TOPIC, "activity.exploded", "{}",
		 "unknown event type activity.exploded on homegrown.resources"},
		{"homegrown.elsewhere", "activity.created", "{}",
		 "unknown event type activity.created on homegrown.elsewhere"},
		{ANALYTICS_RESOURCES_TOPIC, "school.upserted", "{}",
		 "unknown event type school.upserted on homegrown.resources"},
		{ANALYTICS_RESOURCES_TOPIC, "activity.created", "[]",
		 "the envelope needs a type, a districtid (UUID) and data (an object)"},
		{ANALYTICS_RESOURCES_TOPIC, "activity.completed", "{\"district_id\":\"" OTHER "\"}",
		 "data.district_id differs from the envelope's districtid"},
		{ANALYTICS_RESOURCES_TOPIC, "activity.completed",
		 "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"activity_id\":\"x\"}",
		 "data.activity_id must be a UUID"},
		{ANALYTICS_RESOURCES_TOPIC, "activity.completed",
		 "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"activity_id\":\"" ID "\",\"educator_id\":\"" ID "\","
		 "\"credit_type\":\"Hours\",\"credits\":-1,\"completed_at\":\"2026-01-01T00:00:00Z\"}",
		 "data.credits must be a number from 0 to 1e9"},
		{ANALYTICS_RESOURCES_TOPIC, "activity.updated",
		 "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"title\":\"\"}",
		 "data.title must be a non-empty string"},
		{ANALYTICS_RESOURCES_TOPIC, "session.scheduled",
		 "{\"district_id\":\"" D "\",\"id\":\"" ID "\",\"activity_id\":\"" ID "\",\"starts_at\":\"a\","
		 "\"ends_at\":\"b\",\"status\":\"registering\",\"version\":0}",
		 "data.version must be an integer of at least 1"},
		{ANALYTICS_RESOURCES_TOPIC, "credit_request.decided", "{\"district_id\":\"" D "\"}",
		 "data.status must be a string"},
		{"homegrown.roster", "school.upserted",
		 "{\"district_id\":\"" D "\",\"id\":\"" ID
		 "\",\"name\":\"A\",\"status\":\"active\",\"title_i\":\"yes\","
		 "\"version\":1}",
		 "data.title_i must be true, false or null"},
		{"homegrown.roster", "educator.upserted", "{\"district_id\":\"" D "\",\"id\":\"" ID "\"}",
		 "an educator event that does not describe an educator of its district"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct projection p;
		char why[256];
		json_t *ev;
		assert_int_equal(read_one(cases[i].topic, cases[i].type, cases[i].data, &p, why, sizeof(why), &ev),
				 HG_INVALID);
		assert_string_equal(why, cases[i].why);
		projection_cleanup(&p);
		json_decref(ev);
	}
	/* the envelope itself */
	struct projection p;
	char why[256];
	json_t *ev = parse_json("{\"specversion\":\"0.3\",\"id\":\"x\",\"type\":\"review.created\",\"districtid\":\"" D
				"\",\"data\":{}}");
	assert_int_equal(projection_read(ANALYTICS_RESOURCES_TOPIC, ev, &p, why, sizeof(why)), HG_INVALID);
	assert_string_equal(why, "unknown CloudEvents specversion (1.0 expected)");
	projection_cleanup(&p);
	json_decref(ev);
	ev = parse_json("{\"specversion\":\"1.0\",\"id\":\"x\",\"type\":\"review.created\",\"districtid\":\"nope\","
			"\"data\":{}}");
	assert_int_equal(projection_read(ANALYTICS_RESOURCES_TOPIC, ev, &p, why, sizeof(why)), HG_INVALID);
	projection_cleanup(&p);
	json_decref(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_coaching),
		cmocka_unit_test(test_plc_meeting),
		cmocka_unit_test(test_surveys),
		cmocka_unit_test(test_school_and_educator),
		cmocka_unit_test(test_ignored_and_denied),
		cmocka_unit_test(test_poison),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
