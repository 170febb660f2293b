/* config.h - configuration from the environment, declared in one table.
 *
 * Every setting is one row of config.c's table: variable name, type, default,
 * bounds, whether it is secret. Loading validates every row; the effective
 * configuration can be logged with secrets redacted.
 */
#ifndef HG_CONFIG_H
#define HG_CONFIG_H

#include <stddef.h>

#include "log.h"

struct hg_config {
	char *http_addr;
	long http_port;
	long http_threads;
	long http_timeout_s;
	long http_max_body;
	char *database_url;
	long db_pool_size;
	long db_pool_wait_ms;
	long db_statement_timeout_ms;
	char *kafka_brokers;
	long outbox_batch;
	long outbox_poll_ms;
	long outbox_retention_h;
	char *jwt_alg;
	char *jwt_secret;
	char *jwt_public_key_file;
	char *jwt_issuer;
	char *jwt_audience;
	long jwt_leeway_s;
	char *log_level;
	enum hg_log_level log_level_value; /* derived from log_level */
};

/* Looks a variable up; returns NULL when unset. getenv fits (with arg unused). */
typedef const char *(*hg_config_lookup_fn)(const char *name, void *arg);

/* Lookup through getenv(3). */
const char *hg_config_getenv(const char *name, void *arg);

/*
 * Fill cfg from lookup. default_port replaces HG_HTTP_PORT's default (each
 * service has its own). On failure returns -1 with a one-line message naming
 * the variable in err; cfg then holds nothing that needs freeing.
 */
int hg_config_load(struct hg_config *cfg, hg_config_lookup_fn lookup, void *arg, long default_port, char *err,
		   size_t errlen);

/* Log the effective configuration, one line, secrets and passwords redacted. */
void hg_config_log(const struct hg_config *cfg);

/* The effective configuration as a JSON object (new reference), secrets redacted. */
json_t *hg_config_to_json(const struct hg_config *cfg);

/* Copy of a libpq connection string with any password replaced by "***"; caller frees. */
char *hg_config_redact_dsn(const char *dsn);

void hg_config_cleanup(struct hg_config *cfg);

/*
 * One integer setting of a service's own table (the same rules as the common
 * ones): unset or empty gives def; otherwise a base-10 integer within
 * [min, max] into *out. -1 with a message naming env in err.
 */
int hg_config_long(hg_config_lookup_fn lookup, void *arg, const char *env, long def, long min, long max, long *out,
		   char *err, size_t errlen);

#endif
