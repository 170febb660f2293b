/* signer.h - the issuer's signing key and VC-JWTs (ES256, RFC 7515 compact serialisation), with OpenSSL.
 *
 * One issuer key (EC P-256) signs every district's credentials; its `kid` is published in the JWKS
 * (signer_jwks) so that a verifier picks the key from the JWT header. The key comes from a PEM file
 * (HG_RESOURCES_CREDENTIAL_KEY_FILE, "-----BEGIN PRIVATE KEY-----" or "EC PRIVATE KEY"); without one, a key is
 * generated when the service starts, and credentials signed with it stop verifying at the next start (a
 * development setting; logged as a warning).
 */
#ifndef CREDENTIALS_SIGNER_H
#define CREDENTIALS_SIGNER_H

#include <jansson.h>

struct signer;

/* Load the PEM at path (NULL or "": generate a key) for kid. NULL with a message in err on failure. */
struct signer *signer_create(const char *path, const char *kid, char *err, size_t errlen);
void signer_destroy(struct signer *s);

/* The key's kid (borrowed). */
const char *signer_kid(const struct signer *s);

/* A new JWK Set {"keys": [{"kty": "EC", "crv": "P-256", "x", "y", "kid", "use": "sig", "alg": "ES256"}]}. */
json_t *signer_jwks(const struct signer *s);

/* The compact JWS of payload (header {"alg": "ES256", "typ": "JWT", "kid"}); a new string, NULL on failure. */
char *signer_sign_jwt(const struct signer *s, json_t *payload);

#endif
