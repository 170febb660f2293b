/* search.h - the library listing's query: parameters, ordering and cursors (pure; no HTTP, no SQL).
 *
 * GET /v1/library/resources takes a text query (q), exact-match filters, the content-currency filter,
 * facets=true, limit and cursor. With q the listing is by relevance tier (the query matches the title;
 * else the title and topics; else it needs the description), newest first within a tier; without q but
 * with review_overdue=true it is most overdue first; otherwise newest first. A cursor names the last row
 * of a page by its sort key and carries a hash of the query it was made for, so a cursor cannot silently
 * be used with another query.
 */
#ifndef RESOURCES_SEARCH_H
#define RESOURCES_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

#define SEARCH_Q_MAX 200       /* characters of q, after trimming */
#define SEARCH_LABEL_MAX 64    /* characters of a subject, topic or license filter */
#define SEARCH_FACET_VALUES 50 /* most values listed per facet (the most frequent) */

enum search_order {
	SEARCH_NEWEST = 1,    /* created_at DESC, id DESC */
	SEARCH_RELEVANCE = 2, /* tier DESC, created_at DESC, id DESC */
	SEARCH_DUE = 3        /* review_due_on ASC, id ASC */
};

/* Relevance tiers: where the query matches. */
enum search_tier {
	SEARCH_TIER_DESCRIPTION = 1, /* needs the description */
	SEARCH_TIER_TOPICS = 2,      /* the title and topics match, the title alone does not */
	SEARCH_TIER_TITLE = 3        /* the title alone matches */
};

struct search_cursor {
	enum search_order order;
	int tier;    /* SEARCH_RELEVANCE: the last row's tier; else 0 */
	int64_t key; /* created_at in microseconds since the epoch; SEARCH_DUE: review_due_on in days */
	char id[37];
	uint32_t query_hash;
};

struct search_query {
	char *q;                                                   /* trimmed; NULL when absent. Owned. */
	const char *type, *subject, *grade_band, *topic, *license; /* borrowed from the request; NULL: absent */
	int review_overdue;                                        /* -1 absent, 0 false, 1 true */
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
