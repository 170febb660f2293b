/*
 * fuzz_jwt - the bearer token path (common/auth.c, with libjwt and jansson behind it).
 * The first byte chooses how the rest is used: 0, a token as sent; otherwise a header and a claims set
 * (JSON, split at the first NUL byte; no NUL: the claims with an HS256 header) that the harness encodes
 * and signs with the configured secret, so the fuzzer reaches the claim checks past the signature.
 * Properties: no memory error or undefined behaviour on any input; a failure always says why; a token is
 * accepted only with alg HS256, and then names a lower-case UUID subject and district.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/auth.h"
#include "common/base64url.h"
#include "common/validate.h"
#include "tests/fuzz/fuzz.h"

#define SECRET "fuzzing-secret-of-at-least-32-bytes!"
#define NOW 1800000000

static const char default_header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

/* base64url(header) "." base64url(claims) "." base64url(HMAC-SHA256), new string. */
static char *signed_token(const uint8_t *header, size_t hlen, const uint8_t *claims, size_t clen)
{
	char *h = hg_b64url_encode(header, hlen), *c = hg_b64url_encode(claims, clen), *s, *token;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	size_t len = strlen(h) + 1 + strlen(c);
	char *input = malloc(len + 1);

	FUZZ_CHECK(input != NULL);
	snprintf(input, len + 1, "%s.%s", h, c);
	FUZZ_CHECK(HMAC(EVP_sha256(), SECRET, (int)strlen(SECRET), (const unsigned char *)input, len, mac, &maclen) !=
		   NULL);
	s = hg_b64url_encode(mac, maclen);
	token = malloc(len + 1 + strlen(s) + 1);
	FUZZ_CHECK(token != NULL);
	snprintf(token, len + 1 + strlen(s) + 1, "%s.%s", input, s);
	free(h);
	free(c);
	free(s);
	free(input);
	return token;
}

static int is_lower_uuid(const char *s)
{
	if (!hg_is_uuid(s))
		return 0;
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'F')
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hg_auth auth = {0};
	struct hg_principal who;
	const char *why = NULL;
	char *token;
	enum hg_status st;

	if (size == 0)
		return 0;
	auth.key = (unsigned char *)SECRET;
	auth.key_len = strlen(SECRET);
	auth.issuer = (char *)"homegrown-dev";
	auth.audience = (char *)"homegrown";
	auth.leeway_s = 30;
	if (data[0] == 0) {
		token = fuzz_text(data + 1, size - 1);
	} else {
		const uint8_t *rest = data + 1, *nul = memchr(rest, 0, size - 1);
		if (nul != NULL)
			token = signed_token(rest, (size_t)(nul - rest), nul + 1, size - 1 - (size_t)(nul - rest) - 1);
		else
			token = signed_token((const uint8_t *)default_header, strlen(default_header), rest, size - 1);
	}
	st = hg_auth_verify(&auth, token, NOW, &who, &why);
	FUZZ_CHECK(st == HG_OK || st == HG_UNAUTHORIZED);
	if (st == HG_OK) {
		FUZZ_CHECK(is_lower_uuid(who.sub) && is_lower_uuid(who.district_id));
	} else {
		FUZZ_CHECK(why != NULL && why[0] != '\0');
	}
	free(token);
	return 0;
}
