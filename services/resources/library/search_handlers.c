/* search_handlers.c - GET /v1/library/resources: the listing and search over HTTP. */
#include <stdlib.h>

#include "common/reply.h"
#include "common/xmalloc.h"
#include "services/resources/library/library_handlers.h"
#include "services/resources/library/search.h"
#include "services/resources/library/search_store.h"

/* Every query parameter as parallel arrays (borrowed from the request). */
static size_t query_pairs(struct hg_request *req, const char ***keys, const char ***values)
{
	const struct _u_map *map = req->u->map_url;
	size_t n = map != NULL ? (size_t)u_map_count(map) : 0;
	*keys = xcalloc(n + 1, sizeof(**keys));
	*values = xcalloc(n + 1, sizeof(**values));
	for (size_t i = 0; i < n; i++) {
		(*keys)[i] = map->keys[i];
		(*values)[i] = map->values[i];
	}
	return n;
}

void search_handle_list(struct hg_request *req)
{
	struct search_query q;
	const char **keys = NULL, **values = NULL;
	size_t n = query_pairs(req, &keys, &values);
	json_t *errs = json_array();
	struct search_page page;
	enum hg_status st;

	st = search_query_parse(keys, values, n, &q, errs);
	if (st != HG_OK) {
		hg_reply_bad_params(req, errs);
		errs = NULL;
		goto out;
	}
	st = search_store_list(req->pool, &req->who, &q, &page);
	if (st != HG_OK)
		hg_reply_status(req, st, "resource");
	else
		hg_reply_page_texts(req, page.rows, page.n, page.next, page.facets);
	search_page_free(&page);
out:
	search_query_cleanup(&q);
	free(keys);
	free(values);
	json_decref(errs);
}
