/* csv.h - CSV text for spreadsheets and state systems (RFC 4180), safe against formula injection (pure).
 *
 * A field is quoted when it holds a comma, a quote, CR or LF (a quote inside doubled). A field that a
 * spreadsheet would take for a formula (starting with = + - @, a tab or CR) gets a leading apostrophe, inside
 * quotes, unless it is a plain decimal number ("-1.5" stays a number). Rows end with CRLF.
 */
#ifndef HG_CSV_H
#define HG_CSV_H

#include <stddef.h>

/* A growing text; start with {NULL, 0, 0}, free data when done. */
struct hg_csv {
	char *data;
	size_t len, cap;
};

/* Append raw text (no escaping). */
void hg_csv_put(struct hg_csv *b, const char *s);
/* Append one field, escaped and quoted as above (NULL: empty). */
void hg_csv_field(struct hg_csv *b, const char *s);
/* Append a row: n fields separated by commas, then CRLF. */
void hg_csv_row(struct hg_csv *b, const char *const *fields, size_t n);

#endif
