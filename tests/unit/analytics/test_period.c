/* Unit tests: ?period= as a date range (services/analytics/period.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "services/analytics/period.h"

static void expect(const char *text, const char *from, const char *to, const char *last)
{
	struct period p;
	assert_int_equal(period_parse(text, &p), HG_OK);
	assert_string_equal(p.from, from);
	assert_string_equal(p.to, to);
	assert_string_equal(p.last, last);
}

static void test_forms(void **state)
{
	(void)state;
	expect("2026", "2026-01-01", "2027-01-01", "2026-12-31");
	expect("2026-Q1", "2026-01-01", "2026-04-01", "2026-03-31");
	expect("2026-Q4", "2026-10-01", "2027-01-01", "2026-12-31");
	expect("2026-02", "2026-02-01", "2026-03-01", "2026-02-28");
	expect("2028-02", "2028-02-01", "2028-03-01", "2028-02-29");
	expect("2000-02", "2000-02-01", "2000-03-01", "2000-02-29");
	expect("2100-02", "2100-02-01", "2100-03-01", "2100-02-28");
	expect("2026-12", "2026-12-01", "2027-01-01", "2026-12-31");
	expect("SY2025", "2025-07-01", "2026-07-01", "2026-06-30");
	expect("SY2099", "2099-07-01", "2100-07-01", "2100-06-30");
	expect("2100", "2100-01-01", "2101-01-01", "2100-12-31");
}

static void test_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {"",        "1999",     "2101",      "202",     "20266",   "2026-",
					  "2026-00", "2026-13",  "2026-Q0",   "2026-Q5", "2026-q1", "SY1999",
					  "SY2100",  "sy2025",   "2025-2026", "2026-1",  " 2026",   "2026 ",
					  "SY20251", "2026-Q12", "+2026",     "2026-0a"};
	struct period p;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(period_parse(bad[i], &p), HG_BAD_REQUEST);
	assert_int_equal(period_parse(NULL, &p), HG_BAD_REQUEST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
