/* credentials_settings.c - HG_RESOURCES_CREDENTIAL_* rows and the issuer's key. */
#include "services/resources/credentials/credentials_settings.h"

#include <stddef.h>

#include "common/log.h"

static struct credentials_settings settings; /* set once before any thread starts, read-only afterwards */
static struct signer *issuer;                /* the same */

#define STR(env, def, minlen, field) HG_CONFIG_STR(env, def, minlen, 0, NULL, struct credentials_settings, field)

static const struct hg_config_row rows[] = {
	STR("HG_RESOURCES_CREDENTIAL_KEY_FILE", "", 0, key_file),
	STR("HG_RESOURCES_CREDENTIAL_KID", "homegrown-credentials-1", 1, kid),
	STR("HG_RESOURCES_CREDENTIAL_BASE_URL", "http://127.0.0.1:8080", 8, base_url),
	STR("HG_RESOURCES_CREDENTIAL_ISSUER_NAME", "Homegrown professional learning", 1, issuer_name),
};

const struct hg_config_table credentials_settings_table = {rows, sizeof(rows) / sizeof(rows[0]), &settings};

int credentials_start(struct hg_db_pool *pool, const void *values)
{
	const struct credentials_settings *s = values;
	char err[256];
	(void)pool;
	issuer = signer_create(s->key_file, s->kid, err, sizeof(err));
	if (issuer == NULL) {
		hg_log(HG_LOG_ERROR, "micro-credentials: %s", err);
		return -1;
	}
	if (!s->key_file[0])
		hg_log(HG_LOG_WARN,
		       "micro-credentials: HG_RESOURCES_CREDENTIAL_KEY_FILE is not set: credentials are signed "
		       "with a key generated now, and stop verifying when the service restarts");
	return 0;
}

void credentials_stop(void)
{
	signer_destroy(issuer);
	issuer = NULL;
}

const struct signer *credentials_signer(void) { return issuer; }
