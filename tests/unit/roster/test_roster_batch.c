/* Unit tests: reading an import's records (services/roster/batch.c): students filtered, problems with file,
 * line and column, references within the import and to what is stored; the change rules (import.c); the
 * string map and the problem list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "services/roster/batch.h"
#include "services/roster/import.h"
#include "services/roster/strmap.h"

#define ORGS "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
#define ROLES "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId\n"
#define USERS "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,email\n"

struct fixture {
	struct roster_keys keys;
	struct roster_problems problems;
	struct roster_batch batch;
};

static void start(struct fixture *f, enum oneroster_mode orgs, enum oneroster_mode roles, enum oneroster_mode users)
{
	enum oneroster_mode modes[OR_NFILES] = {
		[OR_ORGS] = orgs, [OR_SESSIONS] = OR_ABSENT, [OR_ROLES] = roles, [OR_USERS] = users};
	roster_keys_init(&f->keys);
	roster_problems_init(&f->problems, 100);
	roster_batch_init(&f->batch, modes, &f->keys, &f->problems);
}

static void finish(struct fixture *f)
{
	roster_batch_cleanup(&f->batch);
	roster_problems_cleanup(&f->problems);
	roster_keys_cleanup(&f->keys);
}

static void read_file(struct fixture *f, enum oneroster_file file, const char *text)
{
	struct roster_batch_file bf;
	struct roster_csv csv;
	roster_batch_file_init(&bf, &f->batch, file);
	assert_int_equal(roster_csv_init(&csv, 1024, 1000, roster_batch_record, &bf), 0);
	enum roster_csv_status st = roster_csv_feed(&csv, text, strlen(text));
	if (st == ROSTER_CSV_OK)
		st = roster_csv_finish(&csv);
	roster_csv_cleanup(&csv);
	assert_true(st == ROSTER_CSV_OK || st == ROSTER_CSV_STOPPED);
}

static int has(const struct roster_problems *p, const char *file, long line, const char *column,
	       const char *reason_start)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct roster_problem *it = &p->items[i];
		if (it->file && strcmp(it->file, file) == 0 && it->line == line &&
		    (column == NULL ? it->column == NULL : it->column && strcmp(it->column, column) == 0) &&
		    strncmp(it->reason, reason_start, strlen(reason_start)) == 0)
			return 1;
	}
	return 0;
}

/* Does any problem mention s (in any of its strings)? */
static int mentions(const struct roster_problems *p, const char *s)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct roster_problem *it = &p->items[i];
		if (strstr(it->reason, s) || (it->column && strstr(it->column, s)) || (it->file && strstr(it->file, s)))
			return 1;
	}
	return 0;
}

static const char orgs_csv[] = ORGS "d1,,,District,district,,\n"
				    "s1,,,School One,school,,d1\n"
				    "s2,,,School Two,school,,d1\n";

static void test_students_are_dropped_unread(void **state)
{
	(void)state;
	struct fixture f;
	start(&f, OR_BULK, OR_BULK, OR_BULK);
	read_file(&f, OR_ORGS, orgs_csv);
	read_file(&f, OR_ROLES,
		  ROLES "r1,,,t1,primary,teacher,,,s1\n"
			"r2,,,kid-7f3a,primary,student,not-a-date,,nowhere\n"
			"r3,,,mom-1,primary,guardian,,,s1\n"
			"r4,,,p1,primary,proctor,,,s1\n"
			"r5,,,t2,primary,principal,,,s2\n"
			"r6,,,t2,primary,aide,,,s1\n"
			"r7,,,t1,secondary,counselor,,,s1\n");
	read_file(&f, OR_USERS,
		  USERS "t1,,,true,tt,Tara,Teach,tara@x.example\n"
			"kid-7f3a,,,maybe,k,Kiddo,Secretname,not-an-email\n"
			"mom-1,,,true,m,Mom,Guardianname,\n"
			"p1,,,true,p,Pat,Proctor,\n"
			"t2,,,TRUE,t2,Tim,Lead,\n");
	roster_batch_resolve(&f.batch);
	assert_int_equal(f.problems.total, 0);
	assert_int_equal(f.batch.nroles, 4);
	assert_int_equal(f.batch.nusers, 2);
	assert_string_equal(f.batch.users[0].sourced_id, "t1");
	assert_string_equal(f.batch.users[1].sourced_id, "t2");
	assert_int_equal(f.batch.skipped_roles, 3);
	assert_int_equal(f.batch.skipped_users, 3);
	assert_string_equal(f.batch.roles[1].hg_role, "school_leader");
	assert_string_equal(f.batch.roles[2].hg_role, "teacher");
	for (size_t i = 0; i < f.batch.nusers; i++)
		assert_null(strstr(f.batch.users[i].family, "name"));
	finish(&f);
}

