/* jwks.c - the identity provider's public keys (JWKS), chosen by kid, read again when the file changes. */
#include "common/jwks.h"

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <ulfius.h>

#include "common/base64url.h"
#include "common/file.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define MAX_JWKS_FILE (256 * 1024)
#define MIN_RSA_BITS 2048

struct hg_jwks {
	pthread_mutex_t lock;
	char *path; /* the file, or NULL */
	char *url;  /* the URL, or NULL */
	long timeout_s, refresh_s;
	int fetching; /* a request is fetching the URL (the others go on with the keys they have) */
	struct hg_jwk keys[HG_JWKS_MAX_KEYS];
	int nkeys;
	time_t looked;       /* when the file was last looked at */
	struct stat loaded;  /* the file the keys came from (inode, size, modification time) */
	struct stat refused; /* the last file that could not be used (warned about once) */
};

void hg_jwk_cleanup(struct hg_jwk *key)
{
	free(key->pem);
	memset(key, 0, sizeof(*key));
}

/* A base64url member of a JWK decoded, or NULL (absent, not a string, not base64url, empty). */
static unsigned char *member_bytes(json_t *jwk, const char *name, size_t *len)
{
	const char *s = json_string_value(json_object_get(jwk, name));
	unsigned char *raw;
	if (s == NULL)
		return NULL;
	raw = hg_b64url_decode(s, strlen(s), len);
	if (raw != NULL && *len == 0) {
		free(raw);
		return NULL;
	}
	return raw;
}

/* The public key built from params of type "RSA" or "EC", as PEM; NULL when OpenSSL refuses it. */
static char *pem_from_params(const char *type, OSSL_PARAM *params, int min_bits, size_t *pem_len)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY_CTX *check = NULL;
	EVP_PKEY *pkey = NULL;
	BIO *mem = NULL;
	char *pem = NULL;
	char *data = NULL;
	long n;

	if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto out;
	if (EVP_PKEY_get_bits(pkey) < min_bits)
		goto out;
	check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (check == NULL || EVP_PKEY_public_check(check) <= 0)
		goto out;
	mem = BIO_new(BIO_s_mem());
	if (mem == NULL || PEM_write_bio_PUBKEY(mem, pkey) <= 0)
		goto out;
	n = BIO_get_mem_data(mem, &data);
	if (n <= 0)
		goto out;
	pem = xmalloc((size_t)n + 1);
	memcpy(pem, data, (size_t)n);
	pem[n] = '\0';
	*pem_len = (size_t)n;
out:
	BIO_free(mem);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	return pem;
}

