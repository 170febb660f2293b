/* Unit tests: the Kafka client settings (kafka.c) and their configuration rows (config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/kafka.h"

static const char *lookup(const char *name, const void *arg)
{
	const char *const *env = arg;
	for (; env[0] != NULL; env += 2)
		if (strcmp(env[0], name) == 0)
			return env[1];
	return NULL;
}

#define SECRET32 "0123456789abcdef0123456789abcdef"

/* A property of conf, or "" when unset. */
static const char *get(rd_kafka_conf_t *conf, const char *name, char *buf, size_t len)
{
	size_t n = len;
	if (rd_kafka_conf_get(conf, name, buf, &n) != RD_KAFKA_CONF_OK)
		buf[0] = '\0';
	return buf;
}

static void test_plaintext_by_default(void **state)
{
	(void)state;
	const char *env[] = {"HG_JWT_SECRET", SECRET32, NULL};
	struct hg_config cfg;
	char err[256] = "", buf[256];
	assert_int_equal(hg_config_load(&cfg, lookup, env, 8081, err, sizeof(err)), 0);
	struct hg_kafka_client client = hg_kafka_client_from_config(&cfg);
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	assert_int_equal(hg_kafka_conf_client(conf, &client, err, sizeof(err)), 0);
	assert_string_equal(get(conf, "bootstrap.servers", buf, sizeof(buf)), "127.0.0.1:59092");
	assert_string_equal(get(conf, "security.protocol", buf, sizeof(buf)), "plaintext");
	assert_string_equal(get(conf, "sasl.username", buf, sizeof(buf)), "");
	rd_kafka_conf_destroy(conf);
	hg_config_cleanup(&cfg);
}

static void test_sasl_ssl_as_strimzi_needs_it(void **state)
{
	(void)state;
	const char *env[] = {"HG_JWT_SECRET",
			     SECRET32,
			     "HG_KAFKA_BROKERS",
			     "hg-kafka-kafka-bootstrap:9093",
			     "HG_KAFKA_SECURITY_PROTOCOL",
			     "sasl_ssl",
			     "HG_KAFKA_SASL_USERNAME",
			     "roster",
			     "HG_KAFKA_SASL_PASSWORD",
			     "s3cr3t-password",
			     "HG_KAFKA_SSL_CA_FILE",
			     "/etc/homegrown/kafka-ca/ca.crt",
			     NULL};
	struct hg_config cfg;
	char err[256] = "", buf[256];
	assert_int_equal(hg_config_load(&cfg, lookup, env, 8081, err, sizeof(err)), 0);
	struct hg_kafka_client client = hg_kafka_client_from_config(&cfg);
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	assert_int_equal(hg_kafka_conf_client(conf, &client, err, sizeof(err)), 0);
	assert_string_equal(get(conf, "bootstrap.servers", buf, sizeof(buf)), "hg-kafka-kafka-bootstrap:9093");
	assert_string_equal(get(conf, "security.protocol", buf, sizeof(buf)), "sasl_ssl");
	assert_string_equal(get(conf, "sasl.mechanisms", buf, sizeof(buf)), "SCRAM-SHA-512");
	assert_string_equal(get(conf, "sasl.username", buf, sizeof(buf)), "roster");
	assert_string_equal(get(conf, "ssl.ca.location", buf, sizeof(buf)), "/etc/homegrown/kafka-ca/ca.crt");
	rd_kafka_conf_destroy(conf);

	/* The password is a secret: never in the logged configuration. */
	json_t *obj = hg_config_to_json(&cfg);
	char *text = json_dumps(obj, 0);
	assert_null(strstr(text, "s3cr3t-password"));
	assert_string_equal(json_string_value(json_object_get(obj, "HG_KAFKA_SASL_PASSWORD")), "[redacted]");
	free(text);
	json_decref(obj);
	hg_config_cleanup(&cfg);
}

