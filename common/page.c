/* page.c - one page of a list. */
#include "common/page.h"

#include <stdlib.h>
#include <string.h>

void hg_page_init(struct hg_page *page, long limit)
{
	memset(page, 0, sizeof(*page));
	page->limit = limit;
}

void hg_page_cleanup(struct hg_page *page)
{
	json_decref(page->items);
	free(page->next);
	page->items = NULL;
	page->next = NULL;
}
