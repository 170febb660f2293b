/*
 * fuzz_search_query - the library listing's query parameters (services/resources/library/search.c).
 * The input is a query string after URL decoding, as ulfius hands it over: pairs split at '&', each at its
 * first '=' (no '=': an empty value); at most 64 pairs.
 * Properties: no memory error, leak or undefined behaviour; HG_OK exactly when no problem was added; each
 * problem names its parameter and a reason as strings (JSON text, so not every byte string); an accepted q
 * is 1..SEARCH_Q_MAX characters without surrounding spaces; an accepted cursor belongs to the query.
 */
#include "common/page.h"
#include "common/validate.h"
#include "services/resources/library/search.h"
#include "tests/fuzz/fuzz.h"

#define MAX_PAIRS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *p = text;
	const char *keys[MAX_PAIRS], *values[MAX_PAIRS];
	size_t n = 0, i;
	struct search_query q;
	json_t *errs = json_array(), *e;
	enum hg_status st;

	while (n < MAX_PAIRS) {
		char *amp = strchr(p, '&'), *eq;
		if (amp != NULL)
			*amp = '\0';
		eq = strchr(p, '=');
		if (eq != NULL)
			*eq = '\0';
		keys[n] = p;
		values[n] = eq != NULL ? eq + 1 : "";
		n++;
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	st = search_query_parse(keys, values, n, &q, errs);
	FUZZ_CHECK(st == HG_OK || st == HG_BAD_REQUEST);
	FUZZ_CHECK((st == HG_OK) == (json_array_size(errs) == 0));
	json_array_foreach(errs, i, e) {
		FUZZ_CHECK(json_is_string(json_object_get(e, "field")));
		FUZZ_CHECK(json_is_string(json_object_get(e, "reason")));
	}
	if (st == HG_OK) {
		FUZZ_CHECK(q.limit >= 1 && q.limit <= HG_PAGE_MAX);
		if (q.q != NULL) {
			size_t len = strlen(q.q), chars = hg_utf8_len(q.q);
			FUZZ_CHECK(chars >= 1 && chars <= SEARCH_Q_MAX);
			FUZZ_CHECK(q.q[0] != ' ' && q.q[len - 1] != ' ');
		}
		if (q.has_cursor)
			FUZZ_CHECK(q.after.order == search_query_order(&q) &&
				   q.after.query_hash == search_query_hash(&q));
	}
	search_query_cleanup(&q);
	json_decref(errs);
	free(text);
	return 0;
}