static void test_sasl_settings_only_for_sasl(void **state)
{
	(void)state;
	char err[256] = "", buf[256];
	struct hg_kafka_client client = {.brokers = "b:9093",
					 .security_protocol = "ssl",
					 .sasl_mechanism = "SCRAM-SHA-512",
					 .sasl_username = "u",
					 .sasl_password = "p"};
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	assert_int_equal(hg_kafka_conf_client(conf, &client, err, sizeof(err)), 0);
	assert_string_equal(get(conf, "security.protocol", buf, sizeof(buf)), "ssl");
	assert_string_equal(get(conf, "sasl.username", buf, sizeof(buf)), "");
	rd_kafka_conf_destroy(conf);
	assert_true(hg_kafka_protocol_is_sasl("sasl_plaintext"));
	assert_false(hg_kafka_protocol_is_sasl("ssl"));
	assert_false(hg_kafka_protocol_is_sasl(NULL));
}

static void expect_error(const char *const *env, const char *fragment)
{
	struct hg_config cfg;
	char err[256] = "";
	assert_int_equal(hg_config_load(&cfg, lookup, env, 8081, err, sizeof(err)), -1);
	if (strstr(err, fragment) == NULL)
		fail_msg("error \"%s\" does not contain \"%s\"", err, fragment);
}

static void test_bad_settings_are_named(void **state)
{
	(void)state;
	const char *protocol[] = {"HG_JWT_SECRET", SECRET32, "HG_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", NULL};
	expect_error(protocol, "HG_KAFKA_SECURITY_PROTOCOL: \"SASL_SSL\" is not one of plaintext, ssl");
	const char *mechanism[] = {"HG_JWT_SECRET", SECRET32, "HG_KAFKA_SASL_MECHANISM", "GSSAPI", NULL};
	expect_error(mechanism, "HG_KAFKA_SASL_MECHANISM: \"GSSAPI\" is not one of PLAIN");
	const char *no_user[] = {"HG_JWT_SECRET", SECRET32, "HG_KAFKA_SECURITY_PROTOCOL", "sasl_ssl", NULL};
	expect_error(no_user, "HG_KAFKA_SASL_USERNAME: required when HG_KAFKA_SECURITY_PROTOCOL is sasl_ssl");
	const char *no_password[] = {
		"HG_JWT_SECRET", SECRET32, "HG_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext", "HG_KAFKA_SASL_USERNAME",
		"roster",        NULL};
	expect_error(no_password, "HG_KAFKA_SASL_PASSWORD: required when HG_KAFKA_SECURITY_PROTOCOL is sasl_plaintext");
}

/* The relay keeps a copy: the source may go first. */
static void test_copy_outlives_its_source(void **state)
{
	(void)state;
	char brokers[] = "b1:9093,b2:9093", user[] = "roster";
	struct hg_kafka_client src = {.brokers = brokers, .security_protocol = "sasl_ssl", .sasl_username = user};
	struct hg_kafka_client copy;
	hg_kafka_client_copy(&copy, &src);
	memset(brokers, 'x', sizeof(brokers) - 1);
	memset(user, 'x', sizeof(user) - 1);
	assert_string_equal(copy.brokers, "b1:9093,b2:9093");
	assert_string_equal(copy.security_protocol, "sasl_ssl");
	assert_string_equal(copy.sasl_username, "roster");
	assert_null(copy.sasl_password);
	hg_kafka_client_cleanup(&copy);
	assert_null(copy.brokers);
}

/* librdkafka refuses what it does not know: the message comes back. */
static void test_librdkafka_refusal_is_reported(void **state)
{
	(void)state;
	char err[256] = "";
	struct hg_kafka_client client = {.brokers = "b:9092", .security_protocol = "carrier_pigeon"};
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	assert_int_equal(hg_kafka_conf_client(conf, &client, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "security.protocol"));
	rd_kafka_conf_destroy(conf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plaintext_by_default),
		cmocka_unit_test(test_sasl_ssl_as_strimzi_needs_it),
		cmocka_unit_test(test_sasl_settings_only_for_sasl),
		cmocka_unit_test(test_bad_settings_are_named),
		cmocka_unit_test(test_copy_outlives_its_source),
		cmocka_unit_test(test_librdkafka_refusal_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
