/* Unit tests: the OneRoster 1.2 vocabulary and manifest.csv (services/roster/oneroster.c, manifest.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "services/roster/manifest.h"
#include "services/roster/oneroster.h"

/* A record from fields (NULL-terminated), on line `line`. */
struct rec {
	const char *fields[40];
	size_t lens[40];
	struct roster_csv_record r;
};

static const struct roster_csv_record *make(struct rec *x, long line, size_t index, const char *const *fields)
{
	size_t n = 0;
	for (; fields[n] != NULL; n++) {
		x->fields[n] = fields[n];
		x->lens[n] = strlen(fields[n]);
	}
	x->r = (struct roster_csv_record){line, index, n, x->fields, x->lens};
	return &x->r;
}

static int has(const struct roster_problems *p, const char *file, long line, const char *column,
	       const char *reason_start)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct roster_problem *it = &p->items[i];
		if ((file == NULL ? it->file == NULL : it->file && strcmp(it->file, file) == 0) && it->line == line &&
		    (column == NULL ? it->column == NULL : it->column && strcmp(it->column, column) == 0) &&
		    strncmp(it->reason, reason_start, strlen(reason_start)) == 0)
			return 1;
	}
	return 0;
}

static void test_header_by_name_in_any_order(void **state)
{
	(void)state;
	struct rec x;
	struct oneroster_header h;
	struct roster_problems p;
	roster_problems_init(&p, 100);
	const char *cols[] = {"type", "name", "sourcedId", "dateLastModified", "status", "metadata.nces.locale", NULL};
	assert_true(oneroster_header_read(OR_ORGS, make(&x, 1, 0, cols), &h, &p));
	assert_int_equal(p.total, 0);
	assert_int_equal(h.pos[ORG_SOURCED_ID], 2);
	assert_int_equal(h.pos[ORG_TYPE], 0);
	assert_int_equal(h.pos[ORG_IDENTIFIER], -1); /* optional and absent */
	assert_string_equal(oneroster_column_at(OR_ORGS, &h, 1), "name");
	assert_null(oneroster_column_at(OR_ORGS, &h, 5)); /* an extension */

	const char *row[] = {"school", "Lincoln", "sch-1", "", "", "rural", NULL};
	struct rec y;
	assert_string_equal(oneroster_value(&h, make(&y, 2, 1, row), ORG_NAME), "Lincoln");
	assert_string_equal(oneroster_value(&h, &y.r, ORG_IDENTIFIER), "");
	roster_problems_cleanup(&p);
}

static void test_bad_headers(void **state)
{
	(void)state;
	struct rec x;
	struct oneroster_header h;
	struct roster_problems p;
	roster_problems_init(&p, 100);
	const char *cols[] = {"sourcedId", "status",    "dateLastModified", "enabledUser",
			      "username",  "givenname", "familyName",       "familyName",
			      "",          NULL};
	assert_false(oneroster_header_read(OR_USERS, make(&x, 1, 0, cols), &h, &p));
	assert_true(has(&p, "users.csv", 1, "givenname", "bad header: not a OneRoster 1.2 column"));
	assert_true(has(&p, "users.csv", 1, "familyName", "bad header: the column is repeated"));
	assert_true(has(&p, "users.csv", 1, NULL, "bad header: column 9 has an empty"));
	assert_true(has(&p, "users.csv", 1, "givenName", "bad header: the required column is missing"));
	assert_int_equal(p.total, 4);
	roster_problems_cleanup(&p);
}

