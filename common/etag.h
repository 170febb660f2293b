/* etag.h - strong ETags from row versions, and If-Match comparison. */
#ifndef HG_ETAG_H
#define HG_ETAG_H

/*
 * Does an If-Match value match the ETag "<version>"? NULL (no header) and "*"
 * match; otherwise any entry of a comma-separated list of strong ETags must
 * equal it exactly (weak ETags never match a change).
 */
int hg_etag_match(const char *if_match, long version);

#endif
