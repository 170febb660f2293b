/* csvfile.h - RFC 4180 records from a byte stream, on libcsv.
 *
 * Bytes are fed in chunks as they are inflated; each complete record goes
 * to a callback with the physical line it starts on (quoted line breaks
 * counted), so problems can name a line a person finds in an editor. A
 * leading UTF-8 byte-order mark is dropped; CRLF, LF and CR line ends are all
 * accepted; blank lines are skipped; spaces are part of fields (RFC 4180).
 * Limits: field length, fields per record, data records per file. Strict:
 * a quote inside an unquoted field, text after a closing quote, or an
 * unterminated quoted field stop the file as malformed.
 */
#ifndef ROSTER_CSVFILE_H
#define ROSTER_CSVFILE_H

#include <csv.h>
#include <stddef.h>

#define ROSTER_CSV_MAX_FIELDS 256 /* per record */

struct roster_csv_record {
	long line;           /* where the record starts, 1-based */
	size_t index;        /* 0 for the first record (the header) */
	size_t n;            /* fields */
	const char **fields; /* NUL-terminated; borrowed for the callback */
	const size_t *lens;  /* byte lengths (a field may hold a NUL byte) */
};

/* Called for each record; nonzero stops the file (ROSTER_CSV_STOPPED). */
typedef int (*roster_csv_fn)(void *ctx, const struct roster_csv_record *rec);

enum roster_csv_status {
	ROSTER_CSV_OK,
	ROSTER_CSV_MALFORMED,
	ROSTER_CSV_TOO_MANY_ROWS,
	ROSTER_CSV_FIELD_TOO_LONG,
	ROSTER_CSV_TOO_MANY_FIELDS,
	ROSTER_CSV_STOPPED,
};

struct roster_csv {
	struct csv_parser parser;
	size_t max_field;
	size_t max_rows; /* data records, the header not counted */
	roster_csv_fn fn;
	void *ctx;

	enum roster_csv_status status;
	long error_line;    /* where a non-OK status was found */
	size_t error_field; /* the field's position, for ROSTER_CSV_FIELD_TOO_LONG */

	long line;    /* the physical line being read */
	int after_cr; /* the last thing read was an unquoted CR */
	unsigned char bom[3];
	size_t bom_len; /* bytes of a possible byte-order mark held back */
	int started;    /* past the byte-order mark check */
	size_t records;

	/* the record being assembled: field bytes, each NUL-terminated */
	char *buf;
	size_t buf_len, buf_cap;
	size_t offsets[ROSTER_CSV_MAX_FIELDS];
	size_t lens[ROSTER_CSV_MAX_FIELDS];
	const char *fields[ROSTER_CSV_MAX_FIELDS];
	size_t nfields;
	long record_line;
};

/* 0, or -1 when libcsv cannot start (out of memory). */
int roster_csv_init(struct roster_csv *c, size_t max_field, size_t max_rows, roster_csv_fn fn, void *ctx);
void roster_csv_cleanup(struct roster_csv *c);

/* Feed the next bytes; the status so far (anything but OK is final). */
enum roster_csv_status roster_csv_feed(struct roster_csv *c, const void *data, size_t len);
/* The end of the file: flushes a last record without a line end. */
enum roster_csv_status roster_csv_finish(struct roster_csv *c);

/* A short reason for a status, fit for a problem report ("a field is longer than the limit"). */
const char *roster_csv_reason(enum roster_csv_status st);

#endif
