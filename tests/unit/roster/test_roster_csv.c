/* Unit tests: the CSV record reader (services/roster/csvfile.c, on libcsv). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "services/roster/csvfile.h"

/* What the callback saw: up to 16 records of up to 8 fields, joined as "a|b|c". */
struct seen {
	size_t n;
	char rows[16][256];
	long lines[16];
	int stop_at; /* stop when this many records were seen (0: never) */
};

static int collect(void *ctx, const struct roster_csv_record *rec)
{
	struct seen *s = ctx;
	if (s->n < 16) {
		char *out = s->rows[s->n];
		out[0] = '\0';
		size_t used = 0;
		for (size_t i = 0; i < rec->n && used < 200; i++)
			used += (size_t)snprintf(out + used, 201 - used, "%s%s", i ? "|" : "", rec->fields[i]);
		s->lines[s->n] = rec->line;
	}
	s->n++;
	return s->stop_at && (int)s->n >= s->stop_at;
}

/* Parse text fed in pieces of `piece` bytes (0: all at once). */
static enum roster_csv_status parse(const char *text, size_t piece, size_t max_field, size_t max_rows, struct seen *s)
{
	struct roster_csv c;
	size_t len = strlen(text);
	assert_int_equal(roster_csv_init(&c, max_field, max_rows, collect, s), 0);
	enum roster_csv_status st = ROSTER_CSV_OK;
	if (piece == 0)
		piece = len ? len : 1;
	for (size_t i = 0; i < len && st == ROSTER_CSV_OK; i += piece)
		st = roster_csv_feed(&c, text + i, len - i < piece ? len - i : piece);
	if (st == ROSTER_CSV_OK)
		st = roster_csv_finish(&c);
	s->lines[15] = c.error_line; /* the last slot holds the error line for the tests below */
	roster_csv_cleanup(&c);
	return st;
}

static void test_rfc4180_quoting(void **state)
{
	(void)state;
	struct seen s = {0};
	const char *text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nlast,,\r\n";
	assert_int_equal(parse(text, 0, 100, 100, &s), ROSTER_CSV_OK);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.rows[0], "a|b|c");
	assert_string_equal(s.rows[1], "x, y|say \"hi\"|two\r\nlines");
	assert_string_equal(s.rows[2], "last||");
	/* the record after a quoted line break starts a line lower */
	assert_int_equal(s.lines[0], 1);
	assert_int_equal(s.lines[1], 2);
	assert_int_equal(s.lines[2], 4);
}

static void test_line_ends_and_blank_lines(void **state)
{
	(void)state;
	const char *texts[] = {"h\nr1\n\nr2\nr3", "h\r\nr1\r\n\r\nr2\r\nr3\r\n", "h\rr1\r\rr2\rr3\r"};
	for (size_t t = 0; t < 3; t++) {
		struct seen s = {0};
		assert_int_equal(parse(texts[t], 0, 100, 100, &s), ROSTER_CSV_OK);
		assert_int_equal(s.n, 4);
		assert_string_equal(s.rows[3], "r3");
		assert_int_equal(s.lines[1], 2);
		assert_int_equal(s.lines[2], 4); /* the blank line 3 is skipped but counted */
		assert_int_equal(s.lines[3], 5);
	}
}

static void test_spaces_are_kept(void **state)
{
	(void)state;
	struct seen s = {0};
	assert_int_equal(parse("h\n  padded  ,\t tab\n", 0, 100, 100, &s), ROSTER_CSV_OK);
	assert_string_equal(s.rows[1], "  padded  |\t tab");
}

static void test_byte_order_mark(void **state)
{
	(void)state;
	const char *text = "\xEF\xBB\xBFsourcedId,name\r\n1,x\r\n";
	/* whole, and one byte at a time (the mark split across feeds) */
	for (size_t piece = 0; piece <= 1; piece++) {
		struct seen s = {0};
		assert_int_equal(parse(text, piece, 100, 100, &s), ROSTER_CSV_OK);
		assert_int_equal(s.n, 2);
		assert_string_equal(s.rows[0], "sourcedId|name");
	}
	/* a short file that only starts like a mark is data */
	struct seen s = {0};
	assert_int_equal(parse("\xEF\xBB", 0, 100, 100, &s), ROSTER_CSV_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.rows[0], "\xEF\xBB");
}

static void test_pieces_do_not_matter(void **state)
{
	(void)state;
	const char *text = "a,b\r\n\"q,\"\"q\"\"\r\n\",2\r\n\r\nz,9";
	struct seen whole = {0};
	assert_int_equal(parse(text, 0, 100, 100, &whole), ROSTER_CSV_OK);
	for (size_t piece = 1; piece < 7; piece++) {
		struct seen s = {0};
		assert_int_equal(parse(text, piece, 100, 100, &s), ROSTER_CSV_OK);
		assert_int_equal(s.n, whole.n);
		for (size_t i = 0; i < s.n; i++) {
			assert_string_equal(s.rows[i], whole.rows[i]);
			assert_int_equal(s.lines[i], whole.lines[i]);
		}
	}
}

