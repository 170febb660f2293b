/* config.c - the configuration table and its loader. */
#include "common/config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

static const char *const jwt_algs[] = {"HS256", "RS256", NULL};
static const char *const log_levels[] = {"debug", "info", "warn", "error", NULL};
static const char *const kafka_protocols[] = {"plaintext", "ssl", "sasl_plaintext", "sasl_ssl", NULL};
static const char *const identity_matches[] = {"id", "email", "sourced_id", "username", "user_master_identifier", NULL};
static const char *const kafka_mechanisms[] = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", NULL};

#define STR(env, def, minlen, secret, choices, field) \
	HG_CONFIG_STR(env, def, minlen, secret, choices, struct hg_config, field)
#define INT(env, def, min, max, field) HG_CONFIG_INT(env, def, min, max, struct hg_config, field)

static const struct hg_config_row rows[] = {
	STR("HG_HTTP_ADDR", "127.0.0.1", 1, 0, NULL, http_addr),
	INT("HG_HTTP_PORT", NULL, 1, 65535, http_port),
	INT("HG_HTTP_THREADS", "4", 0, 256, http_threads),
	INT("HG_HTTP_TIMEOUT_S", "30", 1, 3600, http_timeout_s),
	INT("HG_HTTP_MAX_CONNECTIONS", "4096", 16, 100000, http_max_connections),
	INT("HG_HTTP_MAX_BODY", "1048576", 1024, 64L * 1024 * 1024, http_max_body),
	STR("HG_DATABASE_URL", "postgresql://postgres@127.0.0.1:55432/homegrown", 1, 0, NULL, database_url),
	INT("HG_DB_POOL_SIZE", "8", 1, 512, db_pool_size),
	INT("HG_DB_POOL_WAIT_MS", "2000", 1, 600000, db_pool_wait_ms),
	INT("HG_DB_STATEMENT_TIMEOUT_MS", "5000", 0, 3600000, db_statement_timeout_ms),
	STR("HG_KAFKA_BROKERS", "127.0.0.1:59092", 1, 0, NULL, kafka_brokers),
	STR("HG_KAFKA_SECURITY_PROTOCOL", "plaintext", 1, 0, kafka_protocols, kafka_security_protocol),
	STR("HG_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", 1, 0, kafka_mechanisms, kafka_sasl_mechanism),
	STR("HG_KAFKA_SASL_USERNAME", NULL, 1, 0, NULL, kafka_sasl_username),
	STR("HG_KAFKA_SASL_PASSWORD", NULL, 1, 1, NULL, kafka_sasl_password),
	STR("HG_KAFKA_SSL_CA_FILE", NULL, 1, 0, NULL, kafka_ssl_ca_file),
	INT("HG_OUTBOX_BATCH", "500", 1, 100000, outbox_batch),
	INT("HG_OUTBOX_POLL_MS", "500", 10, 600000, outbox_poll_ms),
	INT("HG_OUTBOX_RETENTION_H", "168", 1, 87600, outbox_retention_h),
	INT("HG_READY_MAX_BACKLOG", "100000", 1, 1000000000, ready_max_backlog),
	STR("HG_JWT_ALG", "HS256", 1, 0, jwt_algs, jwt_alg),
	STR("HG_JWT_SECRET", NULL, 32, 1, NULL, jwt_secret),
	STR("HG_JWT_PUBLIC_KEY_FILE", NULL, 1, 0, NULL, jwt_public_key_file),
	STR("HG_JWT_JWKS_FILE", NULL, 1, 0, NULL, jwt_jwks_file),
	STR("HG_JWT_JWKS_URL", NULL, 1, 0, NULL, jwt_jwks_url),
	INT("HG_JWT_JWKS_TIMEOUT_S", "2", 1, 60, jwt_jwks_timeout_s),
	INT("HG_JWT_JWKS_REFRESH_S", "300", 1, 86400, jwt_jwks_refresh_s),
	STR("HG_JWT_ISSUER", "homegrown-dev", 1, 0, NULL, jwt_issuer),
	STR("HG_JWT_AUDIENCE", "homegrown", 1, 0, NULL, jwt_audience),
	INT("HG_JWT_LEEWAY_S", "30", 0, 3600, jwt_leeway_s),
	STR("HG_IDENTITY_CLAIM", "sub", 1, 0, NULL, identity_claim),
	STR("HG_IDENTITY_MATCH", "id", 1, 0, identity_matches, identity_match),
	INT("HG_IDENTITY_CACHE_TTL_S", "30", 0, 3600, identity_cache_ttl_s),
	INT("HG_IDENTITY_CACHE_SIZE", "10000", 16, 1000000, identity_cache_size),
	STR("HG_LOG_LEVEL", "info", 1, 0, log_levels, log_level),
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

const char *hg_config_getenv(const char *name, const void *arg)
{
	(void)arg;
	return getenv(name);
}

static char **str_field(void *base, const struct hg_config_row *r)
{
	return (char **)(void *)((char *)base + r->offset);
}

static long *int_field(void *base, const struct hg_config_row *r) { return (long *)(void *)((char *)base + r->offset); }

static int load_row(void *cfg, const struct hg_config_row *r, const char *value, char *err, size_t errlen)
{
	if (r->type == HG_CONFIG_INT) {
		char *end = NULL;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0') {
			snprintf(err, errlen, "%s: \"%s\" is not an integer", r->env, value);
			return -1;
		}
		if (v < r->min || v > r->max) {
			snprintf(err, errlen, "%s: %ld is out of range [%ld, %ld]", r->env, v, r->min, r->max);
			return -1;
		}
		*int_field(cfg, r) = v;
		return 0;
	}
	if ((long)strlen(value) < r->min) {
		if (r->secret)
			snprintf(err, errlen, "%s: must be at least %ld characters long", r->env, r->min);
		else
			snprintf(err, errlen, "%s: \"%s\" is shorter than %ld characters", r->env, value, r->min);
		return -1;
	}
	if (r->choices != NULL) {
		const char *const *c = r->choices;
		while (*c != NULL && strcmp(*c, value) != 0)
			c++;
		if (*c == NULL) {
			char allowed[256] = "";
			for (c = r->choices; *c != NULL; c++) {
				strncat(allowed, *c, sizeof(allowed) - strlen(allowed) - 1);
				if (c[1] != NULL)
					strncat(allowed, ", ", sizeof(allowed) - strlen(allowed) - 1);
			}
			snprintf(err, errlen, "%s: \"%s\" is not one of %s", r->env, value, allowed);
			return -1;
		}
	}
	*str_field(cfg, r) = xstrdup(value);
	return 0;
}

