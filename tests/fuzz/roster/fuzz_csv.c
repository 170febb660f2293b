/*
 * fuzz_csv - the CSV record reader (services/roster/csvfile.c, on libcsv).
 * Byte 0 sets the field limit (1..64 bytes), byte 1 the row limit (1..16), byte 2 seeds how the input is
 * cut into chunks; the rest is the file. The file is read three times: whole, in chunks of 1..16 bytes
 * (as inflated bytes arrive), and, when it was accepted, whole again with the limit set to its longest
 * field.
 * Properties: no memory error or undefined behaviour; how the bytes arrive changes nothing (accepted in
 * one reading exactly when in the other, and then the same records on the same lines); a field exactly at
 * the limit is accepted; every record respects the limits, counts from 0 and starts on a later line than
 * the one before.
 */
#include "services/roster/csvfile.h"
#include "tests/fuzz/fuzz.h"

struct reading {
	char *log; /* each record: line, index, then each field's length and bytes */
	size_t len, cap;
	size_t max_field, longest;
	long last_line;
	size_t next_index;
};

static void put(struct reading *r, const void *p, size_t n)
{
	if (r->len + n > r->cap) {
		r->cap = (r->len + n) * 2;
		r->log = realloc(r->log, r->cap);
		FUZZ_CHECK(r->log != NULL);
	}
	memcpy(r->log + r->len, p, n);
	r->len += n;
}

static int record(void *ctx, const struct roster_csv_record *rec)
{
	struct reading *r = ctx;

	FUZZ_CHECK(rec->index == r->next_index);
	FUZZ_CHECK(rec->line > r->last_line);
	FUZZ_CHECK(rec->n >= 1 && rec->n <= ROSTER_CSV_MAX_FIELDS);
	r->next_index++;
	r->last_line = rec->line;
	put(r, &rec->line, sizeof(rec->line));
	put(r, &rec->index, sizeof(rec->index));
	for (size_t i = 0; i < rec->n; i++) {
		FUZZ_CHECK(rec->lens[i] <= r->max_field);
		FUZZ_CHECK(rec->fields[i][rec->lens[i]] == '\0');
		if (rec->lens[i] > r->longest)
			r->longest = rec->lens[i];
		put(r, &rec->lens[i], sizeof(rec->lens[i]));
		put(r, rec->fields[i], rec->lens[i]);
	}
	return 0;
}

/* Read the file; chunk_seed 0: in one piece. */
static enum roster_csv_status read_file(const uint8_t *p, size_t len, size_t max_field, size_t max_rows,
					unsigned chunk_seed, struct reading *r)
{
	struct roster_csv csv;
	enum roster_csv_status st = ROSTER_CSV_OK;
	unsigned x = chunk_seed;

	memset(r, 0, sizeof(*r));
	r->max_field = max_field;
	FUZZ_CHECK(roster_csv_init(&csv, max_field, max_rows, record, r) == 0);
	while (len > 0 && st == ROSTER_CSV_OK) {
		size_t n = len;
		if (chunk_seed != 0) {
			x = x * 1103515245u + 12345u;
			n = 1 + (x >> 16) % 16;
			if (n > len)
				n = len;
		}
		st = roster_csv_feed(&csv, p, n);
		p += n;
		len -= n;
	}
	if (st == ROSTER_CSV_OK)
		st = roster_csv_finish(&csv);
	roster_csv_cleanup(&csv);
	FUZZ_CHECK(roster_csv_reason(st) != NULL);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reading whole, chunked, exact;
	enum roster_csv_status a, b, c;

	if (size < 3)
		return 0;
	size_t max_field = 1 + data[0] % 64, max_rows = 1 + data[1] % 16;
	unsigned seed = 1u + data[2];

	a = read_file(data + 3, size - 3, max_field, max_rows, 0, &whole);
	b = read_file(data + 3, size - 3, max_field, max_rows, seed, &chunked);
	FUZZ_CHECK(a != ROSTER_CSV_STOPPED && b != ROSTER_CSV_STOPPED);
	FUZZ_CHECK((a == ROSTER_CSV_OK) == (b == ROSTER_CSV_OK));
	if (a == ROSTER_CSV_OK) {
		FUZZ_CHECK(whole.len == chunked.len &&
			   (whole.len == 0 || memcmp(whole.log, chunked.log, whole.len) == 0));
		if (whole.longest > 0) {
			c = read_file(data + 3, size - 3, whole.longest, max_rows, 0, &exact);
			FUZZ_CHECK(c == ROSTER_CSV_OK);
			free(exact.log);
			c = read_file(data + 3, size - 3, whole.longest, max_rows, seed, &exact);
			FUZZ_CHECK(c == ROSTER_CSV_OK);
			free(exact.log);
		}
	}
	free(whole.log);
	free(chunked.log);
	return 0;
}