static void test_malformed(void **state)
{
	(void)state;
	struct seen s = {0};
	assert_int_equal(parse("h\nok\nbad\"quote\n", 0, 100, 100, &s), ROSTER_CSV_MALFORMED);
	assert_int_equal(s.lines[15], 3);
	memset(&s, 0, sizeof(s));
	assert_int_equal(parse("h\n\"closed\"then text\n", 0, 100, 100, &s), ROSTER_CSV_MALFORMED);
	memset(&s, 0, sizeof(s));
	assert_int_equal(parse("h\nok\n\"never closed,\nmore\n", 0, 100, 100, &s), ROSTER_CSV_MALFORMED);
	assert_int_equal(s.lines[15], 3);
	assert_non_null(roster_csv_reason(ROSTER_CSV_MALFORMED));
}

static void test_limits(void **state)
{
	(void)state;
	struct seen s = {0};
	/* field length: exactly the limit is fine, one more is not */
	assert_int_equal(parse("h\n12345\n", 0, 5, 100, &s), ROSTER_CSV_OK);
	memset(&s, 0, sizeof(s));
	assert_int_equal(parse("h\nok\n1,123456\n", 0, 5, 100, &s), ROSTER_CSV_FIELD_TOO_LONG);
	assert_int_equal(s.lines[15], 3);

	/* a quoted field exactly at the limit, its closing quote the last byte of a piece or of the file
	 * (libcsv holds that quote until the next byte; found by tests/fuzz/roster/fuzz_csv.c) */
	for (size_t piece = 0; piece < 8; piece++) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(parse("\"abc\"\n\"abc\"", piece, 3, 100, &s), ROSTER_CSV_OK);
		assert_int_equal(s.n, 2);
		assert_string_equal(s.rows[1], "abc");
		memset(&s, 0, sizeof(s));
		assert_int_equal(parse("\"a\"\"c\",\"abc\"\n", piece, 3, 100, &s), ROSTER_CSV_OK);
		memset(&s, 0, sizeof(s));
		assert_int_equal(parse("h\n\"abcd\"\n", piece, 3, 100, &s), ROSTER_CSV_FIELD_TOO_LONG);
		assert_int_equal(s.lines[15], 2);
	}

	/* a runaway quoted field is stopped while it is read, well before its end */
	size_t big = 1 << 20;
	char *text = malloc(big + 8);
	memcpy(text, "h\n\"", 3);
	memset(text + 3, 'x', big);
	text[big + 3] = '\0';
	memset(&s, 0, sizeof(s));
	assert_int_equal(parse(text, 4096, 1000, 100, &s), ROSTER_CSV_FIELD_TOO_LONG);
	free(text);

	/* rows: the header does not count */
	memset(&s, 0, sizeof(s));
	assert_int_equal(parse("h\n1\n2\n3\n", 0, 10, 3, &s), ROSTER_CSV_OK);
	memset(&s, 0, sizeof(s));
	assert_int_equal(parse("h\n1\n2\n3\n4\n", 0, 10, 3, &s), ROSTER_CSV_TOO_MANY_ROWS);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.lines[15], 5);

	/* fields per record */
	char wide[1024] = "";
	size_t used = 0;
	for (int i = 0; i <= ROSTER_CSV_MAX_FIELDS; i++)
		used += (size_t)snprintf(wide + used, sizeof(wide) - used, "x,");
	snprintf(wide + used, sizeof(wide) - used, "\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(parse(wide, 0, 10, 10, &s), ROSTER_CSV_TOO_MANY_FIELDS);
}

static void test_callback_stops(void **state)
{
	(void)state;
	struct seen s = {0};
	s.stop_at = 2;
	assert_int_equal(parse("a\nb\nc\nd\n", 0, 10, 10, &s), ROSTER_CSV_STOPPED);
	assert_int_equal(s.n, 2);
}

static void test_nul_bytes_are_counted_not_hidden(void **state)
{
	(void)state;
	struct roster_csv c;
	struct seen s = {0};
	assert_int_equal(roster_csv_init(&c, 100, 100, collect, &s), 0);
	assert_int_equal(roster_csv_feed(&c, "a\0b,c\n", 6), ROSTER_CSV_OK);
	assert_int_equal(roster_csv_finish(&c), ROSTER_CSV_OK);
	roster_csv_cleanup(&c);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.rows[0], "a|c"); /* strlen stops at the NUL; lens[0] is 3 (checked by consumers) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4180_quoting),
		cmocka_unit_test(test_line_ends_and_blank_lines),
		cmocka_unit_test(test_spaces_are_kept),
		cmocka_unit_test(test_byte_order_mark),
		cmocka_unit_test(test_pieces_do_not_matter),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_nul_bytes_are_counted_not_hidden),
	};
	return cmocka_run_group_tests_name("roster csv", tests, NULL, NULL);
}