static void test_role_mapping(void **state)
{
	(void)state;
	const char *hg;
	static const struct {
		const char *role;
		enum oneroster_role_kind kind;
		const char *hg;
	} table[] = {
		{"teacher", OR_ROLE_STAFF, "teacher"},
		{"aide", OR_ROLE_STAFF, "teacher"},
		{"counselor", OR_ROLE_STAFF, "teacher"},
		{"principal", OR_ROLE_STAFF, "school_leader"},
		{"siteAdministrator", OR_ROLE_STAFF, "school_leader"},
		{"districtAdministrator", OR_ROLE_STAFF, "district_admin"},
		{"proctor", OR_ROLE_UNMAPPED, NULL},
		{"systemAdministrator", OR_ROLE_UNMAPPED, NULL},
		{"ext:librarian", OR_ROLE_UNMAPPED, NULL},
		{"student", OR_ROLE_LEARNER, NULL},
		{"parent", OR_ROLE_FAMILY, NULL},
		{"guardian", OR_ROLE_FAMILY, NULL},
		{"relative", OR_ROLE_FAMILY, NULL},
		{"Teacher", OR_ROLE_INVALID, NULL},
		{"administrator", OR_ROLE_INVALID, NULL},
		{"ext:", OR_ROLE_INVALID, NULL},
		{"", OR_ROLE_INVALID, NULL},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		assert_int_equal(oneroster_role(table[i].role, &hg), table[i].kind);
		if (table[i].hg == NULL)
			assert_null(hg);
		else
			assert_string_equal(hg, table[i].hg);
	}
}

static void test_dates_and_values(void **state)
{
	(void)state;
	assert_true(oneroster_is_date("2026-08-15"));
	assert_true(oneroster_is_date("2024-02-29"));
	assert_true(oneroster_is_date("2000-02-29"));
	assert_false(oneroster_is_date("1900-02-29"));
	assert_false(oneroster_is_date("2026-02-29"));
	assert_false(oneroster_is_date("2026-13-01"));
	assert_false(oneroster_is_date("2026-04-31"));
	assert_false(oneroster_is_date("2026-8-15"));
	assert_false(oneroster_is_date("2026-08-15T00:00:00Z"));
	assert_false(oneroster_is_date("15/08/2026"));

	assert_true(oneroster_is_datetime("2026-08-01T12:00:00Z"));
	assert_true(oneroster_is_datetime("2026-08-01T12:00:00.123Z"));
	assert_true(oneroster_is_datetime("2026-08-01T12:00:00+02:00"));
	assert_false(oneroster_is_datetime("2026-08-01T24:00:00Z"));
	assert_false(oneroster_is_datetime("2026-08-01 12:00:00Z"));
	assert_false(oneroster_is_datetime("2026-08-01T12:00:00"));
	assert_false(oneroster_is_datetime("2026-08-01T12:00:00.Z"));
	assert_false(oneroster_is_datetime("2026-08-01"));

	assert_true(oneroster_is_year("2027"));
	assert_false(oneroster_is_year("27"));
	assert_false(oneroster_is_year("0000"));
	assert_true(oneroster_is_email("ana@springfield.example"));
	assert_false(oneroster_is_email("ana@localhost"));
	assert_false(oneroster_is_email("ana springfield@x.example"));
	assert_false(oneroster_is_email("a@b@c.example"));
	assert_false(oneroster_is_email("@x.example"));
	assert_int_equal(oneroster_bool("TRUE"), 1);
	assert_int_equal(oneroster_bool("false"), 0);
	assert_int_equal(oneroster_bool("yes"), -1);

	assert_true(oneroster_is_utf8("Zoë Ōta 山田", strlen("Zoë Ōta 山田")));
	assert_false(oneroster_is_utf8("\xC3", 1));             /* truncated */
	assert_false(oneroster_is_utf8("\xC0\xAF", 2));         /* overlong */
	assert_false(oneroster_is_utf8("\xED\xA0\x80", 3));     /* a surrogate */
	assert_false(oneroster_is_utf8("\xF4\x90\x80\x80", 4)); /* beyond U+10FFFF */
	assert_false(oneroster_is_utf8("a\0b", 3));             /* a NUL byte */
	assert_true(oneroster_in("ext:campus", oneroster_org_types, 1));
	assert_false(oneroster_in("ext:campus", oneroster_org_types, 0));
	assert_false(oneroster_in("campus", oneroster_org_types, 1));
}

