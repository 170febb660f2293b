/* auth.c - bearer JWT verification. */
#include "common/auth.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base64url.h"
#include "common/file.h"
#include "common/identity.h"
#include "common/roles.h"
#include "common/validate.h"
#include "common/xmalloc.h"

#define MAX_KEY_FILE (64 * 1024)

int hg_auth_init(struct hg_auth *auth, const struct hg_config *cfg, char *err, size_t errlen)
{
	memset(auth, 0, sizeof(*auth));
	auth->rs256 = strcmp(cfg->jwt_alg, "RS256") == 0;
	if (cfg->jwt_jwks_url != NULL) {
		auth->jwks = hg_jwks_open_url(cfg->jwt_jwks_url, cfg->jwt_jwks_timeout_s, cfg->jwt_jwks_refresh_s,
					      time(NULL), err, errlen);
		if (auth->jwks == NULL)
			return -1;
	} else if (cfg->jwt_jwks_file != NULL) {
		auth->jwks = hg_jwks_open(cfg->jwt_jwks_file, time(NULL), err, errlen);
		if (auth->jwks == NULL)
			return -1;
	} else if (auth->rs256) {
		auth->key = hg_file_read(cfg->jwt_public_key_file, MAX_KEY_FILE, "HG_JWT_PUBLIC_KEY_FILE",
					 &auth->key_len, err, errlen);
		if (auth->key == NULL)
			return -1;
		if (strstr((const char *)auth->key, "-----BEGIN PUBLIC KEY-----") == NULL) {
			snprintf(err, errlen, "HG_JWT_PUBLIC_KEY_FILE: %s is not a PEM public key",
				 cfg->jwt_public_key_file);
			hg_auth_cleanup(auth);
			return -1;
		}
	} else {
		auth->key_len = strlen(cfg->jwt_secret);
		auth->key = (unsigned char *)xstrdup(cfg->jwt_secret);
	}
	auth->issuer = xstrdup(cfg->jwt_issuer);
	auth->audience = xstrdup(cfg->jwt_audience);
	auth->leeway_s = cfg->jwt_leeway_s;
	auth->identity_claim = xstrdup(cfg->identity_claim != NULL ? cfg->identity_claim : "sub");
	int m = hg_identity_match_from_name(cfg->identity_match != NULL ? cfg->identity_match : "id");
	if (m < 0) {
		snprintf(err, errlen, "HG_IDENTITY_MATCH: %s is not a known match", cfg->identity_match);
		hg_auth_cleanup(auth);
		return -1;
	}
	auth->match = (enum hg_identity_match)m;
	return 0;
}

void hg_auth_cleanup(struct hg_auth *auth)
{
	if (auth->key != NULL)
		memset(auth->key, 0, auth->key_len);
	free(auth->key);
	hg_jwks_close(auth->jwks);
	free(auth->issuer);
	free(auth->audience);
	free(auth->identity_claim);
	memset(auth, 0, sizeof(*auth));
}

/* Decode one base64url JSON segment into an object (new reference) or NULL. */
static json_t *decode_segment(const char *seg, size_t len)
{
	size_t n = 0;
	unsigned char *raw = hg_b64url_decode(seg, len, &n);
	json_t *obj;
	if (raw == NULL)
		return NULL;
	obj = json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL);
	free(raw);
	if (obj != NULL && !json_is_object(obj)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static int audience_matches(json_t *aud, const char *want)
{
	if (json_is_string(aud))
		return strcmp(json_string_value(aud), want) == 0;
	if (json_is_array(aud)) {
		size_t i;
		json_t *v;
		json_array_foreach(aud, i, v) {
			if (json_is_string(v) && strcmp(json_string_value(v), want) == 0)
				return 1;
		}
	}
	return 0;
}

static enum hg_status check_claims(const struct hg_auth *auth, json_t *claims, time_t now, struct hg_principal *out,
				   const char **why)
{
	json_t *exp = json_object_get(claims, "exp");
	json_t *nbf = json_object_get(claims, "nbf");
	json_t *iss = json_object_get(claims, "iss");
	json_t *sub = json_object_get(claims, "sub");
	json_t *district = json_object_get(claims, "district_id");
	json_t *roles = json_object_get(claims, "roles");

	if (!json_is_integer(exp)) {
		*why = "token has no expiry";
		return HG_UNAUTHORIZED;
	}
	/* now - leeway, not exp + leeway: exp is the client's and may be the largest integer JSON allows. */
	if ((long long)now - auth->leeway_s > (long long)json_integer_value(exp)) {
		*why = "token expired";
		return HG_UNAUTHORIZED;
	}
	if (nbf != NULL && (!json_is_integer(nbf) || (long long)now + auth->leeway_s < json_integer_value(nbf))) {
		*why = "token not yet valid";
		return HG_UNAUTHORIZED;
	}
	if (!json_is_string(iss) || strcmp(json_string_value(iss), auth->issuer) != 0) {
		*why = "token issuer not accepted";
		return HG_UNAUTHORIZED;
	}
	if (!audience_matches(json_object_get(claims, "aud"), auth->audience)) {
		*why = "token audience not accepted";
		return HG_UNAUTHORIZED;
	}
	/* No identity claim configured (a struct hg_auth built without hg_auth_init): the sub. */
	const char *claim_name = auth->identity_claim != NULL ? auth->identity_claim : "sub";
	json_t *claim = strcmp(claim_name, "sub") == 0 ? sub : json_object_get(claims, claim_name);
	if (auth->match == HG_MATCH_ID && (!json_is_string(claim) || !hg_is_uuid(json_string_value(claim)))) {
		*why = claim == sub ? "token subject is not a UUID" : "token identity claim is not a UUID";
		return HG_UNAUTHORIZED;
	}
	if (!json_is_string(sub) || json_string_length(sub) == 0 || json_string_length(sub) > HG_SUBJECT_MAX) {
		*why = "token subject is not a string of 1 to 255 bytes";
		return HG_UNAUTHORIZED;
	}
	if (claim != NULL && (!json_is_string(claim) || json_string_length(claim) == 0 ||
			      json_string_length(claim) > HG_IDENTITY_VALUE_MAX)) {
		*why = "token identity claim is not a string of 1 to 320 bytes";
		return HG_UNAUTHORIZED;
	}
	if (!json_is_string(district) || !hg_is_uuid(json_string_value(district))) {
		*why = "token district_id is not a UUID";
		return HG_UNAUTHORIZED;
	}
	if (roles != NULL && !json_is_array(roles)) {
		*why = "token roles is not an array";
		return HG_UNAUTHORIZED;
	}
	memset(out, 0, sizeof(*out));
	snprintf(out->district_id, sizeof(out->district_id), "%s", json_string_value(district));
	snprintf(out->subject, sizeof(out->subject), "%s", json_string_value(sub));
	if (claim != NULL) {
		out->has_claim = 1;
		snprintf(out->claim, sizeof(out->claim), "%s", json_string_value(claim));
	}
	if (auth->match == HG_MATCH_ID)
		hg_uuid_lower(out->claim, out->sub); /* a UUID: checked above */
	for (size_t i = 0; i < 36; i++) {
		out->sub[i] = (char)tolower((unsigned char)out->sub[i]);
		out->district_id[i] = (char)tolower((unsigned char)out->district_id[i]);
	}
	/* Emails match whatever their case (ASCII: what the roster's lower() does in the C locale too). */
	if (auth->match == HG_MATCH_EMAIL)
		for (char *c = out->claim; *c; c++)
			*c = (char)tolower((unsigned char)*c);
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r) {
		/* Roles this service does not know are ignored, not fatal. */
		if (json_is_string(r))
			out->roles |= hg_role_from_claim(json_string_value(r));
	}
	return HG_OK;
}

