/* kafka.h - the Kafka client settings the relay's producer and the consumers share.
 *
 * Where the brokers are and how to reach them: plaintext on a developer's machine, SASL (SCRAM) over TLS
 * against a Strimzi cluster (deploy/k8s), where each service is a KafkaUser whose ACLs let it write only its
 * own topic. The values come from the configuration (HG_KAFKA_*, config.c); this file turns them into
 * librdkafka properties in one place.
 */
#ifndef HG_KAFKA_H
#define HG_KAFKA_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>

#include "common/config.h"

/* Strings borrowed (from the configuration) unless made by hg_kafka_client_copy; NULL for what is not set. */
struct hg_kafka_client {
	const char *brokers;
	const char *security_protocol; /* plaintext, ssl, sasl_plaintext, sasl_ssl; NULL = plaintext */
	const char *sasl_mechanism;    /* PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (sasl_* only) */
	const char *sasl_username;
	const char *sasl_password;
	const char *ssl_ca_file; /* PEM; NULL: the system's CA bundle (ssl and sasl_ssl only) */
};

/* The client settings of the configuration (borrowed from cfg). */
struct hg_kafka_client hg_kafka_client_from_config(const struct hg_config *cfg);
/* dst: copies of src's strings, for a client that outlives src (the relay re-creates its producer);
 * hg_kafka_client_cleanup frees them. */
void hg_kafka_client_copy(struct hg_kafka_client *dst, const struct hg_kafka_client *src);
void hg_kafka_client_cleanup(struct hg_kafka_client *client);

/*
 * Set bootstrap.servers and the security properties of client on conf. Returns 0, or -1 with librdkafka's
 * message in err (conf then holds some of the settings; the caller destroys it as on any failure).
 */
int hg_kafka_conf_client(rd_kafka_conf_t *conf, const struct hg_kafka_client *client, char *err, size_t errlen);

/* 1 when the protocol authenticates with SASL (sasl_plaintext, sasl_ssl). */
int hg_kafka_protocol_is_sasl(const char *security_protocol);

#endif
