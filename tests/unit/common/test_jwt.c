/* Unit tests: bearer JWT verification (auth.c). */
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

#include "common/auth.h"
#include "common/base64url.h"
#include "common/roles.h"
#include "common/xmalloc.h"

#define SECRET "unit-test-secret-unit-test-secret-0123456789"
#define DISTRICT "6f1c0c59-2a57-4b7e-9a53-0f5b3c1d2e4f"
#define SUB "0b7e2f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b"
#define NOW 1800000000L

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

/* Claims valid at NOW; overrides (may be NULL) replace or add members; "-name" removes one. */
static json_t *claims(json_t *overrides)
{
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:[s,s]}", "sub", SUB, "district_id", DISTRICT, "iss",
			      "homegrown-dev", "aud", "homegrown", "iat", (json_int_t)NOW - 10, "exp",
			      (json_int_t)NOW + 300, "roles", "teacher", "coach");
	const char *k;
	json_t *v;
	json_object_foreach(overrides, k, v) {
		if (k[0] == '-')
			json_object_del(c, k + 1);
		else
			json_object_set(c, k, v);
	}
	json_decref(overrides);
	return c;
}

static char *sign(json_t *c, jwt_alg_t alg, const char *key)
{
	jwt_t *jwt = NULL;
	char *grants = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	assert_int_equal(jwt_new(&jwt), 0);
	assert_int_equal(jwt_add_grants_json(jwt, grants), 0);
	assert_int_equal(jwt_set_alg(jwt, alg, (const unsigned char *)key, (int)strlen(key)), 0);
	char *tok = jwt_encode_str(jwt);
	assert_non_null(tok);
	jwt_free(jwt);
	free(grants);
	return tok;
}

/* A token with a hand-made header (for "none" and other algorithms) and a given signature. */
static char *handmade(const char *header, json_t *c, const char *sig)
{
	char *payload = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	char *h = hg_b64url_encode((const unsigned char *)header, strlen(header));
	char *p = hg_b64url_encode((const unsigned char *)payload, strlen(payload));
	char *tok = xasprintf("%s.%s.%s", h, p, sig);
	free(h);
	free(p);
	free(payload);
	return tok;
}

static struct hg_auth hs;
static struct hg_auth rs;

