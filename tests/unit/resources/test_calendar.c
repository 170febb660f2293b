/* Unit tests: calendar feeds (services/resources/catalog/calendar.c): RFC 5545 text escaping, line folding at
 * 75 octets, event status, the rendered feed, and the feed secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/resources/catalog/calendar.h"

static void test_escape_text(void **state)
{
	(void)state;
	char *s = calendar_escape_text("a\\b;c,d\r\ne\tf", 1000);
	assert_string_equal(s, "a\\\\b\\;c\\,d\\nef");
	free(s);
	/* the cut never splits a UTF-8 character: "é" is two bytes, 3 bytes hold "a" and "é" */
	s = calendar_escape_text("a\xc3\xa9\xc3\xa9", 4);
	assert_string_equal(s, "a\xc3\xa9");
	free(s);
	/* bytes that are not UTF-8 are dropped: a lead byte never swallows the line break after it */
	s = calendar_escape_text("a\xe2\nb\x82"
				 "c",
				 1000);
	assert_string_equal(s, "a\\nbc");
	free(s);
	s = calendar_escape_text(NULL, 10);
	assert_string_equal(s, "");
	free(s);
}

/* Every line of text ends in CRLF and holds at most 75 octets before it; returns the number of lines. */
static size_t check_lines(const char *text)
{
	size_t lines = 0;
	const char *p = text;
	while (*p) {
		const char *crlf = strstr(p, "\r\n");
		assert_non_null(crlf);
		assert_true(crlf - p <= 75);
		assert_null(memchr(p, '\n', (size_t)(crlf - p)));
		p = crlf + 2;
		lines++;
	}
	return lines;
}

static void test_fold(void **state)
{
	(void)state;
	char line[301];
	memset(line, 'x', 300);
	line[300] = '\0';
	char *f = calendar_fold_line(line);
	/* 75 + 74 + 74 + 74 = 297, then 3 */
	assert_int_equal(check_lines(f), 5);
	assert_int_equal(strlen(f), 300 + 4 * 3 + 2);
	assert_memory_equal(f + 75, "\r\n x", 4);
	free(f);

	/* a line of 75 octets stays one line */
	line[75] = '\0';
	f = calendar_fold_line(line);
	assert_int_equal(check_lines(f), 1);
	free(f);

	/* three-byte characters: a fold never lands inside one (74 + the 3 bytes of "€" would be 77) */
	char utf[200];
	memset(utf, 'y', 74);
	snprintf(utf + 74, sizeof(utf) - 74, "%s", "\xe2\x82\xac\xe2\x82\xac");
	f = calendar_fold_line(utf);
	assert_int_equal(check_lines(f), 2);
	assert_memory_equal(f + 74, "\r\n \xe2\x82\xac\xe2\x82\xac\r\n", 11);
	free(f);
}

static void test_status(void **state)
{
	(void)state;
	assert_string_equal(calendar_event_status("registering", NULL, NULL), "CONFIRMED");
	assert_string_equal(calendar_event_status("completed", NULL, NULL), "CONFIRMED");
	assert_string_equal(calendar_event_status("cancelled", NULL, NULL), "CANCELLED");
	assert_string_equal(calendar_event_status("registering", "registered", NULL), "CONFIRMED");
	assert_string_equal(calendar_event_status("registering", "registered", "approved"), "CONFIRMED");
	assert_string_equal(calendar_event_status("registering", "registered", "pending"), "TENTATIVE");
	assert_string_equal(calendar_event_status("registering", "waitlisted", NULL), "TENTATIVE");
	assert_string_equal(calendar_event_status("registering", "cancelled", NULL), "CANCELLED");
	assert_string_equal(calendar_event_status("cancelled", "registered", NULL), "CANCELLED");
}

static json_t *event(const char *uid, const char *title)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s?, s:s?, s:s, s:s, s:n, s:s}", "uid", uid, "start",
			 "20270115T150000Z", "end", "20270115T163000Z", "created", "20261201T120000Z", "modified",
			 "20261202T080910Z", "sequence", 3, "session_status", "registering", "registration",
			 "waitlisted", "approval", NULL, "title", title, "description", "Bring; your, notes\nplease",
			 "location", "url", "https://meet.example.org/abc def");
}

