/* cursor.h - opaque keyset pagination cursors.
 *
 * A cursor names the last row of a page by its sort key: a 64-bit integer
 * (e.g. created_at in microseconds) and a UUID tie-breaker. It travels as
 * base64url of a versioned 25-byte record, so clients cannot depend on its
 * shape and a damaged cursor is detected.
 */
#ifndef HG_CURSOR_H
#define HG_CURSOR_H

#include <stdint.h>

#include "common/status.h"

struct hg_cursor {
	int64_t key;
	char id[37]; /* canonical lower-case UUID */
};

/* New base64url string for c; caller frees. c->id must be a valid UUID. */
char *hg_cursor_encode(const struct hg_cursor *c);
/* Decode text into out: HG_OK, or HG_BAD_REQUEST for anything malformed. */
enum hg_status hg_cursor_decode(const char *text, struct hg_cursor *out);

#endif
