/* facet_cache.h - the library's facet counts, kept per district and query while no write changes them.
 *
 * Counting the facets of a query reads every resource it matches (O(matches): search_store.c). A page asked
 * again with the same query and filters (the next page, another client's same refinement) finds the counts
 * here instead, as long as the district's write count (migration 0026: kept by every change of
 * library_resources in the changing transaction, only ever growing) is the one they were counted at: an
 * equal count in the page's snapshot means that no change to the district's resources has committed since,
 * so the counts are exact. Bounded: FACET_CACHE_SLOTS entries (a newer entry takes an older one's slot),
 * each at most a page's facets (5 facets x SEARCH_FACET_VALUES values). Thread-safe.
 */
#ifndef RESOURCES_FACET_CACHE_H
#define RESOURCES_FACET_CACHE_H

#include "services/resources/library/search.h"

#define FACET_CACHE_SLOTS 256

/* The key of q's counts in the district on the given day (review_overdue depends on the date); caller frees. */
char *facet_cache_key(const char *district_id, const char *today, const struct search_query *q);

/* A copy of the facets kept for key at exactly this write count, or NULL; caller frees. */
char *facet_cache_get(const char *key, const char *writes);

/*
 * The facets kept for key at this write count (a copy, caller frees), or NULL: then the caller counts them and
 * hands the result to facet_cache_put, or calls facet_cache_abandon if it could not. While another caller is
 * counting the same key at the same write count, this waits for its result, at most FACET_CACHE_WAIT_MS (then
 * NULL: counted again): clients asking a new query at once count it once. At most FACET_CACHE_COUNTING
 * counts are awaited at a time (a count beyond them is not waited for).
 */
#define FACET_CACHE_WAIT_MS 2000
#define FACET_CACHE_COUNTING 32
char *facet_cache_begin(const char *key, const char *writes);
void facet_cache_abandon(const char *key, const char *writes);

/* Keep facets for key at this write count (replacing whatever held its slot); wakes the callers waiting for it. */
void facet_cache_put(const char *key, const char *writes, const char *facets);

/* Forget everything (tests). */
void facet_cache_clear(void);

#endif
