/* kafka.c - the Kafka client settings the relay's producer and the consumers share. */
#include "common/kafka.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

struct hg_kafka_client hg_kafka_client_from_config(const struct hg_config *cfg)
{
	struct hg_kafka_client client = {
		.brokers = cfg->kafka_brokers,
		.security_protocol = cfg->kafka_security_protocol,
		.sasl_mechanism = cfg->kafka_sasl_mechanism,
		.sasl_username = cfg->kafka_sasl_username,
		.sasl_password = cfg->kafka_sasl_password,
		.ssl_ca_file = cfg->kafka_ssl_ca_file,
	};
	return client;
}

static char *dup_or_null(const char *s) { return s != NULL ? xstrdup(s) : NULL; }

void hg_kafka_client_copy(struct hg_kafka_client *dst, const struct hg_kafka_client *src)
{
	dst->brokers = dup_or_null(src->brokers);
	dst->security_protocol = dup_or_null(src->security_protocol);
	dst->sasl_mechanism = dup_or_null(src->sasl_mechanism);
	dst->sasl_username = dup_or_null(src->sasl_username);
	dst->sasl_password = dup_or_null(src->sasl_password);
	dst->ssl_ca_file = dup_or_null(src->ssl_ca_file);
}

/* The strings are const for the borrowing users; a copy owns them. */
static void free_owned(const char *s) { free((void *)(uintptr_t)s); }

void hg_kafka_client_cleanup(struct hg_kafka_client *client)
{
	free_owned(client->brokers);
	free_owned(client->security_protocol);
	free_owned(client->sasl_mechanism);
	free_owned(client->sasl_username);
	free_owned(client->sasl_password);
	free_owned(client->ssl_ca_file);
	memset(client, 0, sizeof(*client));
}

int hg_kafka_protocol_is_sasl(const char *security_protocol)
{
	return security_protocol != NULL && strncmp(security_protocol, "sasl_", 5) == 0;
}

static int tls(const char *security_protocol)
{
	return security_protocol != NULL &&
	       (strcmp(security_protocol, "ssl") == 0 || strcmp(security_protocol, "sasl_ssl") == 0);
}

static int set(rd_kafka_conf_t *conf, const char *name, const char *value, char *err, size_t errlen)
{
	if (value == NULL)
		return 0;
	if (rd_kafka_conf_set(conf, name, value, err, errlen) != RD_KAFKA_CONF_OK)
		return -1;
	return 0;
}

int hg_kafka_conf_client(rd_kafka_conf_t *conf, const struct hg_kafka_client *client, char *err, size_t errlen)
{
	const char *protocol = client->security_protocol != NULL ? client->security_protocol : "plaintext";
	if (set(conf, "bootstrap.servers", client->brokers, err, errlen) != 0 ||
	    set(conf, "security.protocol", protocol, err, errlen) != 0)
		return -1;
	if (hg_kafka_protocol_is_sasl(protocol) &&
	    (set(conf, "sasl.mechanisms", client->sasl_mechanism, err, errlen) != 0 ||
	     set(conf, "sasl.username", client->sasl_username, err, errlen) != 0 ||
	     set(conf, "sasl.password", client->sasl_password, err, errlen) != 0))
		return -1;
	if (tls(protocol) && set(conf, "ssl.ca.location", client->ssl_ca_file, err, errlen) != 0)
		return -1;
	return 0;
}