static void test_render(void **state)
{
	(void)state;
	char title[120];
	memset(title, 'T', 119);
	title[119] = '\0';
	json_t *events = json_array();
	json_array_append_new(events, event("0b7c7a52-6f3e-4d7e-9a43-1a1d2c3b4a59", title));
	json_array_append_new(events, json_pack("{s:s}", "uid", "no-times")); /* left out */
	char *ics = calendar_render(CALENDAR_EDUCATOR, "My, PD", events);
	check_lines(ics);
	assert_true(strncmp(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37) == 0);
	assert_non_null(strstr(ics, "\r\nNAME:My\\, PD\r\n"));
	assert_non_null(strstr(ics, "\r\nUID:0b7c7a52-6f3e-4d7e-9a43-1a1d2c3b4a59@homegrown.catalog\r\n"));
	assert_non_null(strstr(ics, "\r\nDTSTAMP:20261202T080910Z\r\n"));
	assert_non_null(strstr(ics, "\r\nLAST-MODIFIED:20261202T080910Z\r\n"));
	assert_non_null(strstr(ics, "\r\nCREATED:20261201T120000Z\r\n"));
	assert_non_null(strstr(ics, "\r\nSEQUENCE:3\r\n"));
	assert_non_null(strstr(ics, "\r\nDTSTART:20270115T150000Z\r\nDTEND:20270115T163000Z\r\n"));
	assert_non_null(strstr(ics, "\r\nSTATUS:TENTATIVE\r\nTRANSP:TRANSPARENT\r\n"));
	assert_non_null(
		strstr(ics, "\r\nDESCRIPTION:You are on the waitlist.\\n\\nBring\\; your\\, notes\\nplease\r\n"));
	assert_non_null(strstr(ics, "\r\nURL:https://meet.example.org/abcdef\r\n"));
	assert_null(strstr(ics, "LOCATION"));
	assert_null(strstr(ics, "no-times"));
	assert_null(strstr(ics, "VTIMEZONE"));
	assert_null(strstr(strstr(ics, "END:VEVENT") + 1, "BEGIN:VEVENT"));
	/* the 119-character summary is folded; unfolded it is whole */
	assert_null(strstr(ics, title));
	assert_true(strcmp(ics + strlen(ics) - 15, "END:VCALENDAR\r\n") == 0);
	free(ics);

	/* the offered-sessions feeds say nothing of a registration */
	ics = calendar_render(CALENDAR_DISTRICT, "District", events);
	assert_non_null(strstr(ics, "\r\nSTATUS:CONFIRMED\r\n"));
	assert_non_null(strstr(ics, "\r\nDESCRIPTION:Bring\\; your\\, notes\\nplease\r\n"));
	free(ics);
	json_decref(events);

	/* no session: still a component (the grammar wants one) */
	events = json_array();
	ics = calendar_render(CALENDAR_SCHOOL, "School", events);
	check_lines(ics);
	assert_non_null(strstr(ics, "BEGIN:VTIMEZONE\r\nTZID:UTC\r\n"));
	assert_null(strstr(ics, "VEVENT"));
	free(ics);
	json_decref(events);
}

static void test_plc_meeting(void **state)
{
	(void)state;
	json_t *events = json_array();
	json_array_append_new(events, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:b}", "kind",
						"plc_meeting", "uid", "5d0c2c7e-1b7e-4a43-9f3e-2f1a0b9c8d7e",
						"start_date", "20261130", "end_date", "20261201", "created",
						"20261130T170000Z", "modified", "20261201T090000Z", "sequence", 2,
						"title", "Grade 4 math", "minutes", 45, "attended", 1));
	json_array_append_new(events, json_pack("{s:s, s:s, s:s, s:s}", "kind", "plc_meeting", "uid", "bad-day",
						"start_date", "2026-11-30", "modified", "20261201T090000Z"));
	char *ics = calendar_render(CALENDAR_EDUCATOR, "Mine", events);
	check_lines(ics);
	assert_non_null(strstr(ics, "\r\nUID:5d0c2c7e-1b7e-4a43-9f3e-2f1a0b9c8d7e@homegrown.plc\r\n"));
	assert_non_null(strstr(ics, "\r\nDTSTART;VALUE=DATE:20261130\r\nDTEND;VALUE=DATE:20261201\r\n"));
	assert_non_null(strstr(ics, "\r\nSUMMARY:PLC meeting: Grade 4 math\r\n"));
	assert_non_null(strstr(ics, "\r\nDESCRIPTION:A meeting of your PLC\\, 45 minutes. You attended.\r\n"));
	assert_non_null(strstr(ics, "\r\nSEQUENCE:2\r\n"));
	assert_non_null(strstr(ics, "\r\nSTATUS:CONFIRMED\r\nTRANSP:TRANSPARENT\r\n"));
	assert_null(strstr(ics, "bad-day"));
	free(ics);
	json_decref(events);
}

static void test_secrets(void **state)
{
	(void)state;
	char a[CALENDAR_SECRET_LEN + 1], b[CALENDAR_SECRET_LEN + 1];
	char ha[CALENDAR_SECRET_HASH_LEN + 1], hb[CALENDAR_SECRET_HASH_LEN + 1];
	assert_true(calendar_secret_new(a));
	assert_true(calendar_secret_new(b));
	assert_int_equal(strlen(a), CALENDAR_SECRET_LEN);
	assert_string_not_equal(a, b);
	assert_true(calendar_secret_shaped(a));
	assert_true(calendar_secret_hash(a, ha));
	assert_true(calendar_secret_hash(b, hb));
	assert_int_equal(strlen(ha), CALENDAR_SECRET_HASH_LEN);
	assert_string_not_equal(ha, hb);
	/* SHA-256 of "abc" */
	assert_true(calendar_secret_hash("abc", ha));
	assert_string_equal(ha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_false(calendar_secret_shaped(NULL));
	assert_false(calendar_secret_shaped("short"));
	a[5] = '.';
	assert_false(calendar_secret_shaped(a));
	a[5] = '/';
	assert_false(calendar_secret_shaped(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_text), cmocka_unit_test(test_fold),    cmocka_unit_test(test_status),
		cmocka_unit_test(test_render),      cmocka_unit_test(test_secrets), cmocka_unit_test(test_plc_meeting),
	};
	return cmocka_run_group_tests_name("calendar feeds", tests, NULL, NULL);
}