static void test_status_by_mode(void **state)
{
	(void)state;
	const char *why;
	assert_int_equal(oneroster_status("", OR_BULK, &why), 1);
	/* Bulk: the file is the complete set; a status (even active) is a problem (OneRoster 1.2.1 CSV). */
	assert_int_equal(oneroster_status("active", OR_BULK, &why), -1);
	assert_true(strncmp(why, "must be empty in bulk mode", 26) == 0);
	assert_int_equal(oneroster_status("tobedeleted", OR_BULK, &why), -1);
	assert_int_equal(oneroster_status("active", OR_DELTA, &why), 1);
	assert_int_equal(oneroster_status("tobedeleted", OR_DELTA, &why), 0);
	assert_int_equal(oneroster_status("", OR_DELTA, &why), -1);
	assert_string_equal(why, "missing required field in delta mode");
	assert_int_equal(oneroster_status("inactive", OR_DELTA, &why), -1);
	assert_true(strncmp(why, "unknown enumeration value", 25) == 0);
	assert_null(oneroster_check_modified("", OR_BULK));
	assert_non_null(oneroster_check_modified("", OR_DELTA));
	assert_null(oneroster_check_modified("2026-08-01T12:00:00Z", OR_DELTA));
	assert_non_null(oneroster_check_modified("yesterday", OR_BULK));
	assert_non_null(oneroster_check_modified("2026-08-01T12:00:00Z", OR_BULK));
	assert_non_null(oneroster_check_modified("yesterday", OR_DELTA));
}

/* Feed manifest rows (header first) and finish. */
static void manifest_of(const char *const rows[][3], size_t n, struct roster_manifest *m, struct roster_problems *p)
{
	roster_problems_init(p, 100);
	roster_manifest_init(m, p);
	for (size_t i = 0; i < n; i++) {
		struct rec x;
		const char *fields[3] = {rows[i][0], rows[i][1], NULL};
		if (rows[i][1] == NULL)
			fields[1] = NULL;
		if (roster_manifest_record(m, make(&x, (long)i + 1, i, fields)) != 0)
			break;
	}
	roster_manifest_finish(m);
}

