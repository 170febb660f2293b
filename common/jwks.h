/* jwks.h - the identity provider's public keys as a JWKS document (RFC 7517), chosen by kid.
 *
 * A key set is read from a file (HG_JWT_JWKS_FILE) and read again when the file changes (its modification
 * time, size or inode; looked at no more than once a second), so an identity provider's key rotation
 * needs no restart: a key added to the file is accepted within a second, a key removed is refused. A file
 * that turns bad (unreadable, not a key set, no usable key) leaves the last good set in use.
 *
 * Or from a URL (HG_JWT_JWKS_URL, http or https): fetched at start (a failure stops start-up), then again every
 * refresh_s seconds and when a token names a kid the set does not hold (at most once every
 * min(refresh_s, 10) seconds), each fetch bounded by timeout_s and 256 KiB; a failed fetch keeps the last
 * good set. Verification never waits for a fetch another request started.
 *
 * Usable keys: "kty":"RSA" (n, e; 2048 bits or more) for RS256 and "kty":"EC" "crv":"P-256" (x, y) for
 * ES256, each with a kid of 1-128 characters; "use" other than "sig" and an "alg" other than the key's own
 * are skipped. At most HG_JWKS_MAX_KEYS keys; the file at most 256 KiB.
 */
#ifndef HG_JWKS_H
#define HG_JWKS_H

#include <stddef.h>
#include <time.h>

#define HG_JWKS_MAX_KEYS 32
#define HG_JWKS_MAX_KID 128

enum hg_jwk_alg { HG_JWK_RS256 = 1, HG_JWK_ES256 = 2 };

struct hg_jwk {
	char kid[HG_JWKS_MAX_KID + 1];
	enum hg_jwk_alg alg;
	char *pem; /* the public key as PEM (SubjectPublicKeyInfo), what libjwt verifies with */
	size_t pem_len;
};

struct hg_jwks;

/* Parses a JWKS document into keys (at most HG_JWKS_MAX_KEYS). Returns the number of usable keys (>= 1), or -1
 * with err set when the document is not a key set or holds no usable key. */
int hg_jwks_parse(const char *json, size_t len, struct hg_jwk *keys, char *err, size_t errlen);
void hg_jwk_cleanup(struct hg_jwk *key);

/* Reads path (now: the time of this first read). NULL with err set ("HG_JWT_JWKS_FILE: ..."). */
struct hg_jwks *hg_jwks_open(const char *path, time_t now, char *err, size_t errlen);
/* Fetches url (now: the time of this first fetch). NULL with err set ("HG_JWT_JWKS_URL: ..."). */
struct hg_jwks *hg_jwks_open_url(const char *url, long timeout_s, long refresh_s, time_t now, char *err, size_t errlen);
void hg_jwks_close(struct hg_jwks *set);

/* A copy of the PEM of the key named kid (free() it) and its algorithm, or NULL when the set has no such
 * key. Looks at the file first when the last look was a second or more before now. Thread-safe. */
char *hg_jwks_key(struct hg_jwks *set, const char *kid, time_t now, enum hg_jwk_alg *alg, size_t *len);

#endif