static char *rsa_pem(json_t *jwk, size_t *pem_len)
{
	size_t nlen = 0, elen = 0;
	unsigned char *n = member_bytes(jwk, "n", &nlen);
	unsigned char *e = member_bytes(jwk, "e", &elen);
	BIGNUM *bn_n = NULL, *bn_e = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	char *pem = NULL;

	if (n == NULL || e == NULL || nlen > 2048 || elen > 8)
		goto out;
	bn_n = BN_bin2bn(n, (int)nlen, NULL);
	bn_e = BN_bin2bn(e, (int)elen, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (bn_n == NULL || bn_e == NULL || bld == NULL || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (params != NULL)
		pem = pem_from_params("RSA", params, MIN_RSA_BITS, pem_len);
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_n);
	BN_free(bn_e);
	free(n);
	free(e);
	return pem;
}

static char *ec_pem(json_t *jwk, size_t *pem_len)
{
	size_t xlen = 0, ylen = 0;
	unsigned char *x = member_bytes(jwk, "x", &xlen);
	unsigned char *y = member_bytes(jwk, "y", &ylen);
	unsigned char point[65];
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	char *pem = NULL;
	const char *crv = json_string_value(json_object_get(jwk, "crv"));

	if (crv == NULL || strcmp(crv, "P-256") != 0 || x == NULL || y == NULL || xlen != 32 || ylen != 32)
		goto out;
	point[0] = 0x04; /* uncompressed: 04 || x || y */
	memcpy(point + 1, x, 32);
	memcpy(point + 33, y, 32);
	bld = OSSL_PARAM_BLD_new();
	if (bld == NULL || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (params != NULL)
		pem = pem_from_params("EC", params, 256, pem_len);
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	free(x);
	free(y);
	return pem;
}

/* One JWK into key; 0 when it is usable, -1 when it is skipped. */
static int parse_key(json_t *jwk, struct hg_jwk *key)
{
	const char *kty = json_string_value(json_object_get(jwk, "kty"));
	const char *kid = json_string_value(json_object_get(jwk, "kid"));
	const char *use = json_string_value(json_object_get(jwk, "use"));
	const char *alg = json_string_value(json_object_get(jwk, "alg"));
	const char *want;

	if (!json_is_object(jwk) || kty == NULL || kid == NULL || kid[0] == '\0' || strlen(kid) > HG_JWKS_MAX_KID)
		return -1;
	if (json_object_get(jwk, "use") != NULL && (use == NULL || strcmp(use, "sig") != 0))
		return -1;
	memset(key, 0, sizeof(*key));
	if (strcmp(kty, "RSA") == 0) {
		key->alg = HG_JWK_RS256;
		want = "RS256";
		key->pem = rsa_pem(jwk, &key->pem_len);
	} else if (strcmp(kty, "EC") == 0) {
		key->alg = HG_JWK_ES256;
		want = "ES256";
		key->pem = ec_pem(jwk, &key->pem_len);
	} else {
		return -1;
	}
	if (key->pem == NULL || (json_object_get(jwk, "alg") != NULL && (alg == NULL || strcmp(alg, want) != 0))) {
		hg_jwk_cleanup(key);
		return -1;
	}
	snprintf(key->kid, sizeof(key->kid), "%s", kid);
	return 0;
}

int hg_jwks_parse(const char *json, size_t len, struct hg_jwk *keys, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *arr = json_object_get(doc, "keys");
	json_t *jwk;
	size_t i;
	int n = 0;

	if (!json_is_array(arr)) {
		snprintf(err, errlen, "not a JWKS document (an object with a \"keys\" array)");
		json_decref(doc);
		return -1;
	}
	json_array_foreach(arr, i, jwk) {
		if (n == HG_JWKS_MAX_KEYS)
			break;
		if (parse_key(jwk, &keys[n]) != 0)
			continue;
		int dup = 0;
		for (int j = 0; j < n; j++)
			dup |= strcmp(keys[j].kid, keys[n].kid) == 0;
		if (dup)
			hg_jwk_cleanup(&keys[n]); /* the first key of a kid wins */
		else
			n++;
	}
	json_decref(doc);
	if (n == 0)
		snprintf(err, errlen, "no usable key (RSA of 2048 bits or more, or EC P-256, each with a kid)");
	return n > 0 ? n : -1;
}

/* Reads and parses the file into keys; the number of keys, or -1 with err set. */
static int load(const char *path, struct stat *st, struct hg_jwk *keys, char *err, size_t errlen)
{
	size_t len = 0;
	char why[256];
	unsigned char *raw;
	int n;

	if (stat(path, st) != 0)
		memset(st, 0, sizeof(*st));
	raw = hg_file_read(path, MAX_JWKS_FILE, "HG_JWT_JWKS_FILE", &len, err, errlen);
	if (raw == NULL)
		return -1;
	n = hg_jwks_parse((const char *)raw, len, keys, why, sizeof(why));
	free(raw);
	if (n < 0)
		snprintf(err, errlen, "HG_JWT_JWKS_FILE: %s: %s", path, why);
	return n;
}

struct fetched {
	char *data;
	size_t len;
	int too_big;
};

static size_t fetch_write(void *contents, size_t size, size_t nmemb, void *user)
{
	struct fetched *f = user;
	size_t n = size * nmemb;
	if (f->len + n > MAX_JWKS_FILE) {
		f->too_big = 1;
		return 0; /* stops the transfer */
	}
	f->data = xrealloc(f->data, f->len + n + 1);
	memcpy(f->data + f->len, contents, n);
	f->len += n;
	f->data[f->len] = '\0';
	return n;
}

/* Fetches and parses the URL into keys; the number of keys, or -1 with err set. */
static int fetch(const char *url, long timeout_s, struct hg_jwk *keys, char *err, size_t errlen)
{
	struct _u_request req;
	struct _u_response resp;
	struct fetched body = {0};
	char why[256];
	int n = -1;

	ulfius_init_request(&req);
	ulfius_init_response(&resp);
	ulfius_set_request_properties(&req, U_OPT_HTTP_VERB, "GET", U_OPT_HTTP_URL, url, U_OPT_TIMEOUT,
				      (unsigned long)timeout_s, U_OPT_FOLLOW_REDIRECT, 0, U_OPT_NONE);
	int rc = ulfius_send_http_streaming_request(&req, &resp, fetch_write, &body);
	if (body.too_big)
		snprintf(err, errlen, "HG_JWT_JWKS_URL: %s: larger than %d bytes", url, MAX_JWKS_FILE);
	else if (rc != U_OK)
		snprintf(err, errlen, "HG_JWT_JWKS_URL: %s: no answer within %ld s", url, timeout_s);
	else if (resp.status != 200)
		snprintf(err, errlen, "HG_JWT_JWKS_URL: %s: answered %ld", url, resp.status);
	else if (body.len == 0)
		snprintf(err, errlen, "HG_JWT_JWKS_URL: %s: empty answer", url);
	else if ((n = hg_jwks_parse(body.data, body.len, keys, why, sizeof(why))) < 0)
		snprintf(err, errlen, "HG_JWT_JWKS_URL: %s: %s", url, why);
	free(body.data);
	ulfius_clean_request(&req);
	ulfius_clean_response(&resp);
	return n;
}

struct hg_jwks *hg_jwks_open_url(const char *url, long timeout_s, long refresh_s, time_t now, char *err, size_t errlen)
{
	struct hg_jwks *set = xcalloc(1, sizeof(*set));
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(err, errlen, "HG_JWT_JWKS_URL: not an http or https URL: %s", url);
		free(set);
		return NULL;
	}
	set->nkeys = fetch(url, timeout_s, set->keys, err, errlen);
	if (set->nkeys < 0) {
		free(set);
		return NULL;
	}
	set->url = xstrdup(url);
	set->timeout_s = timeout_s;
	set->refresh_s = refresh_s;
	set->looked = now;
	pthread_mutex_init(&set->lock, NULL);
	return set;
}

struct hg_jwks *hg_jwks_open(const char *path, time_t now, char *err, size_t errlen)
{
	struct hg_jwks *set = xcalloc(1, sizeof(*set));
	set->nkeys = load(path, &set->loaded, set->keys, err, errlen);
	if (set->nkeys < 0) {
		free(set);
		return NULL;
	}
	set->path = xstrdup(path);
	set->looked = now;
	pthread_mutex_init(&set->lock, NULL);
	return set;
}

void hg_jwks_close(struct hg_jwks *set)
{
	if (set == NULL)
		return;
	for (int i = 0; i < set->nkeys; i++)
		hg_jwk_cleanup(&set->keys[i]);
	pthread_mutex_destroy(&set->lock);
	free(set->path);
	free(set->url);
	free(set);
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Called with the lock held: reads the file again when it is not the one the keys came from. */
static void refresh(struct hg_jwks *set)
{
	struct stat st;
	struct hg_jwk keys[HG_JWKS_MAX_KEYS];
	char err[512];
	int n;

	if (stat(set->path, &st) == 0 && (same_file(&st, &set->loaded) || same_file(&st, &set->refused)))
		return;
	n = load(set->path, &st, keys, err, sizeof(err));
	if (n < 0) {
		set->refused = st;
		hg_log(HG_LOG_WARN, "key set not reloaded, the last good one stays in use: %s", err);
		return;
	}
	for (int i = 0; i < set->nkeys; i++)
		hg_jwk_cleanup(&set->keys[i]);
	memcpy(set->keys, keys, sizeof(keys[0]) * (size_t)n);
	set->nkeys = n;
	set->loaded = st;
	hg_log(HG_LOG_INFO, "key set reloaded from %s: %d key(s)", set->path, n);
}

static int find(const struct hg_jwks *set, const char *kid)
{
	for (int i = 0; i < set->nkeys; i++)
		if (strcmp(set->keys[i].kid, kid) == 0)
			return i;
	return -1;
}

/* Called with the lock held; returns with it held. Fetches the URL when it is due and no other request is
 * fetching it, with the lock released meanwhile. */
static void refresh_url(struct hg_jwks *set, const char *kid, time_t now)
{
	struct hg_jwk keys[HG_JWKS_MAX_KEYS];
	char err[512];
	long age = (long)(now - set->looked);
	long unknown_after = set->refresh_s < 10 ? set->refresh_s : 10;
	int n;

	if (set->fetching || (age >= 0 && age < set->refresh_s && (find(set, kid) >= 0 || age < unknown_after)))
		return;
	set->fetching = 1;
	set->looked = now;
	pthread_mutex_unlock(&set->lock);
	n = fetch(set->url, set->timeout_s, keys, err, sizeof(err));
	pthread_mutex_lock(&set->lock);
	set->fetching = 0;
	if (n < 0) {
		hg_log(HG_LOG_WARN, "key set not fetched, the last good one stays in use: %s", err);
		return;
	}
	for (int i = 0; i < set->nkeys; i++)
		hg_jwk_cleanup(&set->keys[i]);
	memcpy(set->keys, keys, sizeof(keys[0]) * (size_t)n);
	set->nkeys = n;
	hg_log(HG_LOG_DEBUG, "key set fetched from %s: %d key(s)", set->url, n);
}

char *hg_jwks_key(struct hg_jwks *set, const char *kid, time_t now, enum hg_jwk_alg *alg, size_t *len)
{
	char *pem = NULL;
	pthread_mutex_lock(&set->lock);
	if (set->url != NULL) {
		refresh_url(set, kid, now);
	} else if (now - set->looked >= 1 || now < set->looked) {
		set->looked = now;
		refresh(set);
	}
	for (int i = 0; i < set->nkeys; i++) {
		if (strcmp(set->keys[i].kid, kid) == 0) {
			pem = xmalloc(set->keys[i].pem_len + 1);
			memcpy(pem, set->keys[i].pem, set->keys[i].pem_len + 1);
			*len = set->keys[i].pem_len;
			*alg = set->keys[i].alg;
			break;
		}
	}
	pthread_mutex_unlock(&set->lock);
	return pem;
}
