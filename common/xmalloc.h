/* xmalloc.h - allocation that aborts on out-of-memory.
 *
 * Small allocations cannot fail from the caller's point of view, so error
 * paths exist only for real errors (input, database, network).
 */
#ifndef HG_XMALLOC_H
#define HG_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new heap string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
