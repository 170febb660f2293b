/* Unit tests: JWKS key sets (jwks.c) and tokens verified by kid (auth.c with HG_JWT_JWKS_FILE). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/auth.h"
#include "common/base64url.h"
#include "common/jwks.h"
#include "common/xmalloc.h"

#define SECRET "unit-test-secret-unit-test-secret-0123456789"
#define DISTRICT "6f1c0c59-2a57-4b7e-9a53-0f5b3c1d2e4f"
#define SUB "0b7e2f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b"
#define NOW 1800000000L
#define FIX "tests/unit/fixtures/"

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = xmalloc(65536);
	size_t n = fread(buf, 1, 65535, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void write_all(const char *path, const char *text)
{
	/* Written beside, then renamed over: what an identity provider's sync does. */
	char *tmp = xasprintf("%s.new", path);
	FILE *f = fopen(tmp, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(rename(tmp, path), 0);
	free(tmp);
}

/* A token valid at NOW with header kid (NULL: none), signed with alg and key (a PEM file or a secret). */
static char *sign(jwt_alg_t alg, const char *kid, const char *key)
{
	jwt_t *jwt = NULL;
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:[s]}", "sub", SUB, "district_id", DISTRICT, "iss",
			      "homegrown-dev", "aud", "homegrown", "iat", (json_int_t)NOW - 10, "exp",
			      (json_int_t)NOW + 300, "roles", "teacher");
	char *grants = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	assert_int_equal(jwt_new(&jwt), 0);
	assert_int_equal(jwt_add_grants_json(jwt, grants), 0);
	if (kid != NULL)
		assert_int_equal(jwt_add_header(jwt, "kid", kid), 0);
	assert_int_equal(jwt_set_alg(jwt, alg, (const unsigned char *)key, (int)strlen(key)), 0);
	char *tok = jwt_encode_str(jwt);
	assert_non_null(tok);
	jwt_free(jwt);
	free(grants);
	return tok;
}

static char *sign_file(jwt_alg_t alg, const char *kid, const char *pem_path)
{
	char *key = read_all(pem_path);
	char *tok = sign(alg, kid, key);
	free(key);
	return tok;
}

static char path[64];

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/tmp/hg-test-jwks-%ld.json", (long)getpid());
	char *doc = read_all(FIX "jwks.json");
	write_all(path, doc);
	free(doc);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static struct hg_auth auth_with(const char *jwks_path)
{
	struct hg_config cfg = {0};
	struct hg_auth a;
	char err[256];
	cfg.jwt_alg = "HS256";
	cfg.jwt_secret = SECRET; /* configured too: HS256 must still be refused */
	cfg.jwt_jwks_file = (char *)(uintptr_t)jwks_path;
	cfg.jwt_issuer = "homegrown-dev";
	cfg.jwt_audience = "homegrown";
	cfg.jwt_leeway_s = 30;
	assert_int_equal(hg_auth_init(&a, &cfg, err, sizeof(err)), 0);
	return a;
}

static const char *verify_at(struct hg_auth *a, char *tok, long now)
{
	struct hg_principal p;
	const char *why = NULL;
	enum hg_status st = hg_auth_verify(a, tok, now, &p, &why);
	free(tok);
	if (st == HG_OK) {
		assert_string_equal(p.sub, SUB);
		return "ok";
	}
	assert_int_equal(st, HG_UNAUTHORIZED);
	return why;
}

static void test_tokens_by_kid(void **state)
{
	(void)state;
	struct hg_auth a = auth_with(path);
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_RS256, "rsa-1", FIX "rs256-private.pem"), NOW), "ok");
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_ES256, "ec-1", FIX "es256-private.pem"), NOW), "ok");
	/* unknown kid, no kid, a kid of the wrong key type, the right kid with another key */
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_RS256, "rsa-9", FIX "rs256-private.pem"), NOW),
			    "token key unknown");
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_RS256, NULL, FIX "rs256-private.pem"), NOW),
			    "token has no key id");
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_ES256, "rsa-1", FIX "es256-private.pem"), NOW),
			    "token algorithm not accepted");
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_RS256, "rsa-1", FIX "other-private.pem"), NOW),
			    "token signature invalid");
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_ES256, "ec-1", FIX "es256-other-private.pem"), NOW),
			    "token signature invalid");
	hg_auth_cleanup(&a);
}

