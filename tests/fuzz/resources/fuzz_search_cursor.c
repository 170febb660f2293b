/*
 * fuzz_search_cursor - the library search cursor decoder (services/resources/library/search.c).
 * Properties: any text is refused or decoded without a memory error; a decoded cursor has an order and a
 * tier that go together, a key within the bounds the database can turn back into a time or a date, and
 * encodes back to the same text (padding aside).
 */
#include "services/resources/library/search.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct search_cursor c, d;

	if (search_cursor_decode(text, &c) == HG_OK) {
		char *again = search_cursor_encode(&c);
		size_t len = strlen(text);
		while (len > 0 && text[len - 1] == '=')
			len--;
		FUZZ_CHECK(c.order == SEARCH_NEWEST || c.order == SEARCH_RELEVANCE || c.order == SEARCH_DUE);
		FUZZ_CHECK(c.order == SEARCH_RELEVANCE
				   ? c.tier >= SEARCH_TIER_DESCRIPTION && c.tier <= SEARCH_TIER_TITLE
				   : c.tier == 0);
		FUZZ_CHECK(c.key >= -100000000000000000LL && c.key <= 100000000000000000LL);
		FUZZ_CHECK(strlen(again) == len && memcmp(again, text, len) == 0);
		FUZZ_CHECK(search_cursor_decode(again, &d) == HG_OK);
		FUZZ_CHECK(d.order == c.order && d.tier == c.tier && d.key == c.key && strcmp(d.id, c.id) == 0 &&
			   d.query_hash == c.query_hash);
		free(again);
	}
	free(text);
	return 0;
}