static void test_manifest(void **state)
{
	(void)state;
	struct roster_manifest m;
	struct roster_problems p;
	/* A OneRoster 1.2.1 manifest names every one of the 21 files. */
	const char *const good[][3] = {{"propertyName", "value"},
				       {"manifest.version", "1.0"},
				       {"oneroster.version", "1.2"},
				       {"file.orgs", "bulk"},
				       {"file.users", "delta"},
				       {"file.roles", "delta"},
				       {"file.classes", "absent"},
				       {"source.systemName", "SIS, Inc."},
				       {"file.academicSessions", "absent"},
				       {"file.categories", "absent"},
				       {"file.classResources", "absent"},
				       {"file.courseResources", "absent"},
				       {"file.courses", "absent"},
				       {"file.demographics", "absent"},
				       {"file.enrollments", "absent"},
				       {"file.lineItemLearningObjectiveIds", "absent"},
				       {"file.lineItems", "absent"},
				       {"file.lineItemScoreScales", "absent"},
				       {"file.resources", "absent"},
				       {"file.resultLearningObjectiveIds", "absent"},
				       {"file.results", "absent"},
				       {"file.resultScoreScales", "absent"},
				       {"file.scoreScales", "absent"},
				       {"file.userProfiles", "absent"},
				       {"file.userResources", "absent"}};
	manifest_of(good, sizeof(good) / sizeof(good[0]), &m, &p);
	assert_int_equal(p.total, 0);
	assert_int_equal(m.modes[OR_ORGS], OR_BULK);
	assert_int_equal(m.modes[OR_USERS], OR_DELTA);
	assert_int_equal(m.modes[OR_SESSIONS], OR_ABSENT);
	assert_int_equal(m.lines[OR_USERS], 5);
	assert_string_equal(roster_mode_name(OR_DELTA), "delta");
	roster_manifest_cleanup(&m);
	roster_problems_cleanup(&p);

	/* Without the row of a file (here file.userProfiles and file.userResources): one problem per missing row. */
	manifest_of(good, sizeof(good) / sizeof(good[0]) - 2, &m, &p);
	assert_int_equal(p.total, 2);
	assert_true(has(&p, "manifest.csv", 0, "propertyName", "the row file.userProfiles is missing"));
	assert_true(has(&p, "manifest.csv", 0, "propertyName", "the row file.userResources is missing"));
	roster_manifest_cleanup(&m);
	roster_problems_cleanup(&p);

	const char *const bad[][3] = {{"propertyName", "value"},
				      {"manifest.version", "1.0"},
				      {"oneroster.version", "1.1"},
				      {"file.orgs", "full"},
				      {"file.orgs", "bulk"},
				      {"file.users", "bulk"},
				      {"", "x"},
				      {"lonely", NULL}};
	manifest_of(bad, 8, &m, &p);
	assert_true(has(&p, "manifest.csv", 3, "value", "unknown enumeration value"));
	assert_true(has(&p, "manifest.csv", 4, "value", "unknown enumeration value"));
	assert_true(has(&p, "manifest.csv", 5, "propertyName", "duplicate property (first on line 4)"));
	assert_true(has(&p, "manifest.csv", 6, "value", "users.csv in bulk mode needs roles.csv"));
	assert_true(has(&p, "manifest.csv", 7, "propertyName", "missing"));
	assert_true(has(&p, "manifest.csv", 8, NULL, "has 1 fields; the header has 2"));
	roster_manifest_cleanup(&m);
	roster_problems_cleanup(&p);

	const char *const empty[][3] = {{"propertyName", "value"}, {"source.systemName", "x"}};
	manifest_of(empty, 2, &m, &p);
	assert_true(has(&p, "manifest.csv", 0, "manifest.version", "the required property is missing"));
	assert_true(has(&p, "manifest.csv", 0, "oneroster.version", "the required property is missing"));
	assert_true(has(&p, "manifest.csv", 0, NULL, "declares none of"));
	roster_manifest_cleanup(&m);
	roster_problems_cleanup(&p);

	/* An empty manifest.csv (or one of blank lines) is a problem, not an import of nothing (found by
	 * tests/fuzz/roster/fuzz_manifest.c). */
	manifest_of(empty, 0, &m, &p);
	assert_int_equal(p.total, 1);
	assert_true(has(&p, "manifest.csv", 0, NULL, "is empty"));
	roster_manifest_cleanup(&m);
	roster_problems_cleanup(&p);
	/* ... but a manifest that could not be read as CSV is not also called empty */
	roster_problems_init(&p, 100);
	roster_manifest_init(&m, &p);
	roster_problems_add(&p, "manifest.csv", 1, NULL, "is not valid CSV");
	roster_manifest_finish(&m);
	assert_int_equal(p.total, 1);
	roster_manifest_cleanup(&m);
	roster_problems_cleanup(&p);

	const char *const header[][3] = {{"name", "value"}, {"file.orgs", "bulk"}};
	manifest_of(header, 2, &m, &p);
	assert_int_equal(p.total, 1);
	assert_true(has(&p, "manifest.csv", 1, NULL, "bad header"));
	roster_manifest_cleanup(&m);
	roster_problems_cleanup(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_by_name_in_any_order),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_role_mapping),
		cmocka_unit_test(test_dates_and_values),
		cmocka_unit_test(test_status_by_mode),
		cmocka_unit_test(test_manifest),
	};
	return cmocka_run_group_tests_name("roster oneroster", tests, NULL, NULL);
}
