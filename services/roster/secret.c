/* secret.c - sealing the SIS client secret at rest: AES-256-GCM (OpenSSL's libcrypto). */
#include "services/roster/secret.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

#define NONCE_BYTES 12
#define TAG_BYTES 16
#define PREFIX "v1:"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int secret_key_parse(const char *text, unsigned char key[SECRET_KEY_BYTES])
{
	if (text == NULL || strlen(text) != 2 * SECRET_KEY_BYTES)
		return -1;
	for (size_t i = 0; i < SECRET_KEY_BYTES; i++) {
		int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (unsigned char)(hi * 16 + lo);
	}
	return 0;
}

/* Encrypt (enc 1) or decrypt (enc 0) in into out (same length) with nonce, aad and tag; 0 or -1. */
static int gcm(int enc, const unsigned char *key, const unsigned char *nonce, const char *aad, const unsigned char *in,
	       int len, unsigned char *out, unsigned char *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, ok = ctx != NULL;
	ok = ok && EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) == 1;
	ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) == 1;
	ok = ok && EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc) == 1;
	ok = ok && EVP_CipherUpdate(ctx, NULL, &n, (const unsigned char *)aad, (int)strlen(aad)) == 1;
	ok = ok && (len == 0 || EVP_CipherUpdate(ctx, out, &n, in, len) == 1);
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) == 1;
	ok = ok && EVP_CipherFinal_ex(ctx, out + (len == 0 ? 0 : n), &n) == 1;
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

char *secret_seal(const unsigned char key[SECRET_KEY_BYTES], const char *aad, const char *plain)
{
	size_t len = strlen(plain);
	if (len > SECRET_MAX_PLAIN)
		return NULL;
	size_t raw_len = NONCE_BYTES + len + TAG_BYTES;
	unsigned char *raw = xmalloc(raw_len);
	char *out = NULL;
	if (RAND_bytes(raw, NONCE_BYTES) == 1 && gcm(1, key, raw, aad, (const unsigned char *)plain, (int)len,
						     raw + NONCE_BYTES, raw + NONCE_BYTES + len) == 0) {
		out = xmalloc(sizeof(PREFIX) + 4 * ((raw_len + 2) / 3) + 1);
		memcpy(out, PREFIX, sizeof(PREFIX) - 1);
		EVP_EncodeBlock((unsigned char *)out + sizeof(PREFIX) - 1, raw, (int)raw_len);
	}
	OPENSSL_cleanse(raw, raw_len);
	free(raw);
	return out;
}

char *secret_open(const unsigned char key[SECRET_KEY_BYTES], const char *aad, const char *sealed)
{
	if (sealed == NULL || strncmp(sealed, PREFIX, sizeof(PREFIX) - 1) != 0)
		return NULL;
	const char *b64 = sealed + sizeof(PREFIX) - 1;
	size_t b64_len = strlen(b64);
	if (b64_len == 0 || b64_len % 4 != 0 || b64_len > 4 * ((NONCE_BYTES + SECRET_MAX_PLAIN + TAG_BYTES + 2) / 3))
		return NULL;
	unsigned char *raw = xmalloc(b64_len);
	int decoded = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)b64_len);
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	int pad = (b64[b64_len - 1] == '=') + (b64[b64_len - 2] == '=');
	char *plain = NULL;
	if (decoded >= 0 && decoded - pad >= NONCE_BYTES + TAG_BYTES) {
		int len = decoded - pad - NONCE_BYTES - TAG_BYTES;
		plain = xmalloc((size_t)len + 1);
		if (gcm(0, key, raw, aad, raw + NONCE_BYTES, len, (unsigned char *)plain, raw + NONCE_BYTES + len) ==
			    0 &&
		    memchr(plain, '\0', (size_t)len) == NULL) {
			plain[len] = '\0';
		} else {
			OPENSSL_cleanse(plain, (size_t)len + 1);
			free(plain);
			plain = NULL;
		}
	}
	OPENSSL_cleanse(raw, b64_len);
	free(raw);
	return plain;
}