enum hg_status hg_auth_verify(const struct hg_auth *auth, const char *token, time_t now, struct hg_principal *out,
			      const char **why)
{
	enum hg_status st = HG_UNAUTHORIZED;
	json_t *header = NULL;
	json_t *claims = NULL;
	jwt_t *jwt = NULL;
	char *pem = NULL;
	const char *dot1, *dot2;
	size_t len = strnlen(token, HG_MAX_TOKEN_LEN + 1);

	*why = "malformed token";
	if (len == 0 || len > HG_MAX_TOKEN_LEN)
		goto out;
	dot1 = strchr(token, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (dot1 == NULL || dot2 == NULL || strchr(dot2 + 1, '.') != NULL || dot2[1] == '\0')
		goto out;

	/* Pin the algorithm before libjwt sees the token. */
	header = decode_segment(token, (size_t)(dot1 - token));
	if (header == NULL)
		goto out;
	const char *alg = json_string_value(json_object_get(header, "alg"));
	const unsigned char *key = auth->key;
	size_t key_len = auth->key_len;
	jwt_alg_t want = auth->rs256 ? JWT_ALG_RS256 : JWT_ALG_HS256;
	if (auth->jwks != NULL) {
		/* The key the kid names decides the algorithm; HS256 (and anything else) is refused. */
		const char *kid = json_string_value(json_object_get(header, "kid"));
		enum hg_jwk_alg key_alg;
		if (alg == NULL || (strcmp(alg, "RS256") != 0 && strcmp(alg, "ES256") != 0)) {
			*why = "token algorithm not accepted";
			goto out;
		}
		if (kid == NULL || kid[0] == '\0' || strlen(kid) > HG_JWKS_MAX_KID) {
			*why = "token has no key id";
			goto out;
		}
		pem = hg_jwks_key(auth->jwks, kid, now, &key_alg, &key_len);
		if (pem == NULL) {
			*why = "token key unknown";
			goto out;
		}
		want = key_alg == HG_JWK_ES256 ? JWT_ALG_ES256 : JWT_ALG_RS256;
		if (strcmp(alg, key_alg == HG_JWK_ES256 ? "ES256" : "RS256") != 0) {
			*why = "token algorithm not accepted";
			goto out;
		}
		key = (const unsigned char *)pem;
	} else if (alg == NULL || strcmp(alg, auth->rs256 ? "RS256" : "HS256") != 0) {
		*why = "token algorithm not accepted";
		goto out;
	}

	if (jwt_decode(&jwt, token, key, (int)key_len) != 0 || jwt == NULL) {
		*why = "token signature invalid";
		goto out;
	}
	if (jwt_get_alg(jwt) != want) {
		*why = "token algorithm not accepted";
		goto out;
	}

	claims = decode_segment(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	if (claims == NULL)
		goto out;
	st = check_claims(auth, claims, now, out, why);
out:
	jwt_free(jwt);
	free(pem);
	json_decref(header);
	json_decref(claims);
	return st;
}
