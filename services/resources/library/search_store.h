/* search_store.h - listing and searching library resources in PostgreSQL (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district and skips deleted resources. With a text query the
 * rows come by relevance tier (title, then title and topics, then the whole document: the A, B and C
 * weights of the search document), newest first within a tier.
 */
#ifndef RESOURCES_SEARCH_STORE_H
#define RESOURCES_SEARCH_STORE_H

#include "common/auth.h"
#include "common/db.h"
#include "common/page.h"
#include "services/resources/library/search.h"

/*
 * One page: its resources as JSON texts (PostgreSQL's own json output, passed through to the reply without a
 * parse), the cursor of the following page (NULL on the last one) and, when facets were asked for, the
 * members ',"facets":{"type":{...},...},"total":n' over every matching resource (else NULL).
 */
struct search_page {
	char *rows[HG_PAGE_MAX + 1];
	size_t n;
	char *next;
	char *facets;
};

/* One page for query q into *page (emptied first; free it with search_page_free, also after an error). */
enum hg_status search_store_list(struct hg_db_pool *pool, const struct hg_principal *who, const struct search_query *q,
				 struct search_page *page);
void search_page_free(struct search_page *page);

#endif
