/* credentials_settings.h - the micro-credentials' configuration (HG_RESOURCES_CREDENTIAL_*) and the issuer's key,
 * loaded once when hg-resources starts (before any request), read-only afterwards. */
#ifndef CREDENTIALS_SETTINGS_H
#define CREDENTIALS_SETTINGS_H

#include "common/config.h"
#include "common/db.h"
#include "services/resources/credentials/signer.h"

struct credentials_settings {
	char *key_file;    /* PEM of the EC P-256 issuer key; "": a key generated at start (development) */
	char *kid;         /* the key's id in the JWKS and JWT headers */
	char *base_url;    /* the public origin of every URL a credential names (the gateway's) */
	char *issuer_name; /* the issuer Profile's name */
};

extern const struct hg_config_table credentials_settings_table;

/* The worker_start hook: load (or generate) the issuer key. 0, or -1 (logged): the service does not start. */
int credentials_start(struct hg_db_pool *pool, const void *settings);
void credentials_stop(void);

/* The issuer's key (borrowed; set by credentials_start). */
const struct signer *credentials_signer(void);

#endif
