/* file.c - reading small files whole, bounded. */
#include "common/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

unsigned char *hg_file_read(const char *path, size_t max, const char *what, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open %s: %s", what, path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(max + 1);
	*len = fread(buf, 1, max + 1, f);
	fclose(f);
	if (*len == 0 || *len > max) {
		snprintf(err, errlen, "%s: %s is empty or larger than %zu bytes", what, path, max);
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}