static int setup(void **state)
{
	(void)state;
	struct hg_config cfg = {0};
	char err[256];
	cfg.jwt_alg = "HS256";
	cfg.jwt_secret = SECRET;
	cfg.jwt_issuer = "homegrown-dev";
	cfg.jwt_audience = "homegrown";
	cfg.jwt_leeway_s = 30;
	assert_int_equal(hg_auth_init(&hs, &cfg, err, sizeof(err)), 0);
	cfg.jwt_alg = "RS256";
	cfg.jwt_secret = NULL;
	cfg.jwt_public_key_file = "tests/unit/fixtures/rs256-public.pem";
	assert_int_equal(hg_auth_init(&rs, &cfg, err, sizeof(err)), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hg_auth_cleanup(&hs);
	hg_auth_cleanup(&rs);
	return 0;
}

static enum hg_status verify(struct hg_auth *a, char *tok, struct hg_principal *p, const char **why)
{
	enum hg_status st = hg_auth_verify(a, tok, NOW, p, why);
	free(tok);
	return st;
}

static void assert_refused(struct hg_auth *a, char *tok, const char *expect_why)
{
	struct hg_principal p;
	const char *why = NULL;
	assert_int_equal(verify(a, tok, &p, &why), HG_UNAUTHORIZED);
	assert_non_null(why);
	assert_string_equal(why, expect_why);
}

static void test_valid_hs256(void **state)
{
	(void)state;
	struct hg_principal p;
	const char *why = NULL;
	assert_int_equal(verify(&hs, sign(claims(NULL), JWT_ALG_HS256, SECRET), &p, &why), HG_OK);
	assert_string_equal(p.sub, SUB);
	assert_string_equal(p.district_id, DISTRICT);
	assert_int_equal(p.roles, HG_ROLE(TEACHER) | HG_ROLE(COACH));
}

static void test_valid_rs256(void **state)
{
	(void)state;
	struct hg_principal p;
	const char *why = NULL;
	char *key = read_all("tests/unit/fixtures/rs256-private.pem");
	assert_int_equal(verify(&rs, sign(claims(NULL), JWT_ALG_RS256, key), &p, &why), HG_OK);
	assert_string_equal(p.sub, SUB);
	free(key);
}

static void test_expired(void **state)
{
	(void)state;
	assert_refused(&hs, sign(claims(json_pack("{s:I}", "exp", (json_int_t)NOW - 31)), JWT_ALG_HS256, SECRET),
		       "token expired");
}

static void test_expiry_within_leeway(void **state)
{
	(void)state;
	struct hg_principal p;
	const char *why;
	assert_int_equal(verify(&hs,
				sign(claims(json_pack("{s:I}", "exp", (json_int_t)NOW - 29)), JWT_ALG_HS256, SECRET),
				&p, &why),
			 HG_OK);
}

/* The extremes of exp: no overflow when the leeway is applied (undefined behaviour found by
 * tests/fuzz/common/fuzz_jwt.c; UBSan stops this test on it). */
static void test_extreme_expiry(void **state)
{
	(void)state;
	struct hg_principal p;
	const char *why;
	assert_int_equal(verify(&hs,
				sign(claims(json_pack("{s:I}", "exp", (json_int_t)INT64_MAX)), JWT_ALG_HS256, SECRET),
				&p, &why),
			 HG_OK);
	assert_refused(&hs, sign(claims(json_pack("{s:I}", "exp", (json_int_t)INT64_MIN)), JWT_ALG_HS256, SECRET),
		       "token expired");
}

static void test_missing_exp(void **state)
{
	(void)state;
	assert_refused(&hs, sign(claims(json_pack("{s:b}", "-exp", 1)), JWT_ALG_HS256, SECRET), "token has no expiry");
}

static void test_not_yet_valid(void **state)
{
	(void)state;
	assert_refused(&hs, sign(claims(json_pack("{s:I}", "nbf", (json_int_t)NOW + 60)), JWT_ALG_HS256, SECRET),
		       "token not yet valid");
}

static void test_wrong_audience(void **state)
{
	(void)state;
	assert_refused(&hs, sign(claims(json_pack("{s:s}", "aud", "someone-else")), JWT_ALG_HS256, SECRET),
		       "token audience not accepted");
}

static void test_audience_array(void **state)
{
	(void)state;
	struct hg_principal p;
	const char *why;
	assert_int_equal(verify(&hs,
				sign(claims(json_pack("{s:[s,s]}", "aud", "x", "homegrown")), JWT_ALG_HS256, SECRET),
				&p, &why),
			 HG_OK);
}

static void test_wrong_issuer(void **state)
{
	(void)state;
	assert_refused(&hs, sign(claims(json_pack("{s:s}", "iss", "evil")), JWT_ALG_HS256, SECRET),
		       "token issuer not accepted");
}

static void test_alg_none(void **state)
{
	(void)state;
	assert_refused(&hs, handmade("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims(NULL), ""), "malformed token");
	assert_refused(&hs, handmade("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims(NULL), "x"),
		       "token algorithm not accepted");
}

static void test_wrong_algorithm(void **state)
{
	(void)state;
	/* HS384 with the right secret is still refused: the algorithm is pinned. */
	assert_refused(&hs, sign(claims(NULL), JWT_ALG_HS384, SECRET), "token algorithm not accepted");
	/* An RS256 service must not accept HS256 signed with its public key (algorithm confusion). */
	char *pub = read_all("tests/unit/fixtures/rs256-public.pem");
	assert_refused(&rs, sign(claims(NULL), JWT_ALG_HS256, pub), "token algorithm not accepted");
	free(pub);
}

static void test_bad_signature(void **state)
{
	(void)state;
	assert_refused(&hs, sign(claims(NULL), JWT_ALG_HS256, "another-secret-another-secret-0123456789"),
		       "token signature invalid");
	char *other = read_all("tests/unit/fixtures/other-private.pem");
	assert_refused(&rs, sign(claims(NULL), JWT_ALG_RS256, other), "token signature invalid");
	free(other);
	/* A valid token whose payload was changed after signing. */
	char *tok = sign(claims(NULL), JWT_ALG_HS256, SECRET);
	char *forged = handmade("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
				claims(json_pack("{s:[s]}", "roles", "district_admin")), strrchr(tok, '.') + 1);
	free(tok);
	assert_refused(&hs, forged, "token signature invalid");
}

static void test_bad_claims(void **state)
{
	(void)state;
	assert_refused(&hs, sign(claims(json_pack("{s:s}", "sub", "not-a-uuid")), JWT_ALG_HS256, SECRET),
		       "token subject is not a UUID");
	assert_refused(&hs, sign(claims(json_pack("{s:b}", "-district_id", 1)), JWT_ALG_HS256, SECRET),
		       "token district_id is not a UUID");
	assert_refused(&hs, sign(claims(json_pack("{s:s}", "roles", "teacher")), JWT_ALG_HS256, SECRET),
		       "token roles is not an array");
}

static void test_malformed(void **state)
{
	(void)state;
	assert_refused(&hs, xstrdup(""), "malformed token");
	assert_refused(&hs, xstrdup("abc"), "malformed token");
	assert_refused(&hs, xstrdup("a.b"), "malformed token");
	assert_refused(&hs, xstrdup("a.b.c.d"), "malformed token");
	assert_refused(&hs, xstrdup("!!!.???.***"), "malformed token");
	char *big = xmalloc(HG_MAX_TOKEN_LEN + 10);
	memset(big, 'a', HG_MAX_TOKEN_LEN + 9);
	big[HG_MAX_TOKEN_LEN + 9] = '\0';
	assert_refused(&hs, big, "malformed token");
}

static void test_unknown_roles_ignored(void **state)
{
	(void)state;
	struct hg_principal p;
	const char *why;
	assert_int_equal(
		verify(&hs,
		       sign(claims(json_pack("{s:[s,s]}", "roles", "wizard", "district_admin")), JWT_ALG_HS256, SECRET),
		       &p, &why),
		HG_OK);
	assert_int_equal(p.roles, HG_ROLE(DISTRICT_ADMIN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_hs256),
		cmocka_unit_test(test_valid_rs256),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_expiry_within_leeway),
		cmocka_unit_test(test_extreme_expiry), /* UB found by fuzzing */
		cmocka_unit_test(test_missing_exp),
		cmocka_unit_test(test_not_yet_valid),
		cmocka_unit_test(test_wrong_audience),
		cmocka_unit_test(test_audience_array),
		cmocka_unit_test(test_wrong_issuer),
		cmocka_unit_test(test_alg_none),
		cmocka_unit_test(test_wrong_algorithm),
		cmocka_unit_test(test_bad_signature),
		cmocka_unit_test(test_bad_claims),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unknown_roles_ignored),
	};
	return cmocka_run_group_tests_name("jwt", tests, setup, teardown);
}
