/* Unit tests: the state feeds' pure parts (services/analytics/feeds.c) - the range, whole hours, Ed-Fi titles
 * and person ids, the Ed-Fi document built from rows - and CSV rows (common/csv.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "services/analytics/feeds.h"
#include "tests/unit/support.h"

static void range_ok(const char *from, const char *to, const char *until)
{
	struct feeds_range r;
	json_t *errs = json_array();
	assert_int_equal(feeds_range_parse(from, to, &r, errs), 1);
	assert_int_equal(json_array_size(errs), 0);
	assert_string_equal(r.from, from);
	assert_string_equal(r.to, to);
	assert_string_equal(r.until, until);
	json_decref(errs);
}

/* Refused, naming exactly the fields given (NULL-terminated). */
static void range_bad(const char *from, const char *to, const char *field1, const char *field2)
{
	struct feeds_range r;
	json_t *errs = json_array();
	assert_int_equal(feeds_range_parse(from, to, &r, errs), 0);
	assert_int_equal(json_array_size(errs), field2 != NULL ? 2 : 1);
	assert_true(names(errs, field1));
	if (field2 != NULL)
		assert_true(names(errs, field2));
	json_decref(errs);
}

static void test_range(void **state)
{
	(void)state;
	range_ok("2026-01-01", "2026-03-31", "2026-04-01");
	range_ok("2026-02-28", "2026-02-28", "2026-03-01");
	range_ok("2028-02-28", "2028-02-28", "2028-02-29");
	range_ok("2025-07-01", "2026-06-30", "2026-07-01");
	range_ok("2027-07-01", "2028-06-30", "2028-07-01"); /* 366 days with 29 February */
	range_ok("2026-01-01", "2027-01-01", "2027-01-02"); /* 366 days */
	range_ok("2100-12-31", "2100-12-31", "2101-01-01");
	range_bad("2026-01-01", "2027-01-02", "to", NULL); /* 367 days */
	range_bad("2026-03-02", "2026-03-01", "to", NULL);
	range_bad(NULL, NULL, "from", "to");
	range_bad("2026-13-01", "2026-01-01", "from", NULL);
	range_bad("2026-01-01", "2026-02-30", "to", NULL);
	range_bad("1999-12-31", "2000-01-01", "from", NULL);
	range_bad("2026-1-1", "x", "from", "to");
	range_bad("", "2026-01-01", "from", NULL);
}

static void test_total_hours(void **state)
{
	(void)state;
	assert_int_equal(feeds_total_hours(0), 0);
	assert_int_equal(feeds_total_hours(1799), 0);
	assert_int_equal(feeds_total_hours(1800), 1); /* half an hour: up */
	assert_int_equal(feeds_total_hours(3600), 1);
	assert_int_equal(feeds_total_hours(5399), 1);
	assert_int_equal(feeds_total_hours(5400), 2); /* 1.5 h */
	assert_int_equal(feeds_total_hours(9000), 3); /* 2.5 h */
	assert_int_equal(feeds_total_hours(10 * 3600 + 1799), 10);
	assert_int_equal(feeds_total_hours(-5), 0);
}

static void title_is(const char *title, const char *id, int shared, const char *expect)
{
	char *t = feeds_edfi_title(title, id, shared);
	if (strcmp(t, expect) != 0)
		fail_msg("%s: got '%s', expected '%s'", title, t, expect);
	free(t);
}

