/* etag.h - strong ETags from row versions, and If-Match as versions.
 *
 * The HTTP layer turns If-Match into a precondition (a set of versions, or
 * "any"); stores compare the locked row's integer version with it and never
 * see header text.
 */
#ifndef HG_ETAG_H
#define HG_ETAG_H

#include <stddef.h>

#define HG_PRECONDITION_MAX 8 /* strong ETags read from one If-Match list */

/* What a change may apply to. */
struct hg_precondition {
	int any;  /* no If-Match, or "*" */
	size_t n; /* the versions listed (weak or malformed entries are left out: they never match) */
	long versions[HG_PRECONDITION_MAX];
};

/* Parse an If-Match value (NULL: no header) into out. */
void hg_precondition_parse(const char *if_match, struct hg_precondition *out);

/* May a change apply to a row at version? */
int hg_precondition_holds(const struct hg_precondition *p, long version);

/*
 * Does an If-Match value match the ETag "<version>"? NULL (no header) and "*"
 * match; otherwise any entry of a comma-separated list of strong ETags must
 * equal it exactly (weak ETags never match a change).
 */
int hg_etag_match(const char *if_match, long version);

/* The ETag of version, "\"<version>\"", into buf (at least 24 bytes). */
void hg_etag_format(long version, char *buf, size_t len);

#endif
