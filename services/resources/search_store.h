/* search_store.h - listing and searching library resources in PostgreSQL (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district and skips deleted resources. With a text query the
 * rows come by relevance tier (title, then title and topics, then the whole document: the A, B and C
 * weights of the search document), newest first within a tier.
 */
#ifndef RESOURCES_SEARCH_STORE_H
#define RESOURCES_SEARCH_STORE_H

#include <jansson.h>

#include "auth.h"
#include "db.h"
#include "search.h"

/*
 * One page for query q. *items is a new array of resources; *next (caller frees) is the cursor of the
 * following page or NULL on the last one. When q->facets, *facets (new reference) is
 * {"total": n, "facets": {"type": {...}, "subject": {...}, ...}} over every matching resource, else NULL.
 */
enum hg_status search_store_list(struct hg_db_pool *pool, const struct hg_principal *who,
				 const struct search_query *q, json_t **items, char **next, json_t **facets);

#endif
