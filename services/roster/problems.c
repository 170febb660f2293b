/* problems.c - what is wrong with an import, bounded. */
#include "services/roster/problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

void roster_problems_init(struct roster_problems *p, size_t max)
{
	memset(p, 0, sizeof(*p));
	p->max = max;
}

void roster_problems_clear(struct roster_problems *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].file);
		free(p->items[i].column);
		free(p->items[i].reason);
	}
	p->n = 0;
	p->total = 0;
}

void roster_problems_cleanup(struct roster_problems *p)
{
	roster_problems_clear(p);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

void roster_problems_add(struct roster_problems *p, const char *file, long line, const char *column, const char *fmt,
			 ...)
{
	char reason[512];
	va_list ap;

	p->total++;
	if (p->n >= p->max)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->items = xrealloc(p->items, p->cap * sizeof(*p->items));
	}
	struct roster_problem *it = &p->items[p->n++];
	it->file = file ? xstrdup(file) : NULL;
	it->line = line;
	it->column = column ? xstrdup(column) : NULL;
	it->reason = xstrdup(reason);
}

json_t *roster_problems_json(const struct roster_problems *p)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < p->n; i++) {
		const struct roster_problem *it = &p->items[i];
		char *field;
		if (it->file == NULL)
			field = xstrdup("");
		else if (it->line > 0 && it->column != NULL)
			field = xasprintf("%s:%ld:%s", it->file, it->line, it->column);
		else if (it->line > 0)
			field = xasprintf("%s:%ld", it->file, it->line);
		else
			field = xstrdup(it->file);
		json_array_append_new(arr, json_pack("{s:s, s:s?, s:o, s:s?, s:s}", "field", field, "file", it->file,
						     "line", it->line > 0 ? json_integer(it->line) : json_null(),
						     "column", it->column, "reason", it->reason));
		free(field);
	}
	return arr;
}