static void test_staff_rows_are_checked(void **state)
{
	(void)state;
	struct fixture f;
	start(&f, OR_BULK, OR_BULK, OR_BULK);
	read_file(&f, OR_ORGS, orgs_csv);
	read_file(&f, OR_ROLES,
		  ROLES "r1,,,t1,primary,teacher,2026-02-30,,s1\n"
			"r2,,,t2,main,teacher,,,s1\n"
			"r3,,,t3,primary,Teacher,,,s1\n"
			"r1,,,t4,primary,teacher,,,s2\n"
			"r5,,,t5,primary,aide,2026-09-01,2026-08-01,s9\n");
	read_file(&f, OR_USERS,
		  USERS "t1,,,true,u1,,One,\n"
			"t2,,,yes,u2,Two,Two,two@x\n"
			"t4,,,true,u4,Four,Four,\n"
			"t4,,,true,u4,Four,Again,\n"
			"t5,active,bad-time,true,u5,Five,Five,\n");
	roster_batch_resolve(&f.batch);
	const struct roster_problems *p = &f.problems;
	assert_true(has(p, "roles.csv", 2, "beginDate", "bad date"));
	assert_true(has(p, "roles.csv", 3, "roleType", "unknown enumeration value"));
	assert_true(has(p, "roles.csv", 4, "role", "unknown enumeration value"));
	assert_true(has(p, "roles.csv", 5, "sourcedId", "duplicate sourcedId (first on line 2)"));
	assert_true(has(p, "roles.csv", 6, "endDate", "bad date: endDate is before beginDate"));
	assert_true(has(p, "roles.csv", 6, "orgSourcedId", "unknown org reference: not in orgs.csv"));
	assert_true(has(p, "users.csv", 2, "givenName", "missing required field"));
	assert_true(has(p, "users.csv", 3, "enabledUser", "unknown enumeration value"));
	assert_true(has(p, "users.csv", 3, "email", "is not an e-mail address"));
	assert_true(has(p, "users.csv", 5, "sourcedId", "duplicate sourcedId (first on line 4)"));
	/* bulk: the file is the complete set, a status or a date is a problem (OneRoster 1.2.1) */
	assert_true(has(p, "users.csv", 6, "status", "must be empty in bulk mode"));
	assert_true(has(p, "users.csv", 6, "dateLastModified", "must be empty in bulk mode"));
	/* t2's only role at s1 has no valid roleType, so no primary one */
	assert_true(has(p, "roles.csv", 3, "roleType", "no primary role of this user at this org"));
	assert_int_equal(p->total, 13);
	finish(&f);
}

