/* etag.c - strong ETags from row versions, and If-Match comparison. */
#include "etag.h"

#include <stdio.h>
#include <string.h>

int hg_etag_match(const char *im, long version)
{
	char etag[32];
	if (im == NULL)
		return 1;
	if (strcmp(im, "*") == 0)
		return 1;
	snprintf(etag, sizeof(etag), "\"%ld\"", version);
	/* A list of ETags is allowed; compare each entry exactly (strong comparison). */
	const char *p = im;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		size_t trimmed = len;
		while (trimmed > 0 && p[trimmed - 1] == ' ')
			trimmed--;
		if (trimmed == strlen(etag) && strncmp(p, etag, trimmed) == 0)
			return 1;
		p += len;
	}
	return 0;
}
