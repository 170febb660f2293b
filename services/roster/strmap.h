/* strmap.h - a string-keyed hash map of longs (open addressing).
 *
 * Used while an import is parsed: sourcedIds seen per file, and the keys of
 * what is already stored. Keys are copied; the map owns them. Memory only:
 * nothing here is ever logged or written anywhere.
 */
#ifndef ROSTER_STRMAP_H
#define ROSTER_STRMAP_H

#include <stddef.h>

struct roster_strmap {
	char **keys;
	long *values;
	size_t cap; /* a power of two, or 0 before the first insert */
	size_t n;
};

void roster_strmap_init(struct roster_strmap *m);
void roster_strmap_cleanup(struct roster_strmap *m);

/*
 * Insert key with value unless it is there. Returns 1 when inserted, 0 when
 * the key was present (then *existing, if not NULL, holds its value).
 */
int roster_strmap_add(struct roster_strmap *m, const char *key, long value, long *existing);
/* Set key to value, inserting it when absent. */
void roster_strmap_set(struct roster_strmap *m, const char *key, long value);
/* Is key present? Its value into *value when value is not NULL. */
int roster_strmap_get(const struct roster_strmap *m, const char *key, long *value);

#endif