/* Exactly one primary role per (user, org) pair of active staff roles (OneRoster 1.2 RoleDType.roleType). */
static void test_one_primary_role_per_user_and_org(void **state)
{
	(void)state;
	struct fixture f;
	start(&f, OR_BULK, OR_BULK, OR_ABSENT);
	read_file(&f, OR_ORGS, orgs_csv);
	read_file(&f, OR_ROLES,
		  ROLES "r1,,,t1,primary,teacher,,,s1\n" /* t1 at s1: one primary, one secondary: fine */
			"r2,,,t1,secondary,counselor,,,s1\n"
			"r3,,,t1,secondary,aide,,,s2\n"    /* t1 at s2: no primary */
			"r4,,,t1,secondary,teacher,,,s2\n" /* (reported once, at the pair's first row) */
			"r5,,,t2,primary,teacher,,,s1\n"   /* t2 at s1: two primaries */
			"r6,,,t2,primary,aide,,,s1\n"
			"r7,,,p1,primary,proctor,,,s2\n" /* a dropped proctor role still counts as primary */
			"r8,,,p1,secondary,teacher,,,s2\n"
			"r9,,,t3,secondary,teacher,,,s2\n"     /* t3 at s2: its primary role is a student's: a */
			"r10,,,kid-1,primary,student,,,s2\n"); /* different user, no effect */
	f.batch.unreadable[OR_USERS] = 1;                      /* users are not this test's concern */
	roster_batch_resolve(&f.batch);
	const struct roster_problems *p = &f.problems;
	assert_true(has(p, "roles.csv", 4, "roleType", "no primary role of this user at this org"));
	assert_true(has(p, "roles.csv", 7, "roleType",
			"a second primary role of this user at this org (the first on "
			"line 6)"));
	assert_true(has(p, "roles.csv", 10, "roleType", "no primary role of this user at this org"));
	assert_int_equal(p->total, 3);
	finish(&f);

	/* delta: the primary role may be stored already; only a second one in the file is a problem */
	start(&f, OR_BULK, OR_DELTA, OR_ABSENT);
	read_file(&f, OR_ORGS, orgs_csv);
	read_file(&f, OR_ROLES,
		  ROLES "r3,active,2026-08-01T00:00:00Z,t1,secondary,aide,,,s2\n"
			"r5,active,2026-08-01T00:00:00Z,t2,primary,teacher,,,s1\n"
			"r6,active,2026-08-01T00:00:00Z,t2,primary,aide,,,s1\n"
			"r1,tobedeleted,2026-08-01T00:00:00Z,t2,primary,teacher,,,s1\n");
	f.batch.unreadable[OR_USERS] = 1; /* users are not this test's concern */
	roster_batch_resolve(&f.batch);
	assert_true(has(&f.problems, "roles.csv", 4, "roleType", "a second primary role"));
	assert_int_equal(f.problems.total, 1);
	finish(&f);
}

static void test_a_user_cannot_be_student_and_staff(void **state)
{
	(void)state;
	struct fixture f;
	start(&f, OR_BULK, OR_BULK, OR_BULK);
	read_file(&f, OR_ORGS, orgs_csv);
	read_file(&f, OR_ROLES, ROLES "r1,,,both-9,primary,student,,,s1\nr2,,,both-9,primary,aide,,,s1\n");
	read_file(&f, OR_USERS, USERS "both-9,,,true,b,Both,Ways,\n");
	roster_batch_resolve(&f.batch);
	assert_true(has(&f.problems, "roles.csv", 3, "userSourcedId", "the user also has a student role"));
	assert_int_equal(f.batch.nusers, 0);
	assert_false(mentions(&f.problems, "both-9"));
	finish(&f);

	/* delta: a student role for someone stored as staff */
	start(&f, OR_ABSENT, OR_DELTA, OR_ABSENT);
	roster_strmap_add(&f.keys.educators, "staff-1", 1, NULL);
	read_file(&f, OR_ROLES, ROLES "r9,active,2026-08-01T00:00:00Z,staff-1,primary,student,,,s1\n");
	roster_batch_resolve(&f.batch);
	assert_true(has(&f.problems, "roles.csv", 2, "role", "gives a student role to a user imported as staff"));
	finish(&f);
}