static void test_hs256_refused_when_a_public_key_is_configured(void **state)
{
	(void)state;
	struct hg_auth a = auth_with(path);
	/* with the configured secret, and with the public key's PEM as the HMAC secret (algorithm confusion) */
	assert_string_equal(verify_at(&a, sign(JWT_ALG_HS256, "rsa-1", SECRET), NOW), "token algorithm not accepted");
	char *pub = read_all(FIX "rs256-public.pem");
	assert_string_equal(verify_at(&a, sign(JWT_ALG_HS256, "rsa-1", pub), NOW), "token algorithm not accepted");
	free(pub);
	assert_string_equal(verify_at(&a, sign(JWT_ALG_HS384, "rsa-1", SECRET), NOW), "token algorithm not accepted");
	/* alg none, hand-made */
	char *h = hg_b64url_encode((const unsigned char *)"{\"alg\":\"none\",\"kid\":\"rsa-1\"}", 28);
	char *tok = xasprintf("%s.e30.", h);
	assert_string_equal(verify_at(&a, tok, NOW), "malformed token");
	free(h);
	hg_auth_cleanup(&a);
}

static void test_rotation_without_restart(void **state)
{
	(void)state;
	struct hg_auth a = auth_with(path);
	char *rotated = read_all(FIX "jwks-rotated.json");
	write_all(path, rotated);
	free(rotated);
	/* The file is looked at again (a second after the last look): the new key is accepted, the removed ones
	 * are refused. */
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_RS256, "rsa-2", FIX "rs256-next-private.pem"), NOW + 1),
			    "ok");
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_RS256, "rsa-1", FIX "rs256-private.pem"), NOW + 1),
			    "token key unknown");
	/* A file that turns bad leaves the last good set in use. */
	write_all(path, "{\"keys\": [");
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_RS256, "rsa-2", FIX "rs256-next-private.pem"), NOW + 2),
			    "ok");
	write_all(path, "{\"keys\": []}");
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_RS256, "rsa-2", FIX "rs256-next-private.pem"), NOW + 3),
			    "ok");
	unlink(path);
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_RS256, "rsa-2", FIX "rs256-next-private.pem"), NOW + 4),
			    "ok");
	/* And a good one is taken again. */
	char *doc = read_all(FIX "jwks.json");
	write_all(path, doc);
	free(doc);
	assert_string_equal(verify_at(&a, sign_file(JWT_ALG_ES256, "ec-1", FIX "es256-private.pem"), NOW + 5), "ok");
	hg_auth_cleanup(&a);
}

static int parse(const char *json)
{
	struct hg_jwk keys[HG_JWKS_MAX_KEYS];
	char err[256];
	int n = hg_jwks_parse(json, strlen(json), keys, err, sizeof(err));
	for (int i = 0; i < n; i++)
		hg_jwk_cleanup(&keys[i]);
	return n;
}

/* The fixture's EC key as JSON with one member replaced (or removed: value NULL). */
static char *ec_key(const char *member, const char *value)
{
	char *doc = read_all(FIX "jwks.json");
	json_t *set = json_loads(doc, 0, NULL);
	json_t *ec = json_deep_copy(json_array_get(json_object_get(set, "keys"), 1));
	if (value == NULL)
		json_object_del(ec, member);
	else
		json_object_set_new(ec, member, json_string(value));
	char *key = json_dumps(ec, JSON_COMPACT);
	free(doc);
	json_decref(ec);
	json_decref(set);
	return key;
}

static char *ec_with(const char *member, const char *value)
{
	char *key = ec_key(member, value);
	char *res = xasprintf("{\"keys\":[%s]}", key);
	free(key);
	return res;
}

static void expect_parse(char *json, int n)
{
	assert_int_equal(parse(json), n);
	free(json);
}

