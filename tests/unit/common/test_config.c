/* Unit tests: configuration loading (config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/config.h"

/* A fake environment: NULL-terminated name/value pairs. */
static const char *lookup(const char *name, const void *arg)
{
	const char *const *env = arg;
	for (; env[0] != NULL; env += 2)
		if (strcmp(env[0], name) == 0)
			return env[1];
	return NULL;
}

#define SECRET32 "0123456789abcdef0123456789abcdef"

static void test_defaults(void **state)
{
	(void)state;
	const char *env[] = {"HG_JWT_SECRET", SECRET32, NULL};
	struct hg_config cfg;
	char err[256] = "";
	assert_int_equal(hg_config_load(&cfg, lookup, env, 8082, err, sizeof(err)), 0);
	assert_int_equal(cfg.http_port, 8082);
	assert_string_equal(cfg.http_addr, "127.0.0.1");
	assert_int_equal(cfg.http_threads, 4);
	assert_int_equal(cfg.http_max_body, 1048576);
	assert_string_equal(cfg.database_url, "postgresql://postgres@127.0.0.1:55432/homegrown");
	assert_string_equal(cfg.kafka_brokers, "127.0.0.1:59092");
	assert_string_equal(cfg.jwt_alg, "HS256");
	assert_null(cfg.jwt_public_key_file);
	assert_int_equal(cfg.log_level_value, HG_LOG_INFO);
	hg_config_cleanup(&cfg);
}

static void test_overrides(void **state)
{
	(void)state;
	const char *env[] = {"HG_JWT_SECRET", SECRET32, "HG_HTTP_PORT", "9000", "HG_DB_POOL_SIZE", "3", "HG_LOG_LEVEL",
			     "debug",         NULL};
	struct hg_config cfg;
	char err[256] = "";
	assert_int_equal(hg_config_load(&cfg, lookup, env, 8082, err, sizeof(err)), 0);
	assert_int_equal(cfg.http_port, 9000);
	assert_int_equal(cfg.db_pool_size, 3);
	assert_int_equal(cfg.log_level_value, HG_LOG_DEBUG);
	hg_config_cleanup(&cfg);
}

static void expect_error(const char *const *env, const char *fragment)
{
	struct hg_config cfg;
	char err[256] = "";
	assert_int_equal(hg_config_load(&cfg, lookup, env, 8082, err, sizeof(err)), -1);
	if (strstr(err, fragment) == NULL)
		fail_msg("error \"%s\" does not mention \"%s\"", err, fragment);
}

static void test_bad_values(void **state)
{
	(void)state;
	const char *not_int[] = {"HG_JWT_SECRET", SECRET32, "HG_HTTP_PORT", "80x", NULL};
	expect_error(not_int, "HG_HTTP_PORT: \"80x\" is not an integer");
	const char *range[] = {"HG_JWT_SECRET", SECRET32, "HG_HTTP_PORT", "70000", NULL};
	expect_error(range, "HG_HTTP_PORT: 70000 is out of range");
	const char *pool[] = {"HG_JWT_SECRET", SECRET32, "HG_DB_POOL_SIZE", "0", NULL};
	expect_error(pool, "HG_DB_POOL_SIZE");
	const char *alg[] = {"HG_JWT_SECRET", SECRET32, "HG_JWT_ALG", "none", NULL};
	expect_error(alg, "HG_JWT_ALG: \"none\" is not one of HS256, RS256");
	const char *level[] = {"HG_JWT_SECRET", SECRET32, "HG_LOG_LEVEL", "loud", NULL};
	expect_error(level, "HG_LOG_LEVEL");
}

static void test_secret_rules(void **state)
{
	(void)state;
	const char *missing[] = {NULL};
	expect_error(missing, "HG_JWT_SECRET: required when HG_JWT_ALG is HS256");
	const char *short_secret[] = {"HG_JWT_SECRET", "tooshort", NULL};
	expect_error(short_secret, "HG_JWT_SECRET: must be at least 32 characters");
	/* The message about a secret never repeats the secret. */
	struct hg_config cfg;
	char err[256] = "";
	assert_int_equal(hg_config_load(&cfg, lookup, (void *)short_secret, 8082, err, sizeof(err)), -1);
	assert_null(strstr(err, "tooshort"));
	const char *rs[] = {"HG_JWT_ALG", "RS256", NULL};
	expect_error(rs, "HG_JWT_PUBLIC_KEY_FILE: required when HG_JWT_ALG is RS256");
	/* A key set needs neither a secret nor a public key file, and excludes the latter. */
	const char *jwks[] = {"HG_JWT_JWKS_FILE", "/etc/idp/jwks.json", NULL};
	assert_int_equal(hg_config_load(&cfg, lookup, (void *)jwks, 8082, err, sizeof(err)), 0);
	assert_string_equal(cfg.jwt_jwks_file, "/etc/idp/jwks.json");
	hg_config_cleanup(&cfg);
	const char *both[] = {"HG_JWT_JWKS_FILE", "/etc/idp/jwks.json", "HG_JWT_PUBLIC_KEY_FILE", "/etc/idp/key.pem",
			      NULL};
	expect_error(both, "HG_JWT_JWKS_FILE: set together with another key source");
	const char *url[] = {"HG_JWT_JWKS_URL", "https://idp.example/jwks.json", "HG_JWT_JWKS_FILE",
			     "/etc/idp/jwks.json", NULL};
	expect_error(url, "HG_JWT_JWKS_URL: set together with another key source");
	const char *timeout[] = {"HG_JWT_JWKS_URL", "https://idp.example/jwks.json", "HG_JWT_JWKS_TIMEOUT_S", "0",
				 NULL};
	expect_error(timeout, "HG_JWT_JWKS_TIMEOUT_S");
}

static void test_redaction(void **state)
{
	(void)state;
	const char *env[] = {"HG_JWT_SECRET", SECRET32, "HG_DATABASE_URL", "postgresql://app:hunter2@db:5432/hg", NULL};
	struct hg_config cfg;
	char err[256] = "";
	assert_int_equal(hg_config_load(&cfg, lookup, env, 8082, err, sizeof(err)), 0);
	json_t *j = hg_config_to_json(&cfg);
	char *text = json_dumps(j, 0);
	assert_null(strstr(text, SECRET32));
	assert_null(strstr(text, "hunter2"));
	assert_non_null(strstr(text, "postgresql://app:***@db:5432/hg"));
	assert_string_equal(json_string_value(json_object_get(j, "HG_JWT_SECRET")), "[redacted]");
	free(text);
	json_decref(j);
	hg_config_cleanup(&cfg);

	char *kw = hg_config_redact_dsn("host=db password=se'cret user=x");
	assert_string_equal(kw, "host=db password=*** user=x");
	free(kw);
	kw = hg_config_redact_dsn("host=db password = 'a b c' user=x");
	assert_string_equal(kw, "host=db password = *** user=x");
	free(kw);
	kw = hg_config_redact_dsn("postgresql://app@db/hg");
	assert_string_equal(kw, "postgresql://app@db/hg");
	free(kw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),   cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_bad_values), cmocka_unit_test(test_secret_rules),
		cmocka_unit_test(test_redaction),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