static void test_references_bulk_and_delta(void **state)
{
	(void)state;
	struct fixture f;
	/* bulk orgs: the file is complete, so a stored org does not count */
	start(&f, OR_BULK, OR_DELTA, OR_DELTA);
	roster_strmap_add(&f.keys.orgs, "old-school", 1, NULL);
	roster_strmap_add(&f.keys.educators, "t-old", 1, NULL);
	read_file(&f, OR_ORGS, ORGS "s1,,,One,school,,d0\n");
	read_file(&f, OR_ROLES,
		  ROLES "r1,active,2026-08-01T00:00:00Z,t-old,primary,teacher,,,old-school\n"
			"r2,active,2026-08-01T00:00:00Z,t-new,primary,teacher,,,s1\n"
			"r3,tobedeleted,2026-08-01T00:00:00Z,,,teacher,,,\n");
	read_file(&f, OR_USERS,
		  USERS "t-old,active,2026-08-01T00:00:00Z,true,o,Old,Timer,\n"
			"stranger,active,2026-08-01T00:00:00Z,true,s,Some,One,\n");
	roster_batch_resolve(&f.batch);
	assert_true(has(&f.problems, "orgs.csv", 2, "parentSourcedId", "unknown org reference: not in orgs.csv"));
	assert_true(has(&f.problems, "roles.csv", 2, "orgSourcedId", "unknown org reference: not in orgs.csv"));
	assert_true(has(&f.problems, "roles.csv", 3, "userSourcedId",
			"unknown user reference: not in users.csv nor imported before"));
	assert_int_equal(f.problems.total, 3);
	/* t-old is stored staff (delta roles): kept; the stranger has no staff role anywhere: skipped */
	assert_int_equal(f.batch.nusers, 1);
	assert_int_equal(f.batch.skipped_users, 1);
	assert_int_equal(f.batch.nroles, 3);
	assert_true(f.batch.roles[2].deleted);
	finish(&f);

	/* delta orgs: a stored org is a valid reference */
	start(&f, OR_DELTA, OR_DELTA, OR_ABSENT);
	roster_strmap_add(&f.keys.orgs, "old-school", 1, NULL);
	roster_strmap_add(&f.keys.educators, "t-old", 1, NULL);
	read_file(&f, OR_ORGS, ORGS "s1,active,2026-08-01T00:00:00Z,One,school,,old-school\n");
	read_file(&f, OR_ROLES, ROLES "r1,active,2026-08-01T00:00:00Z,t-old,primary,teacher,,,old-school\n");
	roster_batch_resolve(&f.batch);
	assert_int_equal(f.problems.total, 0);
	finish(&f);

	/* a file with a bad header is not read: references to it are not all reported */
	start(&f, OR_BULK, OR_BULK, OR_BULK);
	read_file(&f, OR_ORGS, "sourcedId,status,dateLastModified,nom,type\ns1,,,One,school\n");
	read_file(&f, OR_ROLES, ROLES "r1,,,t1,primary,teacher,,,s1\n");
	read_file(&f, OR_USERS, USERS "t1,,,true,u,T,One,\n");
	roster_batch_resolve(&f.batch);
	assert_int_equal(f.problems.total, 2); /* nom unknown, name missing */
	assert_true(has(&f.problems, "orgs.csv", 1, "name", "bad header"));
	finish(&f);
}

static void test_delta_rows(void **state)
{
	(void)state;
	struct fixture f;
	start(&f, OR_DELTA, OR_ABSENT, OR_ABSENT);
	read_file(&f, OR_ORGS,
		  ORGS "s1,tobedeleted,2026-08-01T00:00:00Z,,,,\n"
		       "s2,,2026-08-01T00:00:00Z,Two,school,,\n"
		       "s3,active,,Three,school,,\n"
		       "s4,inactive,2026-08-01T00:00:00Z,Four,school,,\n"
		       "s5,active,2026-08-01T00:00:00Z,Five,campus,,s5\n");
	roster_batch_resolve(&f.batch);
	assert_true(has(&f.problems, "orgs.csv", 3, "status", "missing required field in delta mode"));
	assert_true(has(&f.problems, "orgs.csv", 4, "dateLastModified", "missing required field in delta mode"));
	assert_true(has(&f.problems, "orgs.csv", 5, "status", "unknown enumeration value"));
	assert_true(has(&f.problems, "orgs.csv", 6, "type", "unknown enumeration value"));
	assert_true(has(&f.problems, "orgs.csv", 6, "parentSourcedId", "unknown org reference: an org cannot be"));
	assert_int_equal(f.problems.total, 5);
	/* the deletion needs no name or type: its row has no problem */
	assert_int_equal(f.batch.norgs, 5);
	assert_true(f.batch.orgs[0].deleted);
	assert_false(has(&f.problems, "orgs.csv", 2, "name", ""));
	finish(&f);
}