static void test_parse_refuses_what_is_not_a_usable_key(void **state)
{
	(void)state;
	char *doc = read_all(FIX "jwks.json");
	assert_int_equal(parse(doc), 2);
	free(doc);
	assert_int_equal(parse("not json"), -1);
	assert_int_equal(parse("[]"), -1);
	assert_int_equal(parse("{\"keys\": {}}"), -1);
	assert_int_equal(parse("{\"keys\": []}"), -1);
	assert_int_equal(parse("{\"keys\": [1, \"x\", null]}"), -1);
	expect_parse(ec_with("kid", NULL), -1);
	expect_parse(ec_with("kid", ""), -1);
	expect_parse(ec_with("use", "enc"), -1);
	expect_parse(ec_with("alg", "RS256"), -1);
	expect_parse(ec_with("crv", "P-384"), -1);
	expect_parse(ec_with("kty", "oct"), -1);
	expect_parse(ec_with("x", "AAAA"), -1);                                        /* wrong length */
	expect_parse(ec_with("x", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"), -1); /* not on the curve */
	expect_parse(ec_with("y", "not base64url!"), -1);
	expect_parse(ec_with("use", "sig"), 1);
	/* RSA: 1024 bits is too small; e must be there */
	assert_int_equal(parse("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"small\",\"e\":\"AQAB\",\"n\":\""
			       "uPIAWWUVsxxM1Vj_KDFWrvqezVs3ZBlHQFXQ_UJJ6eFRwaDW8hSnLmErvwJb"
			       "2qcSeOVSMf0gf8hTF5otcQ1xelw2-vZ_Zwp53Z1xIbLCGKv2c9TJAvB-kDNA"
			       "W9mW-HiSiBAZlOKgFVm737dLIYpA8c0f0Rh8mo3Nl6vVrjXHLT8\"}]}"),
			 -1);
	assert_int_equal(parse("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"no-e\",\"n\":\"AQAB\"}]}"), -1);
	/* a duplicate kid: the first key wins */
	char *one = ec_key("use", "sig");
	expect_parse(xasprintf("{\"keys\":[%s,%s]}", one, one), 1);
	free(one);
}

static void test_open_names_the_variable(void **state)
{
	(void)state;
	char err[512] = "";
	assert_null(hg_jwks_open("/nonexistent/jwks.json", NOW, err, sizeof(err)));
	assert_non_null(strstr(err, "HG_JWT_JWKS_FILE"));
	assert_null(hg_jwks_open(FIX "rs256-public.pem", NOW, err, sizeof(err)));
	assert_non_null(strstr(err, "HG_JWT_JWKS_FILE"));
	struct hg_jwks *set = hg_jwks_open(FIX "jwks.json", NOW, err, sizeof(err));
	assert_non_null(set);
	enum hg_jwk_alg alg;
	size_t len = 0;
	char *pem = hg_jwks_key(set, "ec-1", NOW, &alg, &len);
	assert_non_null(pem);
	assert_int_equal(alg, HG_JWK_ES256);
	assert_int_equal(strlen(pem), len);
	assert_non_null(strstr(pem, "-----BEGIN PUBLIC KEY-----"));
	free(pem);
	assert_null(hg_jwks_key(set, "ec-2", NOW, &alg, &len));
	hg_jwks_close(set);

	/* The file is looked at no more than once a second. */
	set = hg_jwks_open(path, NOW, err, sizeof(err));
	assert_non_null(set);
	char *rotated = read_all(FIX "jwks-rotated.json");
	write_all(path, rotated);
	free(rotated);
	assert_null(hg_jwks_key(set, "rsa-2", NOW, &alg, &len));
	pem = hg_jwks_key(set, "rsa-2", NOW + 1, &alg, &len);
	assert_non_null(pem);
	assert_int_equal(alg, HG_JWK_RS256);
	free(pem);
	assert_null(hg_jwks_key(set, "rsa-1", NOW + 1, &alg, &len));
	hg_jwks_close(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tokens_by_kid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hs256_refused_when_a_public_key_is_configured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation_without_restart, setup, teardown),
		cmocka_unit_test(test_parse_refuses_what_is_not_a_usable_key),
		cmocka_unit_test_setup_teardown(test_open_names_the_variable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
