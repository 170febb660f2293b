/* page.h - one page of a list: its limit, the cursor it starts after, its items and the next cursor.
 *
 * Every list of every service is a keyset page: ?limit= (HG_PAGE_DEFAULT, at
 * most HG_PAGE_MAX) and an opaque ?cursor= naming the last row of the
 * previous page by its sort key and id. The HTTP layer fills limit and after
 * (hg_page_or_reply), the store fills items and next (hg_record_list), the
 * reply sends {"data": items, "next_cursor": next}.
 */
#ifndef HG_PAGE_H
#define HG_PAGE_H

#include <jansson.h>

#include "common/cursor.h"

#define HG_PAGE_DEFAULT 20
#define HG_PAGE_MAX 100

struct hg_page {
	long limit;
	int has_after;
	struct hg_cursor after; /* when has_after */
	json_t *items;          /* new array once read */
	char *next;             /* the next page's cursor, or NULL on the last page */
};

/* An empty page of limit items from the start. */
void hg_page_init(struct hg_page *page, long limit);
/* Free items and next. */
void hg_page_cleanup(struct hg_page *page);

#endif