static void test_titles(void **state)
{
	(void)state;
	const char *id = "ABCDEF12-3456-7890-abcd-ef1234567890";
	char sixty[61], long_[80];
	memset(sixty, 'x', 60);
	sixty[60] = '\0';
	memset(long_, 'y', 79);
	long_[79] = '\0';
	title_is("Reading science", id, 0, "Reading science");
	title_is(sixty, id, 0, sixty);
	/* 61 characters and more: 49 of them and the id */
	title_is(long_, id, 0, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy [abcdef12]");
	/* a title another activity shares */
	title_is("Reading science", id, 1, "Reading science [abcdef12]");
	/* whitespace before the cut dropped; characters, not bytes (é is two bytes) */
	title_is("Formative assessment in the science classroom    and then some more", id, 0,
		 "Formative assessment in the science classroom [abcdef12]");
	title_is("ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé", id, 0,
		 "ééééééééééééééééééééééééééééééééééééééééééééééééé [abcdef12]");
	title_is("", id, 0, "Activity [abcdef12]");
	char *t = feeds_edfi_title(long_, id, 0);
	assert_int_equal(strlen(t), 60);
	free(t);
}

static void test_person_id(void **state)
{
	(void)state;
	char out[33];
	feeds_person_id("ABCDEF12-3456-7890-abcd-ef1234567890", out);
	assert_string_equal(out, "abcdef1234567890abcdef1234567890");
	assert_int_equal(strlen(out), 32);
}

static void test_edfi_doc(void **state)
{
	(void)state;
	json_t *rows = parse_json(
		"{\"events\": [[\"11111111-1111-1111-1111-111111111111\", \"Reading science\", false, 5400, 2],"
		" [\"22222222-2222-2222-2222-222222222222\", \"Math\", true, 1200, 1]],"
		" \"attendances\": [[\"2026-02-10\", \"AAAAAAAA-0000-0000-0000-000000000001\","
		" \"22222222-2222-2222-2222-222222222222\"],"
		" [\"2026-02-11\", \"aaaaaaaa-0000-0000-0000-000000000001\", \"99999999-2222-2222-2222-222222222222\"]],"
		" \"attendance_count\": 2}");
	json_t *doc = feeds_edfi_doc(rows, "state.example.org", "dddddddd-0000-0000-0000-000000000000");
	json_t *expect = parse_json(
		"{\"namespace\": \"uri://state.example.org/dddddddd-0000-0000-0000-000000000000\","
		" \"professionalDevelopmentEvents\": ["
		"  {\"namespace\": \"uri://state.example.org/dddddddd-0000-0000-0000-000000000000\","
		"   \"professionalDevelopmentTitle\": \"Reading science\","
		"   \"professionalDevelopmentOfferedByDescriptor\":"
		"   \"uri://state.example.org/ProfessionalDevelopmentOfferedByDescriptor#District\","
		"   \"multipleSession\": true, \"totalHours\": 2},"
		"  {\"namespace\": \"uri://state.example.org/dddddddd-0000-0000-0000-000000000000\","
		"   \"professionalDevelopmentTitle\": \"Math [22222222]\","
		"   \"professionalDevelopmentOfferedByDescriptor\":"
		"   \"uri://state.example.org/ProfessionalDevelopmentOfferedByDescriptor#District\","
		"   \"multipleSession\": false, \"totalHours\": 0}],"
		" \"professionalDevelopmentEventAttendances\": ["
		"  {\"attendanceDate\": \"2026-02-10\","
		"   \"attendanceEventCategoryDescriptor\":"
		"   \"uri://state.example.org/AttendanceEventCategoryDescriptor#In Attendance\","
		"   \"personReference\": {\"personId\": \"aaaaaaaa000000000000000000000001\","
		"    \"sourceSystemDescriptor\": \"uri://state.example.org/SourceSystemDescriptor#District\"},"
		"   \"professionalDevelopmentEventReference\": {"
		"    \"namespace\": \"uri://state.example.org/dddddddd-0000-0000-0000-000000000000\","
		"    \"professionalDevelopmentTitle\": \"Math [22222222]\"}}]}");
	/* the second attendance names an event not among the rows: left out */
	if (!json_equal(doc, expect)) {
		char *got = json_dumps(doc, JSON_INDENT(1));
		fail_msg("got %s", got);
	}
	json_decref(expect);
	json_decref(doc);
	json_decref(rows);
}

static void test_csv_rows(void **state)
{
	(void)state;
	struct hg_csv b = {NULL, 0, 0};
	const char *header[] = {"a", "b c", "d"};
	const char *row[] = {"=cmd|' /C calc'!A0", "x,\"y\"", NULL};
	const char *numbers[] = {"-1.5", "+3", "@x"};
	hg_csv_row(&b, header, 3);
	hg_csv_row(&b, row, 3);
	hg_csv_row(&b, numbers, 3);
	assert_string_equal(b.data, "a,b c,d\r\n\"'=cmd|' /C calc'!A0\",\"x,\"\"y\"\"\",\r\n-1.5,+3,\"'@x\"\r\n");
	free(b.data);
	for (size_t i = 0; i < FEEDS_CSV_COLUMNS; i++)
		assert_non_null(feeds_csv_header[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range),     cmocka_unit_test(test_total_hours), cmocka_unit_test(test_titles),
		cmocka_unit_test(test_person_id), cmocka_unit_test(test_edfi_doc),    cmocka_unit_test(test_csv_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
