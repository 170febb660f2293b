/* credential_handlers.c - issued credentials over HTTP: the public reads a verifier makes without a token (the
 * credential with its VC-JWT, the issuer's JWKS, a status list as a VC-JWT), and revocation by a district admin
 * (the CRUD kit). */
#include <stdint.h>
#include <stdlib.h>

#include "common/clock.h"
#include "common/reply.h"
#include "common/validate.h"
#include "services/resources/credentials/credential.h"
#include "services/resources/credentials/credentials_handlers.h"
#include "services/resources/credentials/credentials_settings.h"
#include "services/resources/credentials/credentials_store.h"

const struct hg_crud credential_revoke_crud = {
	.entity = &credential_revoke_entity,
	.validate_update = credential_validate_revoke,
};

/* GET /v1/credentials/awards/{id}: {"id", "status", "revoked_at", "credential", "jwt"}. */
void credential_handle_get(struct hg_request *req)
{
	const struct credentials_settings *s = req->settings;
	json_t *award = NULL, *vc = NULL, *claims = NULL;
	char id[37], *jwt = NULL;
	enum hg_status st;

	if (!hg_uuid_param_or_reply(req, "id", "credential", id))
		return;
	st = credential_store_get_public(req->pool, id, &award);
	if (st != HG_OK) {
		hg_reply_status(req, st, "credential");
		goto out;
	}
	vc = credential_build(award, s->base_url, s->issuer_name);
	claims = credential_jwt_claims(vc, json_integer_value(json_object_get(award, "awarded_epoch")));
	jwt = signer_sign_jwt(credentials_signer(), claims);
	if (jwt == NULL) {
		hg_reply_status(req, HG_INTERNAL, "credential");
		goto out;
	}
	json_t *revoked_at = json_object_get(award, "revoked_at");
	json_t *body = json_pack("{s:O, s:s, s:O, s:O, s:s}", "id", json_object_get(award, "id"), "status",
				 json_is_null(revoked_at) ? "active" : "revoked", "revoked_at", revoked_at,
				 "credential", vc, "jwt", jwt);
	hg_reply_json(req, 200, body); /* borrowed */
	json_decref(body);
out:
	free(jwt);
	json_decref(claims);
	json_decref(vc);
	json_decref(award);
}

/* GET /v1/credentials/jwks.json */
void credential_handle_jwks(struct hg_request *req)
{
	json_t *jwks = signer_jwks(credentials_signer());
	if (jwks == NULL)
		hg_reply_status(req, HG_INTERNAL, "key set");
	else
		hg_reply_json(req, 200, jwks);
	json_decref(jwks);
}

/* GET /v1/credentials/status/{district_id}/{list}: the BitstringStatusListCredential as a VC-JWT. */
void credential_handle_status(struct hg_request *req)
{
	const struct credentials_settings *s = req->settings;
	const char *list_text = hg_param(req, "list");
	json_t *revoked = NULL, *vc = NULL, *claims = NULL;
	char district[37], *jwt = NULL, *end = NULL, now[40];
	long list;

	if (!hg_uuid_param_or_reply(req, "district_id", "status list", district))
		return;
	list = list_text ? strtol(list_text, &end, 10) : -1;
	if (list_text == NULL || end == list_text || *end != '\0' || list < 0 || list > 1000000) {
		hg_reply_status(req, HG_NOT_FOUND, "status list");
		return;
	}
	enum hg_status st = credential_store_revoked(req->pool, district, list, &revoked);
	if (st != HG_OK) {
		hg_reply_status(req, st, "status list");
		goto out;
	}
	int64_t now_us = hg_clock_now_us();
	hg_clock_rfc3339(now_us, now, sizeof(now));
	vc = credential_status_list(s->base_url, district, list, revoked, s->issuer_name, now);
	if (vc != NULL)
		claims = json_pack("{s:O, s:O, s:I, s:O}", "iss", json_object_get(json_object_get(vc, "issuer"), "id"),
				   "jti", json_object_get(vc, "id"), "iat", (json_int_t)(now_us / 1000000), "vc", vc);
	jwt = claims ? signer_sign_jwt(credentials_signer(), claims) : NULL;
	if (jwt == NULL)
		hg_reply_status(req, HG_INTERNAL, "status list");
	else
		hg_reply_text(req, 200, "application/vc+jwt", jwt);
out:
	free(jwt);
	json_decref(claims);
	json_decref(vc);
	json_decref(revoked);
}
