/* base64url.h - RFC 4648 section 5 encoding without padding. */
#ifndef HG_BASE64URL_H
#define HG_BASE64URL_H

#include <stddef.h>

/* Encode n bytes into a new NUL-terminated string; caller frees. */
char *hg_b64url_encode(const unsigned char *in, size_t n);
/*
 * Decode a base64url string (padding optional) into a new buffer of *outlen
 * bytes (NUL-terminated for convenience); caller frees. NULL on any character
 * outside the alphabet, a bad length or non-zero trailing bits.
 */
unsigned char *hg_b64url_decode(const char *in, size_t inlen, size_t *outlen);

#endif
