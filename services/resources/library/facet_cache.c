/* facet_cache.c - the library's facet counts, kept per district and query while no write changes them. */
#include "services/resources/library/facet_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xmalloc.h"

struct slot {
	char *key;
	char *writes;
	char *facets;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t counted = PTHREAD_COND_INITIALIZER;
static struct slot slots[FACET_CACHE_SLOTS];
/* The counts under way (key and write count; facets unused): what facet_cache_begin waits for. */
static struct slot counting[FACET_CACHE_COUNTING];

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* Each part with its length first, so that no two different queries give one key. */
static void part(FILE *f, const char *v)
{
	if (v == NULL)
		fputs("-|", f);
	else
		fprintf(f, "%zu:%s|", strlen(v), v);
}

char *facet_cache_key(const char *district_id, const char *today, const struct search_query *q)
{
	char *key = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&key, &len);
	if (f == NULL)
		return NULL;
	part(f, district_id);
	part(f, today);
	part(f, q->q);
	part(f, q->type);
	part(f, q->subject);
	part(f, q->grade_band);
	part(f, q->topic);
	part(f, q->license);
	fprintf(f, "%d", q->review_overdue);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(key);
		return NULL;
	}
	return key;
}

/* The entry of a count under way for key at writes, or NULL. Under lock. */
static struct slot *counting_find(const char *key, const char *writes)
{
	for (size_t i = 0; i < FACET_CACHE_COUNTING; i++)
		if (counting[i].key != NULL && strcmp(counting[i].key, key) == 0 &&
		    strcmp(counting[i].writes, writes) == 0)
			return &counting[i];
	return NULL;
}

/* Ends the count under way for key at writes (if any) and wakes whoever waits. Under lock. */
static void counting_end(const char *key, const char *writes)
{
	struct slot *c = counting_find(key, writes);
	if (c != NULL) {
		free(c->key);
		free(c->writes);
		*c = (struct slot){NULL, NULL, NULL};
	}
	pthread_cond_broadcast(&counted);
}

/* A copy of the slot's facets when it holds key at writes. Under lock. */
static char *kept(const char *key, const char *writes)
{
	struct slot *s = &slots[fnv1a(key) % FACET_CACHE_SLOTS];
	if (s->key != NULL && strcmp(s->key, key) == 0 && strcmp(s->writes, writes) == 0)
		return xstrdup(s->facets);
	return NULL;
}

char *facet_cache_begin(const char *key, const char *writes)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += FACET_CACHE_WAIT_MS / 1000;
	until.tv_nsec += (long)(FACET_CACHE_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&lock);
	char *out = kept(key, writes);
	while (out == NULL && counting_find(key, writes) != NULL) {
		if (pthread_cond_timedwait(&counted, &lock, &until) != 0)
			break; /* waited long enough: count it too */
		out = kept(key, writes);
	}
	if (out == NULL && counting_find(key, writes) == NULL) {
		for (size_t i = 0; i < FACET_CACHE_COUNTING; i++)
			if (counting[i].key == NULL) {
				counting[i] = (struct slot){xstrdup(key), xstrdup(writes), NULL};
				break;
			}
	}
	pthread_mutex_unlock(&lock);
	return out;
}

void facet_cache_abandon(const char *key, const char *writes)
{
	pthread_mutex_lock(&lock);
	counting_end(key, writes);
	pthread_mutex_unlock(&lock);
}

char *facet_cache_get(const char *key, const char *writes)
{
	char *out = NULL;
	struct slot *s = &slots[fnv1a(key) % FACET_CACHE_SLOTS];
	pthread_mutex_lock(&lock);
	if (s->key != NULL && strcmp(s->key, key) == 0 && strcmp(s->writes, writes) == 0)
		out = xstrdup(s->facets);
	pthread_mutex_unlock(&lock);
	return out;
}

void facet_cache_put(const char *key, const char *writes, const char *facets)
{
	struct slot fresh = {xstrdup(key), xstrdup(writes), xstrdup(facets)};
	struct slot *s = &slots[fnv1a(key) % FACET_CACHE_SLOTS];
	pthread_mutex_lock(&lock);
	struct slot old = *s;
	*s = fresh;
	counting_end(key, writes);
	pthread_mutex_unlock(&lock);
	free(old.key);
	free(old.writes);
	free(old.facets);
}

void facet_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < FACET_CACHE_SLOTS; i++) {
		free(slots[i].key);
		free(slots[i].writes);
		free(slots[i].facets);
		slots[i] = (struct slot){NULL, NULL, NULL};
	}
	for (size_t i = 0; i < FACET_CACHE_COUNTING; i++) {
		free(counting[i].key);
		free(counting[i].writes);
		counting[i] = (struct slot){NULL, NULL, NULL};
	}
	pthread_cond_broadcast(&counted);
	pthread_mutex_unlock(&lock);
}
