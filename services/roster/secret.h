/* secret.h - sealing the SIS client secret at rest: AES-256-GCM under a key from configuration (no HTTP, no SQL).
 *
 * A sealed secret is the text "v1:" followed by base64 of a random 12-byte nonce, the ciphertext and the
 * 16-byte tag. The associated data binds it to its owner (the district id): a sealed secret copied to another
 * district's row does not open. The key is HG_ROSTER_SECRET_KEY, 64 hex digits (32 bytes).
 */
#ifndef ROSTER_SECRET_H
#define ROSTER_SECRET_H

#include <stddef.h>

#define SECRET_KEY_BYTES 32
#define SECRET_MAX_PLAIN 1024 /* bytes of a secret that may be sealed */

/* The key from its 64 hex digits into key; 0, or -1 when text is not exactly that. */
int secret_key_parse(const char *text, unsigned char key[SECRET_KEY_BYTES]);

/* plain sealed under key with aad (new string; caller frees), or NULL (too long, or the cipher failed). */
char *secret_seal(const unsigned char key[SECRET_KEY_BYTES], const char *aad, const char *plain);

/* The plaintext of sealed (new string; caller frees), or NULL: malformed, another key, another aad, altered. */
char *secret_open(const unsigned char key[SECRET_KEY_BYTES], const char *aad, const char *sealed);

#endif
