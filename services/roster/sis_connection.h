/* sis_connection.h - the district's SIS connection: what PUT accepts (pure; no HTTP, no SQL).
 *
 * {"base_url": "https://...", "token_url": "https://...", "client_id": "...", "client_secret": "...",
 *  "scope": "..." | null, "schedule": {"time": "HH:MM", "time_zone": "Area/City"} | null, "use_deltas": bool}
 *
 * base_url is the provider's OneRoster 1.2 rostering service (".../ims/oneroster/rostering/v1p2"); both URLs
 * must be https (TLS is verified). PUT replaces the whole connection, the secret included; the secret is
 * sealed before it is stored (secret.h) and never answered.
 */
#ifndef ROSTER_SIS_CONNECTION_H
#define ROSTER_SIS_CONNECTION_H

#include <jansson.h>

#include "common/validate.h"

#define SIS_URL_MAX 2048
#define SIS_CLIENT_ID_MAX 256
#define SIS_SECRET_MAX 1024
#define SIS_SCOPE_MAX 1024
#define SIS_TIME_ZONE_MAX 64

/* Validate a PUT body: a new normalised object (use_deltas defaulted to true) or NULL with every bad field. */
json_t *sis_connection_validate(json_t *body, const struct hg_input *in, json_t *errs);

/* Is s a local time "HH:MM" (00:00 to 23:59)? */
int sis_time_valid(const char *s);

#endif