int hg_config_load(struct hg_config *cfg, hg_config_lookup_fn lookup, const void *arg, long default_port, char *err,
		   size_t errlen)
{
	char port_default[16];
	memset(cfg, 0, sizeof(*cfg));
	snprintf(port_default, sizeof(port_default), "%ld", default_port);

	for (size_t i = 0; i < NROWS; i++) {
		const struct hg_config_row *r = &rows[i];
		const char *value = lookup(r->env, arg);
		if (value == NULL || value[0] == '\0')
			value = r->offset == offsetof(struct hg_config, http_port) ? port_default : r->def;
		if (value == NULL)
			continue; /* optional without default; cross-checks below */
		if (load_row(cfg, r, value, err, errlen) != 0)
			goto fail;
	}

	int key_set = cfg->jwt_jwks_file != NULL || cfg->jwt_jwks_url != NULL;
	if ((cfg->jwt_jwks_url != NULL) + (cfg->jwt_jwks_file != NULL) + (cfg->jwt_public_key_file != NULL) > 1) {
		snprintf(
			err, errlen,
			"%s: set together with another key source; configure one of HG_JWT_JWKS_URL, HG_JWT_JWKS_FILE, "
			"HG_JWT_PUBLIC_KEY_FILE",
			cfg->jwt_jwks_url != NULL ? "HG_JWT_JWKS_URL" : "HG_JWT_JWKS_FILE");
		goto fail;
	}
	if (!key_set && strcmp(cfg->jwt_alg, "HS256") == 0 && cfg->jwt_secret == NULL) {
		snprintf(err, errlen, "HG_JWT_SECRET: required when HG_JWT_ALG is HS256");
		goto fail;
	}
	if (!key_set && strcmp(cfg->jwt_alg, "RS256") == 0 && cfg->jwt_public_key_file == NULL) {
		snprintf(err, errlen, "HG_JWT_PUBLIC_KEY_FILE: required when HG_JWT_ALG is RS256");
		goto fail;
	}
	if (strncmp(cfg->kafka_security_protocol, "sasl_", 5) == 0 &&
	    (cfg->kafka_sasl_username == NULL || cfg->kafka_sasl_password == NULL)) {
		snprintf(err, errlen, "%s: required when HG_KAFKA_SECURITY_PROTOCOL is %s",
			 cfg->kafka_sasl_username == NULL ? "HG_KAFKA_SASL_USERNAME" : "HG_KAFKA_SASL_PASSWORD",
			 cfg->kafka_security_protocol);
		goto fail;
	}
	if (hg_log_level_parse(cfg->log_level, &cfg->log_level_value) != 0) {
		snprintf(err, errlen, "HG_LOG_LEVEL: \"%s\" is not a log level", cfg->log_level);
		goto fail;
	}
	return 0;
fail:
	hg_config_cleanup(cfg);
	return -1;
}

