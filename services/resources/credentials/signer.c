/* signer.c - ES256 signing of VC-JWTs with the issuer's key (OpenSSL 3). */
#include "services/resources/credentials/signer.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base64url.h"
#include "common/xmalloc.h"

#define P256_BYTES 32

struct signer {
	EVP_PKEY *key;
	char kid[65];
};

static EVP_PKEY *generate(void) { return EVP_EC_gen("P-256"); }

static EVP_PKEY *load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *key = NULL;
	char name[32] = "";

	if (f == NULL) {
		snprintf(err, errlen, "cannot open the credential key file %s", path);
		return NULL;
	}
	key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (key == NULL) {
		snprintf(err, errlen, "%s holds no PEM private key", path);
		return NULL;
	}
	/* ES256 is ECDSA over P-256 and nothing else. */
	if (!EVP_PKEY_is_a(key, "EC") ||
	    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name), NULL) != 1 ||
	    strcmp(name, "prime256v1") != 0) {
		snprintf(err, errlen, "%s is not an EC P-256 key (ES256)", path);
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

struct signer *signer_create(const char *path, const char *kid, char *err, size_t errlen)
{
	EVP_PKEY *key = path != NULL && path[0] ? load(path, err, errlen) : generate();
	if (key == NULL) {
		if (path == NULL || !path[0])
			snprintf(err, errlen, "cannot generate an EC P-256 key");
		return NULL;
	}
	if (kid == NULL || !kid[0] || strlen(kid) > 64) {
		snprintf(err, errlen, "the credential key's kid must be 1 to 64 characters");
		EVP_PKEY_free(key);
		return NULL;
	}
	struct signer *s = xcalloc(1, sizeof(*s));
	s->key = key;
	snprintf(s->kid, sizeof(s->kid), "%s", kid);
	return s;
}

void signer_destroy(struct signer *s)
{
	if (s == NULL)
		return;
	EVP_PKEY_free(s->key);
	free(s);
}

const char *signer_kid(const struct signer *s) { return s->kid; }

/* A coordinate of the public point, base64url of its 32 bytes (a new string), or NULL. */
static char *coordinate(const EVP_PKEY *key, const char *param)
{
	BIGNUM *bn = NULL;
	unsigned char buf[P256_BYTES];
	char *out = NULL;
	if (EVP_PKEY_get_bn_param(key, param, &bn) == 1 && BN_bn2binpad(bn, buf, sizeof(buf)) == P256_BYTES)
		out = hg_b64url_encode(buf, sizeof(buf));
	BN_free(bn);
	return out;
}

json_t *signer_jwks(const struct signer *s)
{
	char *x = coordinate(s->key, OSSL_PKEY_PARAM_EC_PUB_X), *y = coordinate(s->key, OSSL_PKEY_PARAM_EC_PUB_Y);
	json_t *out = NULL;
	if (x != NULL && y != NULL)
		out = json_pack("{s:[{s:s, s:s, s:s, s:s, s:s, s:s, s:s}]}", "keys", "kty", "EC", "crv", "P-256", "x",
				x, "y", y, "kid", s->kid, "use", "sig", "alg", "ES256");
	free(x);
	free(y);
	return out;
}

/* base64url of a JSON value's compact text (a new string). */
static char *encode_json(json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT);
	char *out = text ? hg_b64url_encode((const unsigned char *)text, strlen(text)) : NULL;
	free(text);
	return out;
}

/* The DER ECDSA signature as JWS wants it: r and s, 32 bytes each (RFC 7518 section 3.4). */
static int raw_signature(const unsigned char *der, size_t len, unsigned char out[2 * P256_BYTES])
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	int ok = 0;
	if (sig != NULL) {
		const BIGNUM *r = ECDSA_SIG_get0_r(sig), *s = ECDSA_SIG_get0_s(sig);
		ok = BN_bn2binpad(r, out, P256_BYTES) == P256_BYTES &&
		     BN_bn2binpad(s, out + P256_BYTES, P256_BYTES) == P256_BYTES;
	}
	ECDSA_SIG_free(sig);
	return ok;
}

char *signer_sign_jwt(const struct signer *s, json_t *payload)
{
	json_t *header = json_pack("{s:s, s:s, s:s}", "alg", "ES256", "typ", "JWT", "kid", s->kid);
	char *h = encode_json(header), *p = encode_json(payload), *input = NULL, *sig64 = NULL, *out = NULL;
	unsigned char der[128], raw[2 * P256_BYTES];
	size_t derlen = sizeof(der);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	json_decref(header);
	if (h == NULL || p == NULL || ctx == NULL)
		goto out;
	size_t n = strlen(h) + 1 + strlen(p);
	input = xmalloc(n + 1);
	snprintf(input, n + 1, "%s.%s", h, p);
	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, s->key) != 1 ||
	    EVP_DigestSign(ctx, der, &derlen, (const unsigned char *)input, n) != 1 || !raw_signature(der, derlen, raw))
		goto out;
	sig64 = hg_b64url_encode(raw, sizeof(raw));
	out = xmalloc(n + 1 + strlen(sig64) + 1);
	snprintf(out, n + 1 + strlen(sig64) + 1, "%s.%s", input, sig64);
out:
	EVP_MD_CTX_free(ctx);
	free(h);
	free(p);
	free(input);
	free(sig64);
	return out;
}
