/* Unit tests: what recommendations keep of the events analytics accepted (services/analytics/recommend.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "services/analytics/projection.h"
#include "services/analytics/recommend.h"
#include "tests/unit/support.h"

#define D "33333333-3333-4333-8333-333333333333"
#define ID "11111111-1111-4111-8111-111111111111"
#define ID2 "22222222-2222-4222-8222-222222222222"
#define ID3 "AAAAAAAA-2222-4222-8222-222222222222"

/* recommend_read of type/data on topic into p; the event is kept in *keep (the parameters point into it). */
static enum rec_kind read_one(const char *topic, const char *type, const char *data, struct rec_projection *p,
			      json_t **keep)
{
	char text[2048];
	snprintf(text, sizeof(text),
		 "{\"specversion\":\"1.0\",\"id\":\"e1\",\"type\":\"%s\",\"districtid\":\"" D "\",\"data\":%s}", type,
		 data);
	*keep = parse_json(text);
	recommend_read(topic, *keep, D, p);
	return p->kind;
}

static void done(struct rec_projection *p, json_t *ev)
{
	rec_projection_cleanup(p);
	json_decref(ev);
}

static void test_activity_and_session(void **state)
{
	(void)state;
	struct rec_projection p;
	json_t *ev;
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "activity.published",
				  "{\"id\":\"" ID3
				  "\",\"topics\":[\"Assessment\"],\"target_audience\":null,\"version\":4}",
				  &p, &ev),
			 REC_ACTIVITY);
	assert_int_equal(p.nparams, 5);
	assert_string_equal(p.params[0], D);
	assert_string_equal(p.params[1], "aaaaaaaa-2222-4222-8222-222222222222");
	assert_string_equal(p.params[2], "[\"Assessment\"]");
	assert_string_equal(p.params[3], "[]");
	assert_string_equal(p.params[4], "4");
	done(&p, ev);
	/* a completion is not an activity's state */
	assert_int_equal(
		read_one(ANALYTICS_RESOURCES_TOPIC, "activity.completed", "{\"id\":\"" ID "\",\"version\":1}", &p, &ev),
		REC_NONE);
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "session.changed",
				  "{\"id\":\"" ID "\",\"capacity\":25,\"version\":2}", &p, &ev),
			 REC_SESSION);
	assert_string_equal(p.params[2], "25");
	done(&p, ev);
	/* a topic that is not a string, a capacity that is not a count: nothing for recommendations */
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "activity.updated",
				  "{\"id\":\"" ID "\",\"topics\":[1],\"version\":4}", &p, &ev),
			 REC_NONE);
	assert_null(p.owned[0]);
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "session.scheduled",
				  "{\"id\":\"" ID "\",\"capacity\":-1,\"version\":2}", &p, &ev),
			 REC_NONE);
	done(&p, ev);
}

static void test_registration_resource_review(void **state)
{
	(void)state;
	struct rec_projection p;
	json_t *ev;
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "registration.cancelled",
				  "{\"id\":\"" ID "\",\"session_id\":\"" ID2 "\",\"activity_id\":\"" ID2
				  "\",\"educator_id\":\"" ID "\",\"status\":\"cancelled\",\"version\":3}",
				  &p, &ev),
			 REC_REGISTRATION);
	assert_int_equal(p.nparams, 7);
	assert_string_equal(p.params[5], "cancelled");
	assert_string_equal(p.params[6], "3");
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "registration.created",
				  "{\"id\":\"" ID "\",\"session_id\":\"nope\",\"status\":\"registered\",\"version\":1}",
				  &p, &ev),
			 REC_NONE);
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "resource.deleted",
				  "{\"id\":\"" ID "\",\"title\":\"T\",\"type\":\"article\",\"topics\":[\"a\"],"
				  "\"grade_bands\":[\"6-8\"],\"created_by\":\"" ID2 "\",\"version\":2}",
				  &p, &ev),
			 REC_RESOURCE);
	assert_string_equal(p.params[6], ID2);
	assert_string_equal(p.params[7], "true");
	assert_string_equal(p.params[8], "2");
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "resource.created",
				  "{\"id\":\"" ID "\",\"title\":\"T\",\"type\":\"article\",\"version\":1}", &p, &ev),
			 REC_RESOURCE);
	assert_null(p.params[6]); /* no author */
	assert_string_equal(p.params[7], "false");
	assert_string_equal(p.params[4], "[]");
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "review.updated",
				  "{\"id\":\"" ID "\",\"resource_id\":\"" ID2 "\",\"reviewer_id\":\"" ID
				  "\",\"rating\":4,\"version\":2}",
				  &p, &ev),
			 REC_REVIEW);
	assert_string_equal(p.params[4], "4");
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_RESOURCES_TOPIC, "review.created",
				  "{\"id\":\"" ID "\",\"resource_id\":\"" ID2 "\",\"reviewer_id\":\"" ID
				  "\",\"rating\":6,\"version\":1}",
				  &p, &ev),
			 REC_NONE);
	done(&p, ev);
}

static void test_survey_audience_and_others(void **state)
{
	(void)state;
	struct rec_projection p;
	json_t *ev;
	assert_int_equal(read_one(ANALYTICS_SURVEYS_TOPIC, "survey.closed",
				  "{\"id\":\"" ID "\",\"audience\":{\"schools\":[\"" ID2 "\"]},\"version\":3}", &p,
				  &ev),
			 REC_SURVEY);
	assert_string_equal(p.params[2], "[\"" ID2 "\"]");
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_SURVEYS_TOPIC, "survey.created",
				  "{\"id\":\"" ID "\",\"audience\":{},\"version\":1}", &p, &ev),
			 REC_SURVEY);
	assert_string_equal(p.params[2], "[]");
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_SURVEYS_TOPIC, "survey.updated",
				  "{\"id\":\"" ID "\",\"audience\":{\"schools\":[\"x\"]},\"version\":1}", &p, &ev),
			 REC_NONE);
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_SURVEYS_TOPIC, "results.finalized", "{}", &p, &ev), REC_NONE);
	done(&p, ev);
	assert_int_equal(read_one(ANALYTICS_COACHING_TOPIC, "cycle.started", "{\"id\":\"" ID "\"}", &p, &ev), REC_NONE);
	done(&p, ev);
	assert_int_equal(read_one("homegrown.roster", "school.upserted", "{}", &p, &ev), REC_NONE);
	done(&p, ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_activity_and_session),
		cmocka_unit_test(test_registration_resource_review),
		cmocka_unit_test(test_survey_audience_and_others),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
