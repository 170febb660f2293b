/* search.h - the library listing's query: parameters, ordering and cursors (pure; no HTTP, no SQL).
 *
 * GET /v1/library/resources takes a text query (q), exact-match filters, the content-currency filter,
 * facets=true, limit and cursor. Without q the listing is newest first; with q it is by relevance, then
 * newest first. A cursor names the last row of a page by its sort key and carries a hash of the query
 * it was made for, so a cursor cannot silently be used with another query.
 */
#ifndef RESOURCES_SEARCH_H
#define RESOURCES_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define SEARCH_Q_MAX 200      /* characters of q, after trimming */
#define SEARCH_LABEL_MAX 64   /* characters of a subject, topic or license filter */
#define SEARCH_FACET_VALUES 50 /* most values listed per facet (the most frequent) */

enum search_order {
	SEARCH_NEWEST = 1,   /* created_at DESC, id DESC */
	SEARCH_RELEVANCE = 2 /* rank DESC, created_at DESC, id DESC */
};

struct search_cursor {
	enum search_order order;
	float rank;         /* SEARCH_RELEVANCE only */
	int64_t created_us; /* created_at, microseconds since the epoch */
	char id[37];
	uint32_t query_hash;
};

struct search_query {
	char *q; /* trimmed; NULL when absent. Owned. */
	const char *type, *subject, *grade_band, *topic, *license; /* borrowed from the request; NULL: absent */
	int review_overdue; /* -1 absent, 0 false, 1 true */
	int facets;
	long limit;
	int has_cursor;
	struct search_cursor after;
};

/*
 * Parse the query parameters (n pairs; keys and values borrowed and kept by out). Every problem is
 * appended to errs as {"field": parameter, "reason"}; returns HG_OK or HG_BAD_REQUEST.
 * Call search_query_cleanup afterwards either way.
 */
enum hg_status search_query_parse(const char *const *keys, const char *const *values, size_t n,
				  struct search_query *out, json_t *errs);
void search_query_cleanup(struct search_query *q);

/* The order the query lists in. */
enum search_order search_query_order(const struct search_query *q);

/* Hash of what selects and orders the rows (q and filters; not limit, cursor or facets). */
uint32_t search_query_hash(const struct search_query *q);

/* New base64url text for c; caller frees. */
char *search_cursor_encode(const struct search_cursor *c);
/* Decode text: HG_OK, or HG_BAD_REQUEST for anything malformed. */
enum hg_status search_cursor_decode(const char *text, struct search_cursor *out);

#endif
