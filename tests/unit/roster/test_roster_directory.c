/* Unit tests: what the roster directory API accepts and who sees whom (services/roster/school.c,
 * educator.c), and the roster route table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/roles.h"
#include "common/route.h"
#include "services/roster/educator.h"
#include "services/roster/routes.h"
#include "services/roster/school.h"
#include "tests/unit/support.h"

/* Is s one of table (NULL-terminated)? */
static int in_table(const char *const *table, const char *s)
{
	for (; *table != NULL; table++)
		if (strcmp(*table, s) == 0)
			return 1;
	return 0;
}

static json_t *school_patch(const char *body, json_t *errs)
{
	json_t *b = json_loads(body, 0, NULL);
	assert_non_null(b);
	json_t *out = school_validate_patch(b, NULL, errs);
	json_decref(b);
	return out;
}

static void test_school_patch(void **state)
{
	(void)state;
	json_t *errs = json_array();
	json_t *out = school_patch("{\"locale\":\"town\",\"title_i\":false,\"poverty_level\":\"mid-low\","
				   "\"enrollment\":0}",
				   errs);
	assert_non_null(out);
	assert_int_equal(json_array_size(errs), 0);
	assert_string_equal(json_string_value(json_object_get(out, "poverty_level")), "mid-low");
	assert_int_equal(json_integer_value(json_object_get(out, "enrollment")), 0);
	json_decref(out);

	/* enrolment: the deprecated alias, renamed; 412.0 stored as 412 */
	out = school_patch("{\"enrolment\":412.0}", errs);
	assert_non_null(out);
	assert_int_equal(json_array_size(errs), 0);
	assert_true(json_is_integer(json_object_get(out, "enrollment")));
	assert_int_equal(json_integer_value(json_object_get(out, "enrollment")), 412);
	assert_null(json_object_get(out, "enrolment"));
	json_decref(out);
	out = school_patch("{\"enrolment\":null}", errs);
	assert_non_null(out);
	assert_true(json_is_null(json_object_get(out, "enrollment")));
	assert_int_equal((int)json_object_size(out), 1);
	json_decref(out);
	assert_null(school_patch("{\"enrollment\":1,\"enrolment\":1}", errs));
	assert_true(names(errs, "enrolment"));
	json_array_clear(errs);
	assert_null(school_patch("{\"enrolment\":-1}", errs));
	assert_true(names(errs, "enrolment") && !names(errs, "enrollment"));
	json_array_clear(errs);

	out = school_patch("{\"locale\":null,\"title_i\":null,\"poverty_level\":null,\"enrollment\":null}", errs);
	assert_non_null(out);
	assert_true(json_is_null(json_object_get(out, "locale")));
	json_decref(out);

	assert_null(school_patch("{\"locale\":\"urban\",\"title_i\":1,\"poverty_level\":\"none\","
				 "\"enrollment\":1.5,\"name\":\"x\"}",
				 errs));
	const char *bad[] = {"locale", "title_i", "poverty_level", "enrollment", "name"};
	for (size_t i = 0; i < 5; i++)
		assert_true(names(errs, bad[i]));
	json_array_clear(errs);
	assert_null(school_patch("{\"enrollment\":1000001}", errs));
	assert_null(school_patch("{\"enrolment\":-1}", errs));
	assert_null(school_patch("{}", errs));
	assert_true(names(errs, ""));
	json_decref(errs);
	assert_true(in_table(roster_statuses, "active") && in_table(roster_statuses, "inactive") &&
		    !in_table(roster_statuses, "x"));
}

static json_t *educator_patch(const char *body, const char *today, json_t *errs)
{
	json_t *b = json_loads(body, 0, NULL);
	struct hg_input in = {NULL, 0, {0, 0, 0}};
	assert_true(hg_date_parse(today, &in.today));
	json_t *out = educator_validate_patch(b, &in, errs);
	json_decref(b);
	return out;
}

static void test_educator_patch(void **state)
{
	(void)state;
	json_t *errs = json_array();
	json_t *out;
	const char *ok[] = {"{\"started_teaching_on\":\"2024-08-15\"}", "{\"started_teaching_on\":null}",
			    "{\"started_teaching_on\":\"2027-11-22\"}", "{\"started_teaching_on\":\"1900-01-01\"}"};
	for (size_t i = 0; i < 4; i++) {
		out = educator_patch(ok[i], "2026-11-22", errs);
		assert_non_null(out);
		json_decref(out);
	}
	assert_int_equal(json_array_size(errs), 0);
	const char *bad[] = {"{\"started_teaching_on\":\"2027-11-23\"}",
			     "{\"started_teaching_on\":\"1899-12-31\"}",
			     "{\"started_teaching_on\":\"2025-02-29\"}",
			     "{\"started_teaching_on\":20250101}",
			     "{}",
			     "{\"started_teaching_on\":null,\"roles\":[]}"};
	for (size_t i = 0; i < 6; i++) {
		assert_null(educator_patch(bad[i], "2026-11-22", errs));
		assert_true(json_array_size(errs) > 0);
		json_array_clear(errs);
	}
	json_decref(errs);
}

