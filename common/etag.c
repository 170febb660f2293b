/* etag.c - strong ETags from row versions, and If-Match as versions. */
#include "common/etag.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hg_etag_format(long version, char *buf, size_t len) { snprintf(buf, len, "\"%ld\"", version); }

/* One list entry of len characters: a strong ETag "<digits>" gives its version. */
static int entry_version(const char *p, size_t len, long *out)
{
	char digits[24];
	char *end = NULL;
	if (len < 3 || len - 2 >= sizeof(digits) || p[0] != '"' || p[len - 1] != '"')
		return 0;
	memcpy(digits, p + 1, len - 2);
	digits[len - 2] = '\0';
	/* The canonical decimal form only, as the ETag is written: no sign, no leading zero. */
	if (digits[0] < '0' || digits[0] > '9' || (digits[0] == '0' && digits[1] != '\0'))
		return 0;
	errno = 0;
	long v = strtol(digits, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	*out = v;
	return 1;
}

void hg_precondition_parse(const char *im, struct hg_precondition *out)
{
	memset(out, 0, sizeof(*out));
	if (im == NULL || strcmp(im, "*") == 0) {
		out->any = 1;
		return;
	}
	/* A list of ETags is allowed; each entry is compared exactly (strong comparison). */
	const char *p = im;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		size_t trimmed = len;
		while (trimmed > 0 && p[trimmed - 1] == ' ')
			trimmed--;
		long v;
		if (trimmed > 0 && out->n < HG_PRECONDITION_MAX && entry_version(p, trimmed, &v))
			out->versions[out->n++] = v;
		p += len;
	}
}

int hg_precondition_holds(const struct hg_precondition *p, long version)
{
	if (p == NULL || p->any)
		return 1;
	for (size_t i = 0; i < p->n; i++)
		if (p->versions[i] == version)
			return 1;
	return 0;
}

int hg_etag_match(const char *im, long version)
{
	struct hg_precondition p;
	hg_precondition_parse(im, &p);
	return hg_precondition_holds(&p, version);
}
