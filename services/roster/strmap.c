/* strmap.c - a string-keyed hash map of longs (open addressing, linear probing). */
#include "services/roster/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

void roster_strmap_init(struct roster_strmap *m) { memset(m, 0, sizeof(*m)); }

void roster_strmap_cleanup(struct roster_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

/* FNV-1a, 64 bits. */
static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot holding key, or the empty slot where it would go. cap > 0. */
static size_t slot_of(const struct roster_strmap *m, const char *key)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)hash(key) & mask;
	while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & mask;
	return i;
}

static void grow(struct roster_strmap *m)
{
	struct roster_strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->values = xcalloc(m->cap, sizeof(*m->values));
	for (size_t i = 0; i < old.cap; i++) {
		if (old.keys[i] == NULL)
			continue;
		size_t j = slot_of(m, old.keys[i]);
		m->keys[j] = old.keys[i];
		m->values[j] = old.values[i];
	}
	free(old.keys);
	free(old.values);
}

int roster_strmap_add(struct roster_strmap *m, const char *key, long value, long *existing)
{
	/* Keep the load under 1/2 so probes stay short. */
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t i = slot_of(m, key);
	if (m->keys[i] != NULL) {
		if (existing != NULL)
			*existing = m->values[i];
		return 0;
	}
	m->keys[i] = xstrdup(key);
	m->values[i] = value;
	m->n++;
	return 1;
}

void roster_strmap_set(struct roster_strmap *m, const char *key, long value)
{
	if (roster_strmap_add(m, key, value, NULL) == 0)
		m->values[slot_of(m, key)] = value;
}

int roster_strmap_get(const struct roster_strmap *m, const char *key, long *value)
{
	if (m->cap == 0)
		return 0;
	size_t i = slot_of(m, key);
	if (m->keys[i] == NULL)
		return 0;
	if (value != NULL)
		*value = m->values[i];
	return 1;
}
