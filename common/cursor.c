/* cursor.c - opaque keyset pagination cursors. */
#include "common/cursor.h"

#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "common/base64url.h"

#define CURSOR_VERSION 1
#define CURSOR_BYTES 25 /* version, int64 big-endian, 16-byte uuid */
#define CURSOR_MAX_TEXT 64

char *hg_cursor_encode(const struct hg_cursor *c)
{
	unsigned char raw[CURSOR_BYTES];
	uint64_t k = (uint64_t)c->key;
	uuid_t u;

	raw[0] = CURSOR_VERSION;
	for (int i = 0; i < 8; i++)
		raw[1 + i] = (unsigned char)(k >> (56 - 8 * i));
	if (uuid_parse(c->id, u) != 0)
		memset(u, 0, sizeof(u));
	memcpy(raw + 9, u, 16);
	return hg_b64url_encode(raw, sizeof(raw));
}

enum hg_status hg_cursor_decode(const char *text, struct hg_cursor *out)
{
	size_t len = strlen(text);
	size_t n = 0;
	uint64_t k = 0;
	unsigned char *raw;

	if (len == 0 || len > CURSOR_MAX_TEXT)
		return HG_BAD_REQUEST;
	raw = hg_b64url_decode(text, len, &n);
	if (raw == NULL)
		return HG_BAD_REQUEST;
	if (n != CURSOR_BYTES || raw[0] != CURSOR_VERSION) {
		free(raw);
		return HG_BAD_REQUEST;
	}
	for (int i = 0; i < 8; i++)
		k = k << 8 | raw[1 + i];
	out->key = (int64_t)k;
	uuid_unparse_lower(raw + 9, out->id);
	free(raw);
	return HG_OK;
}
