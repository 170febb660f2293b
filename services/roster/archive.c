/* archive.c - the uploaded zip, read with libzip under limits. */
#include "services/roster/archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

#define CHUNK (64 * 1024)

enum hg_status roster_zip_open(struct roster_zip *z, const void *data, size_t len, uint64_t max_uncompressed,
			       char *detail, size_t detail_len)
{
	zip_error_t err;
	zip_source_t *src;
	uint64_t declared = 0;

	memset(z, 0, sizeof(*z));
	zip_error_init(&err);
	src = zip_source_buffer_create(data, len, 0, &err);
	if (src == NULL) {
		snprintf(detail, detail_len, "the body cannot be read as a zip archive: %s", zip_error_strerror(&err));
		zip_error_fini(&err);
		return HG_INVALID;
	}
	/* CHECKCONS: the local headers must agree with the central directory. */
	z->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	if (z->za == NULL) {
		snprintf(detail, detail_len, "the body is not a readable zip archive: %s", zip_error_strerror(&err));
		zip_error_fini(&err);
		zip_source_free(src);
		return HG_INVALID;
	}
	zip_error_fini(&err);

	zip_int64_t n = zip_get_num_entries(z->za, 0);
	if (n < 0 || n > ROSTER_ZIP_MAX_ENTRIES) {
		snprintf(detail, detail_len, "the zip archive holds more than %d entries", ROSTER_ZIP_MAX_ENTRIES);
		roster_zip_close(z);
		return HG_INVALID;
	}
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
			snprintf(detail, detail_len, "entry %lld of the zip archive cannot be read", (long long)i);
			roster_zip_close(z);
			return HG_INVALID;
		}
		declared += st.size;
		if (st.size > max_uncompressed || declared > max_uncompressed) {
			snprintf(detail, detail_len,
				 "the zip archive declares more than %llu bytes of uncompressed content",
				 (unsigned long long)max_uncompressed);
			roster_zip_close(z);
			return HG_PAYLOAD_TOO_LARGE;
		}
	}
	z->budget = max_uncompressed;
	z->max = max_uncompressed;
	return HG_OK;
}

void roster_zip_close(struct roster_zip *z)
{
	if (z->za != NULL)
		zip_discard(z->za); /* read-only: nothing to write back; frees the source */
	z->za = NULL;
}

int64_t roster_zip_find(struct roster_zip *z, const char *name)
{
	zip_int64_t i = zip_name_locate(z->za, name, ZIP_FL_ENC_GUESS);
	return i < 0 ? -1 : (int64_t)i;
}

enum hg_status roster_zip_read(struct roster_zip *z, int64_t index, roster_zip_sink sink, void *ctx, char *detail,
			       size_t detail_len)
{
	unsigned char *chunk = NULL;
	enum hg_status st = HG_OK;
	const char *name = zip_get_name(z->za, (zip_uint64_t)index, 0);
	zip_file_t *f = zip_fopen_index(z->za, (zip_uint64_t)index, 0);

	if (f == NULL) {
		snprintf(detail, detail_len, "%s cannot be read from the zip archive: %s", name ? name : "an entry",
			 zip_strerror(z->za));
		return HG_INVALID;
	}
	chunk = xmalloc(CHUNK);
	for (;;) {
		/* Never ask for more than the budget allows, plus one byte to see it overflow. */
		zip_uint64_t want = CHUNK;
		if (z->budget + 1 < want)
			want = z->budget + 1;
		zip_int64_t got = zip_fread(f, chunk, want);
		if (got < 0) {
			snprintf(detail, detail_len, "%s cannot be read from the zip archive: %s",
				 name ? name : "an entry", zip_file_strerror(f));
			st = HG_INVALID;
			break;
		}
		if (got == 0)
			break;
		if ((uint64_t)got > z->budget) {
			snprintf(detail, detail_len, "the zip archive inflates to more than %llu bytes",
				 (unsigned long long)z->max);
			st = HG_PAYLOAD_TOO_LARGE;
			break;
		}
		z->budget -= (uint64_t)got;
		if (sink(ctx, chunk, (size_t)got) != 0)
			break;
	}
	zip_fclose(f);
	free(chunk);
	return st;
}
