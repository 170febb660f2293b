/* csv.c - CSV text, RFC 4180 quoting and formula-safe fields (pure). */
#include "common/csv.h"

#include <string.h>

#include "common/xmalloc.h"

static void put(struct hg_csv *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap > 0 ? b->cap * 2 : 4096;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void hg_csv_put(struct hg_csv *b, const char *s) { put(b, s, strlen(s)); }

/* A plain decimal number (a mean, a change, a credit): not a formula, left as it is. */
static int plain_number(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

void hg_csv_field(struct hg_csv *b, const char *s)
{
	if (s == NULL)
		s = "";
	int formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL && !plain_number(s);
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		put(b, "\"", 1);
	if (formula)
		put(b, "'", 1);
	if (!quote) {
		put(b, s, strlen(s));
		return;
	}
	for (const char *p = s; *p != '\0'; p++) {
		put(b, p, 1);
		if (*p == '"') /* a quote doubled inside quotes */
			put(b, p, 1);
	}
	put(b, "\"", 1);
}

void hg_csv_row(struct hg_csv *b, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			put(b, ",", 1);
		hg_csv_field(b, fields[i]);
	}
	put(b, "\r\n", 2);
}
