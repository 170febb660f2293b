/*
 * fuzz_jwks - the identity provider's key set parser (common/jwks.c, hg_jwks_parse, with jansson and OpenSSL
 * behind it): the input is a JWKS document as a file or a URL would serve it.
 * Properties: no memory error, leak or undefined behaviour; a document is refused with a reason, or gives 1 to
 * HG_JWKS_MAX_KEYS keys, each with a distinct kid of 1-128 characters, RS256 or ES256, and a PEM public key
 * that OpenSSL reads back (RSA of 2048 bits or more, or EC).
 */
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "common/jwks.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hg_jwk keys[HG_JWKS_MAX_KEYS];
	char err[256] = "";
	int n = hg_jwks_parse((const char *)data, size, keys, err, sizeof(err));

	if (n < 0) {
		FUZZ_CHECK(n == -1 && err[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(n >= 1 && n <= HG_JWKS_MAX_KEYS);
	for (int i = 0; i < n; i++) {
		size_t kid = strnlen(keys[i].kid, sizeof(keys[i].kid));
		FUZZ_CHECK(kid >= 1 && kid <= HG_JWKS_MAX_KID);
		for (int j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(keys[i].kid, keys[j].kid) != 0);
		FUZZ_CHECK(keys[i].alg == HG_JWK_RS256 || keys[i].alg == HG_JWK_ES256);
		FUZZ_CHECK(keys[i].pem != NULL && keys[i].pem_len == strlen(keys[i].pem));
		BIO *mem = BIO_new_mem_buf(keys[i].pem, (int)keys[i].pem_len);
		EVP_PKEY *pkey = PEM_read_bio_PUBKEY(mem, NULL, NULL, NULL);
		FUZZ_CHECK(pkey != NULL);
		if (keys[i].alg == HG_JWK_RS256)
			FUZZ_CHECK(EVP_PKEY_is_a(pkey, "RSA") && EVP_PKEY_get_bits(pkey) >= 2048);
		else
			FUZZ_CHECK(EVP_PKEY_is_a(pkey, "EC") && EVP_PKEY_get_bits(pkey) == 256);
		EVP_PKEY_free(pkey);
		BIO_free(mem);
		hg_jwk_cleanup(&keys[i]);
	}
	return 0;
}
