/* archive.h - the uploaded zip, read with libzip under limits.
 *
 * The archive is read from memory. Limits, each checked before any work it
 * guards: the number of entries, the sum of the uncompressed sizes the
 * directory declares, and, while inflating, the bytes actually produced
 * (a directory can lie; reading stops as soon as the budget is spent).
 */
#ifndef ROSTER_ARCHIVE_H
#define ROSTER_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <zip.h>

#include "common/status.h"

#define ROSTER_ZIP_MAX_ENTRIES 256

struct roster_zip {
	zip_t *za;
	uint64_t budget; /* uncompressed bytes still allowed */
	uint64_t max;
};

/*
 * Open data (borrowed; must outlive the archive). HG_OK; HG_INVALID when it
 * is not a readable zip or holds too many entries; HG_PAYLOAD_TOO_LARGE when
 * the directory declares more than max_uncompressed bytes. detail explains.
 */
enum hg_status roster_zip_open(struct roster_zip *z, const void *data, size_t len, uint64_t max_uncompressed,
			       char *detail, size_t detail_len);
void roster_zip_close(struct roster_zip *z);

/* Index of the entry named exactly name (at the top level), or -1. */
int64_t roster_zip_find(struct roster_zip *z, const char *name);

/* Receives inflated bytes; nonzero stops reading (HG_OK is still returned). */
typedef int (*roster_zip_sink)(void *ctx, const void *data, size_t len);

/*
 * Inflate entry index into sink in chunks. HG_OK; HG_PAYLOAD_TOO_LARGE when
 * the archive's budget runs out; HG_INVALID when the entry cannot be read
 * (damaged, encrypted, unsupported compression). detail explains.
 */
enum hg_status roster_zip_read(struct roster_zip *z, int64_t index, roster_zip_sink sink, void *ctx, char *detail,
			       size_t detail_len);

#endif
