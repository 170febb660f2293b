/* auth.h - bearer JWT verification.
 *
 * The algorithm is pinned by configuration (HS256 with a shared secret, or
 * RS256 with a public key), or, with a JWKS key set (HG_JWT_JWKS_FILE), by the
 * key the token's kid names (RS256 for an RSA key, ES256 for an EC P-256 key;
 * common/jwks.h): a token whose header names another algorithm, including
 * "none" and HS256 when a public key is configured, is refused before any
 * signature work. libjwt checks the signature; the claims (exp, nbf, iss,
 * aud, sub, district_id, roles and the identity claim) are checked here. With HG_IDENTITY_MATCH=id the
 * identity claim (HG_IDENTITY_CLAIM, default sub) must be the educator's id, a UUID; otherwise the principal
 * is resolved to an educator after verification (common/identity.h).
 */
#ifndef HG_AUTH_H
#define HG_AUTH_H

#include <stddef.h>
#include <time.h>

#include "common/config.h"
#include "common/jwks.h"
#include "common/status.h"

#define HG_MAX_TOKEN_LEN 8192

/* Longest identity claim value matched (bytes): an email address is at most 320. */
#define HG_IDENTITY_VALUE_MAX 320
/* Longest sub kept for a principal that needs no educator. */
#define HG_SUBJECT_MAX 255

/* What the identity claim holds (HG_IDENTITY_MATCH; common/identity.h). */
enum hg_identity_match {
	HG_MATCH_ID, /* the educator's id itself: no lookup (the behaviour before identities) */
	HG_MATCH_EMAIL,
	HG_MATCH_SOURCED_ID,
	HG_MATCH_USERNAME,
	HG_MATCH_USER_MASTER_ID,
};

struct hg_principal {
	char sub[37];                     /* educator id (UUID); for roles that need no educator, the subject's id */
	char district_id[37];             /* tenant (UUID) */
	unsigned roles;                   /* HG_ROLE bits */
	char subject[HG_SUBJECT_MAX + 1]; /* the token's sub as given */
	char claim[HG_IDENTITY_VALUE_MAX + 1]; /* the identity claim's value (an email lower-cased), when has_claim */
	int has_claim;
};

struct hg_auth {
	int rs256;
	struct hg_jwks *jwks; /* the key set, when configured (then rs256 and key are unused) */
	unsigned char *key;
	size_t key_len;
	char *issuer;
	char *audience;
	long leeway_s;
	char *identity_claim;         /* the claim naming the principal (HG_IDENTITY_CLAIM) */
	enum hg_identity_match match; /* what it holds (HG_IDENTITY_MATCH) */
};

/* Set up from cfg (reads the public key file for RS256, the key set for JWKS). -1 with err set on failure. */
int hg_auth_init(struct hg_auth *auth, const struct hg_config *cfg, char *err, size_t errlen);
void hg_auth_cleanup(struct hg_auth *auth);

/*
 * Verify token at time now. HG_OK fills out; HG_UNAUTHORIZED sets *why to a
 * short static reason fit for a client ("token expired").
 */
enum hg_status hg_auth_verify(const struct hg_auth *auth, const char *token, time_t now, struct hg_principal *out,
			      const char **why);

#endif
