/* config.h - configuration from the environment, declared in one table.
 *
 * Every setting is one row of config.c's table: variable name, type, default,
 * bounds, whether it is secret. Loading validates every row; the effective
 * configuration can be logged with secrets redacted.
 */
#ifndef HG_CONFIG_H
#define HG_CONFIG_H

#include <stddef.h>

#include <jansson.h>

#include "common/log.h"

struct hg_config {
	char *http_addr;
	long http_port;
	long http_threads;
	long http_timeout_s;
	long http_max_connections;
	long http_max_body;
	char *database_url;
	long db_pool_size;
	long db_pool_wait_ms;
	long db_statement_timeout_ms;
	char *kafka_brokers;
	char *kafka_security_protocol;
	char *kafka_sasl_mechanism;
	char *kafka_sasl_username;
	char *kafka_sasl_password;
	char *kafka_ssl_ca_file;
	long outbox_batch;
	long outbox_poll_ms;
	long outbox_retention_h;
	long ready_max_backlog;
	char *jwt_alg;
	char *jwt_secret;
	char *jwt_public_key_file;
	char *jwt_jwks_file;
	char *jwt_jwks_url;
	long jwt_jwks_timeout_s;
	long jwt_jwks_refresh_s;
	char *jwt_issuer;
	char *jwt_audience;
	long jwt_leeway_s;
	char *identity_claim;      /* the token claim that names the educator (common/identity.h) */
	char *identity_match;      /* what it matches: id, email, sourced_id, username, user_master_identifier */
	long identity_cache_ttl_s; /* how long a resolved principal is reused (0: never) */
	long identity_cache_size;  /* most principals kept */
	char *log_level;
	enum hg_log_level log_level_value; /* derived from log_level */
};

/* One setting: variable name, type, default, bounds, whether it is secret, where it goes. */
enum hg_config_type { HG_CONFIG_STRING, HG_CONFIG_INT };

struct hg_config_row {
	const char *env;
	enum hg_config_type type;
	const char *def;            /* NULL: no default */
	long min, max;              /* INT bounds; STRING: min = shortest length */
	int secret;                 /* never logged */
	const char *const *choices; /* STRING: allowed values, NULL-terminated, or NULL */
	size_t offset;              /* of a char * (STRING) or long (INT) member of the table's struct */
};

/* rows: one a line, as in the tables that use them */
/* clang-format off */
/* A row of an integer setting of struct type's member field. */
#define HG_CONFIG_INT(env, def, min, max, type, field) \
	{env, HG_CONFIG_INT, def, min, max, 0, NULL, offsetof(type, field)}
/* A row of a string setting (secret: never logged; choices: allowed values or NULL). */
#define HG_CONFIG_STR(env, def, minlen, secret, choices, type, field) \
	{env, HG_CONFIG_STRING, def, minlen, 0, secret, choices, offsetof(type, field)}
/* clang-format on */

/* A service's own settings: its rows and the struct they fill (static storage, read-only once loaded). */
struct hg_config_table {
	const struct hg_config_row *rows;
	size_t n;
	void *values;
};

/* Looks a variable up; returns NULL when unset. getenv fits (with arg unused). */
typedef const char *(*hg_config_lookup_fn)(const char *name, const void *arg);

/* Lookup through getenv(3). */
const char *hg_config_getenv(const char *name, const void *arg);

/*
 * Fill cfg from lookup. default_port replaces HG_HTTP_PORT's default (each
 * service has its own). On failure returns -1 with a one-line message naming
 * the variable in err; cfg then holds nothing that needs freeing.
 */
int hg_config_load(struct hg_config *cfg, hg_config_lookup_fn lookup, const void *arg, long default_port, char *err,
		   size_t errlen);

/*
 * Fill table->values from lookup by the same rules as the common settings
 * (unset or empty: the default). -1 with a message naming the variable.
 */
int hg_config_load_table(const struct hg_config_table *table, hg_config_lookup_fn lookup, const void *arg, char *err,
			 size_t errlen);
/* The table's values as JSON members of obj, secrets redacted. */
void hg_config_table_json(const struct hg_config_table *table, json_t *obj);
/* Free the table's strings. */
void hg_config_table_cleanup(const struct hg_config_table *table);

/* Log the effective configuration (the common settings and the service's table, may be NULL), one line,
 * secrets and passwords redacted. */
void hg_config_log(const struct hg_config *cfg, const struct hg_config_table *service);

/* The effective configuration as a JSON object (new reference), secrets redacted. */
json_t *hg_config_to_json(const struct hg_config *cfg);

/* Copy of a libpq connection string with any password replaced by "***"; caller frees. */
char *hg_config_redact_dsn(const char *dsn);

void hg_config_cleanup(struct hg_config *cfg);

#endif
