/*
 * fuzz_cursor - the keyset cursor and base64url decoders (common/cursor.c, common/base64url.c).
 * Properties: any text is refused or decoded without a memory error; what decodes is canonical (it encodes
 * back to the same text, padding aside) and a decoded cursor round-trips with a lower-case UUID.
 */
#include <uuid/uuid.h>

#include "common/base64url.h"
#include "common/cursor.h"
#include "tests/fuzz/fuzz.h"

static size_t unpadded_len(const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == '=')
		len--;
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	size_t len = strlen(text), n = 0;
	unsigned char *raw = hg_b64url_decode(text, len, &n);
	struct hg_cursor c, d;

	if (raw != NULL) {
		char *again = hg_b64url_encode(raw, n);
		FUZZ_CHECK(strlen(again) == unpadded_len(text, len) && memcmp(again, text, strlen(again)) == 0);
		FUZZ_CHECK(raw[n] == '\0');
		free(again);
		free(raw);
	}
	if (hg_cursor_decode(text, &c) == HG_OK) {
		uuid_t u;
		char *again = hg_cursor_encode(&c);
		FUZZ_CHECK(uuid_parse(c.id, u) == 0);
		for (const char *p = c.id; *p != '\0'; p++)
			FUZZ_CHECK(!(*p >= 'A' && *p <= 'F'));
		FUZZ_CHECK(hg_cursor_decode(again, &d) == HG_OK);
		FUZZ_CHECK(d.key == c.key && strcmp(d.id, c.id) == 0);
		free(again);
	}
	free(text);
	return 0;
}