static void test_assigned_roles(void **state)
{
	(void)state;
	json_t *errs = json_array();
	/* alone (no start date), school ids lower-cased */
	json_t *out =
		educator_patch("{\"assigned_roles\":[{\"role\":\"coach\"},{\"role\":\"school_leader\","
			       "\"school_id\":\"5F0C8A4E-2B1D-4C3A-9E8F-7A6B5C4D3E2F\"},{\"role\":\"school_leader\","
			       "\"school_id\":\"6f0c8a4e-2b1d-4c3a-9e8f-7a6b5c4d3e2f\"}]}",
			       "2026-11-22", errs);
	assert_non_null(out);
	assert_null(json_object_get(out, "started_teaching_on"));
	json_t *a = json_object_get(out, "assigned_roles");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 1), "school_id")),
			    "5f0c8a4e-2b1d-4c3a-9e8f-7a6b5c4d3e2f");
	assert_null(json_object_get(json_array_get(a, 0), "school_id"));
	json_decref(out);
	out = educator_patch("{\"assigned_roles\":[]}", "2026-11-22", errs);
	assert_non_null(out);
	json_decref(out);
	assert_int_equal(json_array_size(errs), 0);
	/* every bad one named */
	assert_null(educator_patch("{\"assigned_roles\":[{\"role\":\"teacher\"},{\"role\":\"school_leader\"},"
				   "{\"role\":\"mentor\",\"school_id\":\"5f0c8a4e-2b1d-4c3a-9e8f-7a6b5c4d3e2f\"},"
				   "{\"role\":\"coach\"},{\"role\":\"coach\"},7,{\"role\":\"coach\",\"x\":1}]}",
				   "2026-11-22", errs));
	const char *fields[] = {"assigned_roles[0].role", "assigned_roles[1].school_id", "assigned_roles[2].school_id",
				"assigned_roles[4]",      "assigned_roles[5]",           "assigned_roles[6].x"};
	assert_int_equal(json_array_size(errs), 7); /* [6] is also coach twice */
	for (size_t i = 0; i < 6; i++) {
		int found = 0;
		size_t j;
		json_t *e;
		json_array_foreach(errs, j, e)
			found |= strcmp(json_string_value(json_object_get(e, "field")), fields[i]) == 0;
		assert_true(found);
	}
	json_array_clear(errs);
	/* at most 32 */
	char big[2048];
	size_t n = (size_t)snprintf(big, sizeof(big), "{\"assigned_roles\":[");
	for (int i = 0; i < 33; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%s{\"role\":\"coach\"}", i ? "," : "");
	snprintf(big + n, sizeof(big) - n, "]}");
	assert_null(educator_patch(big, "2026-11-22", errs));
	assert_int_equal(json_array_size(errs), 1);
	json_decref(errs);
}

static void test_who_sees_whom(void **state)
{
	(void)state;
	struct hg_principal p = {"", "", 0};
	p.roles = HG_ROLE(TEACHER) | HG_ROLE(COACH);
	struct educator_view v = educator_view_of(&p);
	assert_false(v.all);
	assert_false(v.leader);
	p.roles = HG_ROLE(SCHOOL_LEADER) | HG_ROLE(TEACHER);
	v = educator_view_of(&p);
	assert_false(v.all);
	assert_true(v.leader);
	p.roles = HG_ROLE(DISTRICT_ADMIN);
	assert_true(educator_view_of(&p).all);
	assert_true(in_table(educator_roles, "school_leader"));
	assert_false(in_table(educator_roles, "principal"));
}

static void test_roster_routes_need_roles(void **state)
{
	(void)state;
	unsigned importers = HG_ROLE(SIS_INTEGRATION) | HG_ROLE(DISTRICT_ADMIN);
	int imports = 0;
	for (size_t i = 0; i < roster_routes_count; i++) {
		const struct hg_route *r = &roster_routes[i];
		if (strncmp(r->path, "/v1/", 4) == 0)
			assert_true(r->roles != 0);
		else
			assert_true(strcmp(r->path, "/healthz") == 0 || strcmp(r->path, "/readyz") == 0 ||
				    strcmp(r->path, "/metrics") == 0);
		/* only importers import; students' data never is, but nobody else may even try */
		if (strncmp(r->path, "/v1/roster/imports", 18) == 0) {
			assert_int_equal(r->roles, importers);
			imports++;
		}
		/* changes are district admins' only */
		if (strcmp(r->method, "PATCH") == 0)
			assert_int_equal(r->roles, HG_ROLE(DISTRICT_ADMIN));
	}
	assert_int_equal(imports, 3); /* POST, the list, one import */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_school_patch),
		cmocka_unit_test(test_educator_patch),
		cmocka_unit_test(test_assigned_roles),
		cmocka_unit_test(test_who_sees_whom),
		cmocka_unit_test(test_roster_routes_need_roles),
	};
	return cmocka_run_group_tests_name("roster directory", tests, NULL, NULL);
}
