/* problems.h - what is wrong with an import, bounded.
 *
 * Every problem names the file, the line (1-based; 0 when it concerns the
 * whole file or the archive), the column (NULL for a whole line) and a
 * reason. Reasons never quote a value from users.csv or roles.csv, so a
 * student's name or id cannot leak through a report. At most `max` problems
 * are kept; `total` counts all of them.
 */
#ifndef ROSTER_PROBLEMS_H
#define ROSTER_PROBLEMS_H

#include <jansson.h>
#include <stddef.h>

struct roster_problem {
	char *file; /* NULL: the archive itself */
	long line;
	char *column;
	char *reason;
};

struct roster_problems {
	struct roster_problem *items;
	size_t n, cap, max;
	size_t total;
};

void roster_problems_init(struct roster_problems *p, size_t max);
void roster_problems_cleanup(struct roster_problems *p);
/* Forget every problem (a retried transaction parses again). */
void roster_problems_clear(struct roster_problems *p);

void roster_problems_add(struct roster_problems *p, const char *file, long line, const char *column, const char *fmt,
			 ...) __attribute__((format(printf, 5, 6)));

/*
 * The kept problems as the `errors` of a problem document (new reference):
 * [{"field":"users.csv:12:email","file":"users.csv","line":12,"column":"email","reason":"..."}].
 */
json_t *roster_problems_json(const struct roster_problems *p);

#endif