char *hg_config_redact_dsn(const char *dsn)
{
	/* URL form: scheme://user:password@host/... */
	const char *scheme = strstr(dsn, "://");
	if (scheme != NULL) {
		const char *user = scheme + 3;
		const char *at = strchr(user, '@');
		const char *colon = strchr(user, ':');
		if (at != NULL && colon != NULL && colon < at)
			return xasprintf("%.*s:***%s", (int)(colon - dsn), dsn, at);
		return xstrdup(dsn);
	}
	/* keyword form: ... password=secret ... or password='se cret' */
	const char *p = strstr(dsn, "password");
	if (p == NULL)
		return xstrdup(dsn);
	const char *v = p + strlen("password");
	while (*v == ' ')
		v++;
	if (*v != '=')
		return xstrdup(dsn);
	v++;
	while (*v == ' ')
		v++;
	const char *end = v;
	if (*end == '\'') {
		end++;
		while (*end != '\0' && *end != '\'')
			end += (*end == '\\' && end[1] != '\0') ? 2 : 1;
		if (*end == '\'')
			end++;
	} else {
		while (*end != '\0' && *end != ' ')
			end++;
	}
	return xasprintf("%.*s***%s", (int)(v - dsn), dsn, end);
}

/* The rows' values as members of obj, secrets and DSN passwords redacted. */
static void rows_json(const struct hg_config_row *table, size_t n, const void *base, json_t *obj)
{
	for (size_t i = 0; i < n; i++) {
		const struct hg_config_row *r = &table[i];
		json_t *v;
		if (r->type == HG_CONFIG_INT) {
			v = json_integer(*int_field((void *)(uintptr_t)base, r));
		} else {
			const char *s = *str_field((void *)(uintptr_t)base, r);
			if (s == NULL) {
				v = json_null();
			} else if (r->secret) {
				v = json_string("[redacted]");
			} else if (strcmp(r->env, "HG_DATABASE_URL") == 0) {
				char *red = hg_config_redact_dsn(s);
				v = json_string(red);
				free(red);
			} else {
				v = json_string(s);
			}
		}
		json_object_set_new(obj, r->env, v);
	}
}

static void rows_cleanup(const struct hg_config_row *table, size_t n, void *base)
{
	for (size_t i = 0; i < n; i++) {
		if (table[i].type == HG_CONFIG_STRING) {
			char **s = str_field(base, &table[i]);
			free(*s);
			*s = NULL;
		}
	}
}

json_t *hg_config_to_json(const struct hg_config *cfg)
{
	json_t *obj = json_object();
	rows_json(rows, NROWS, cfg, obj);
	return obj;
}

void hg_config_log(const struct hg_config *cfg, const struct hg_config_table *service)
{
	json_t *obj = hg_config_to_json(cfg);
	if (service != NULL)
		hg_config_table_json(service, obj);
	hg_log_fields(HG_LOG_INFO, json_pack("{s:o}", "config", obj), "configuration");
}

void hg_config_cleanup(struct hg_config *cfg) { rows_cleanup(rows, NROWS, cfg); }

int hg_config_load_table(const struct hg_config_table *table, hg_config_lookup_fn lookup, const void *arg, char *err,
			 size_t errlen)
{
	for (size_t i = 0; i < table->n; i++) {
		const struct hg_config_row *r = &table->rows[i];
		const char *value = lookup(r->env, arg);
		if (value == NULL || value[0] == '\0')
			value = r->def;
		if (value == NULL)
			continue;
		if (load_row(table->values, r, value, err, errlen) != 0) {
			rows_cleanup(table->rows, table->n, table->values);
			return -1;
		}
	}
	return 0;
}

void hg_config_table_json(const struct hg_config_table *table, json_t *obj)
{
	rows_json(table->rows, table->n, table->values, obj);
}

void hg_config_table_cleanup(const struct hg_config_table *table)
{
	rows_cleanup(table->rows, table->n, table->values);
}
