/*
 * What the libFuzzer harnesses share (header only). A harness defines LLVMFuzzerTestOneInput; a broken
 * property stops it with FUZZ_CHECK, which libFuzzer reports as a crash and keeps the input.
 */
#ifndef HG_TESTS_FUZZ_H
#define HG_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                            \
	do {                                                                                        \
		if (!(cond)) {                                                                      \
			fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                    \
		}                                                                                   \
	} while (0)

/* The input as a NUL-terminated string (cut at its first NUL byte, as C text would be); caller frees. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