static void test_fields_and_header_counts(void **state)
{
	(void)state;
	struct fixture f;
	start(&f, OR_BULK, OR_BULK, OR_BULK);
	read_file(&f, OR_ORGS,
		  ORGS "s1,,,One,school\n"
		       "s2,,,T\xC3,school,,\n");
	assert_true(has(&f.problems, "orgs.csv", 2, NULL, "has 5 fields; the header has 7"));
	assert_true(has(&f.problems, "orgs.csv", 3, "name", "is not valid UTF-8"));
	finish(&f);
}

static void test_change_rules(void **state)
{
	(void)state;
	char buf[64];
	struct import_counts c = {0};
	assert_int_equal(roster_change_of(NULL, "active"), ROSTER_CREATED);
	assert_int_equal(roster_change_of("active", "active"), ROSTER_UPDATED);
	assert_int_equal(roster_change_of("active", "inactive"), ROSTER_DEACTIVATED);
	assert_int_equal(roster_change_of("inactive", "active"), ROSTER_UPDATED);   /* reactivated */
	assert_int_equal(roster_change_of("inactive", "inactive"), ROSTER_UPDATED); /* renamed while inactive */
	assert_string_equal(roster_event_type("school", ROSTER_CREATED, buf, sizeof(buf)), "school.upserted");
	assert_string_equal(roster_event_type("educator", ROSTER_UPDATED, buf, sizeof(buf)), "educator.upserted");
	assert_string_equal(roster_event_type("educator", ROSTER_DEACTIVATED, buf, sizeof(buf)),
			    "educator.deactivated");
	roster_count(&c, ROSTER_CREATED);
	roster_count(&c, ROSTER_UPDATED);
	roster_count(&c, ROSTER_UPDATED);
	roster_count(&c, ROSTER_DEACTIVATED);
	assert_int_equal(c.created, 1);
	assert_int_equal(c.updated, 2);
	assert_int_equal(c.deactivated, 1);
}

static void test_strmap(void **state)
{
	(void)state;
	struct roster_strmap m;
	char key[32];
	long v;
	roster_strmap_init(&m);
	assert_false(roster_strmap_get(&m, "x", &v));
	for (long i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "key-%ld", i);
		assert_true(roster_strmap_add(&m, key, i, NULL));
	}
	assert_false(roster_strmap_add(&m, "key-77", 5, &v));
	assert_int_equal(v, 77);
	roster_strmap_set(&m, "key-77", 5);
	assert_true(roster_strmap_get(&m, "key-77", &v));
	assert_int_equal(v, 5);
	roster_strmap_set(&m, "new", 9);
	assert_int_equal(m.n, 20001);
	assert_false(roster_strmap_get(&m, "key-20000", NULL));
	roster_strmap_cleanup(&m);
}

static void test_problem_list(void **state)
{
	(void)state;
	struct roster_problems p;
	roster_problems_init(&p, 2);
	roster_problems_add(&p, "users.csv", 12, "email", "is not an e-mail address");
	roster_problems_add(&p, NULL, 0, NULL, "not a zip");
	roster_problems_add(&p, "orgs.csv", 0, NULL, "never listed");
	assert_int_equal(p.total, 3);
	assert_int_equal(p.n, 2);
	json_t *j = roster_problems_json(&p);
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, "[{\"field\":\"users.csv:12:email\",\"file\":\"users.csv\",\"line\":12,\"column\":"
				  "\"email\",\"reason\":\"is not an e-mail address\"},{\"field\":\"\",\"file\":null,"
				  "\"line\":null,\"column\":null,\"reason\":\"not a zip\"}]");
	free(text);
	json_decref(j);
	roster_problems_clear(&p);
	assert_int_equal(p.total, 0);
	roster_problems_cleanup(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_students_are_dropped_unread),
		cmocka_unit_test(test_staff_rows_are_checked),
		cmocka_unit_test(test_one_primary_role_per_user_and_org),
		cmocka_unit_test(test_a_user_cannot_be_student_and_staff),
		cmocka_unit_test(test_references_bulk_and_delta),
		cmocka_unit_test(test_delta_rows),
		cmocka_unit_test(test_fields_and_header_counts),
		cmocka_unit_test(test_change_rules),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_problem_list),
	};
	return cmocka_run_group_tests_name("roster batch", tests, NULL, NULL);
}
