/* file.h - reading small files whole (keys, key sets), bounded. */
#ifndef HG_FILE_H
#define HG_FILE_H

#include <stddef.h>

/*
 * The contents of path, NUL-terminated (len excludes the NUL), or NULL with err set ("<what>: cannot open ...",
 * "<what>: ... is empty or larger than N bytes"). what names the setting the path came from. Free with free().
 */
unsigned char *hg_file_read(const char *path, size_t max, const char *what, size_t *len, char *err, size_t errlen);

#endif
