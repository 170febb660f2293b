/*
 * fuzz_etag - If-Match parsing (common/etag.c).
 * Properties: at most HG_PRECONDITION_MAX versions, none negative; every version read is matched by the
 * header it came from, and its ETag text appears in that header; "*" and no header match anything.
 */
#include "common/etag.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *im = fuzz_text(data, size);
	struct hg_precondition p;
	char tag[32];

	hg_precondition_parse(im, &p);
	FUZZ_CHECK(p.n <= HG_PRECONDITION_MAX);
	if (p.any)
		FUZZ_CHECK(strcmp(im, "*") == 0 && p.n == 0);
	for (size_t i = 0; i < p.n; i++) {
		FUZZ_CHECK(p.versions[i] >= 0);
		FUZZ_CHECK(hg_etag_match(im, p.versions[i]));
		hg_etag_format(p.versions[i], tag, sizeof(tag));
		FUZZ_CHECK(strstr(im, tag) != NULL);
	}
	if (!p.any && p.n == 0)
		FUZZ_CHECK(!hg_etag_match(im, 0) && !hg_etag_match(im, 1));
	FUZZ_CHECK(hg_etag_match(NULL, 7) && hg_etag_match("*", 7));
	free(im);
	return 0;
}
