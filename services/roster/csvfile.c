/* csvfile.c - RFC 4180 records from a byte stream, on libcsv. */
#include "services/roster/csvfile.h"

#include <string.h>

#include "common/xmalloc.h"

#define SLICE (64 * 1024) /* bytes handed to libcsv at a time, so a runaway field is caught early */

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

/* RFC 4180: spaces belong to the field; libcsv trims them unless told not to. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

int roster_csv_init(struct roster_csv *c, size_t max_field, size_t max_rows, roster_csv_fn fn, void *ctx)
{
	memset(c, 0, sizeof(*c));
	/* REPALL_NL reports every unquoted CR and LF, which is what line counting needs. */
	if (csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
		return -1;
	csv_set_space_func(&c->parser, no_space);
	c->max_field = max_field;
	c->max_rows = max_rows;
	c->fn = fn;
	c->ctx = ctx;
	c->line = 1;
	return 0;
}

void roster_csv_cleanup(struct roster_csv *c)
{
	csv_free(&c->parser);
	free(c->buf);
	c->buf = NULL;
}

static void fail(struct roster_csv *c, enum roster_csv_status st, long line)
{
	if (c->status != ROSTER_CSV_OK)
		return;
	c->status = st;
	c->error_line = line;
}

static void on_field(void *s, size_t len, void *data)
{
	struct roster_csv *c = data;
	const char *f = s != NULL ? s : "";

	if (c->status != ROSTER_CSV_OK)
		return;
	if (c->nfields == 0)
		c->record_line = c->line;
	c->after_cr = 0;
	if (c->nfields == ROSTER_CSV_MAX_FIELDS) {
		fail(c, ROSTER_CSV_TOO_MANY_FIELDS, c->record_line);
		return;
	}
	if (len > c->max_field) {
		fail(c, ROSTER_CSV_FIELD_TOO_LONG, c->record_line);
		c->error_field = c->nfields;
		return;
	}
	if (c->buf_len + len + 1 > c->buf_cap) {
		c->buf_cap = (c->buf_len + len + 1) * 2;
		c->buf = xrealloc(c->buf, c->buf_cap);
	}
	memcpy(c->buf + c->buf_len, f, len);
	c->buf[c->buf_len + len] = '\0';
	c->offsets[c->nfields] = c->buf_len;
	c->lens[c->nfields] = len;
	c->nfields++;
	c->buf_len += len + 1;
	/* Line breaks inside a quoted field still move an editor's line number. */
	for (size_t i = 0; i < len; i++)
		if (f[i] == '\n' || (f[i] == '\r' && (i + 1 == len || f[i + 1] != '\n')))
			c->line++;
}

static void emit(struct roster_csv *c)
{
	struct roster_csv_record rec;

	if (c->records >= 1 && c->records - 1 >= c->max_rows) {
		fail(c, ROSTER_CSV_TOO_MANY_ROWS, c->record_line);
		return;
	}
	for (size_t i = 0; i < c->nfields; i++)
		c->fields[i] = c->buf + c->offsets[i];
	rec.line = c->record_line;
	rec.index = c->records;
	rec.n = c->nfields;
	rec.fields = c->fields;
	rec.lens = c->lens;
	c->records++;
	if (c->fn(c->ctx, &rec) != 0)
		fail(c, ROSTER_CSV_STOPPED, rec.line);
}

static void on_record_end(int ch, void *data)
{
	struct roster_csv *c = data;
	int had_fields = c->nfields > 0;

	if (c->status != ROSTER_CSV_OK)
		return;
	if (had_fields)
		emit(c);
	c->nfields = 0;
	c->buf_len = 0;
	/* CRLF reaches us as CR then LF with nothing between: one line end. */
	if (ch == '\n') {
		if (!(c->after_cr && !had_fields))
			c->line++;
		c->after_cr = 0;
	} else if (ch == '\r') {
		c->line++;
		c->after_cr = 1;
	}
}

/*
 * The bytes of the field libcsv is still reading. After a quote inside a quoted field (its state
 * FIELD_MIGHT_HAVE_ENDED, 3 in libcsv.c) the buffer also holds that quote, which is dropped if the field
 * ends there: a field exactly at the limit whose closing quote ends a chunk is not too long.
 */
static size_t pending_len(const struct csv_parser *p)
{
	enum { LIBCSV_FIELD_MIGHT_HAVE_ENDED = 3 };
	if (p->pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED && p->entry_pos > p->spaces)
		return p->entry_pos - p->spaces - 1;
	return p->entry_pos;
}

static void parse(struct roster_csv *c, const unsigned char *p, size_t len)
{
	while (len > 0 && c->status == ROSTER_CSV_OK) {
		size_t n = len < SLICE ? len : SLICE;
		size_t done = csv_parse(&c->parser, p, n, on_field, on_record_end, c);
		if (done < n && c->status == ROSTER_CSV_OK) {
			int e = csv_error(&c->parser);
			fail(c, e == CSV_EPARSE ? ROSTER_CSV_MALFORMED : ROSTER_CSV_FIELD_TOO_LONG, c->line);
		}
		/* A field still being read is held in libcsv's buffer: bound it too. */
		if (pending_len(&c->parser) > c->max_field) {
			fail(c, ROSTER_CSV_FIELD_TOO_LONG, c->nfields ? c->record_line : c->line);
			c->error_field = c->nfields;
		}
		p += n;
		len -= n;
	}
}

enum roster_csv_status roster_csv_feed(struct roster_csv *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (!c->started && len > 0) {
		c->bom[c->bom_len++] = *p++;
		len--;
		if (memcmp(c->bom, utf8_bom, c->bom_len) != 0) {
			c->started = 1;
			parse(c, c->bom, c->bom_len); /* not a byte-order mark: ordinary bytes */
		} else if (c->bom_len == sizeof(utf8_bom)) {
			c->started = 1; /* a byte-order mark: dropped */
		}
	}
	parse(c, p, len);
	return c->status;
}

enum roster_csv_status roster_csv_finish(struct roster_csv *c)
{
	if (!c->started) {
		c->started = 1;
		parse(c, c->bom, c->bom_len);
	}
	if (c->status != ROSTER_CSV_OK)
		return c->status;
	if (csv_fini(&c->parser, on_field, on_record_end, c) != 0)
		fail(c, ROSTER_CSV_MALFORMED, c->nfields ? c->record_line : c->line);
	return c->status;
}

const char *roster_csv_reason(enum roster_csv_status st)
{
	switch (st) {
	case ROSTER_CSV_OK:
		return "is valid";
	case ROSTER_CSV_MALFORMED:
		return "is not valid CSV (RFC 4180): a quote inside an unquoted field, text after a closing quote, "
		       "or a quoted field that never ends";
	case ROSTER_CSV_TOO_MANY_ROWS:
		return "has more data rows than the import limit";
	case ROSTER_CSV_FIELD_TOO_LONG:
		return "has a field longer than the import limit";
	case ROSTER_CSV_TOO_MANY_FIELDS:
		return "has a record with more than 256 fields";
	case ROSTER_CSV_STOPPED:
		break;
	}
	return "was not read to the end";
}
