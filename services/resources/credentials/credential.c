/* credential.c - Open Badges 3.0 AchievementCredentials and Bitstring Status List credentials. */
#include "services/resources/credentials/credential.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/base64url.h"
#include "common/xmalloc.h"
#include "services/resources/reasons.h"

#define VC_CONTEXT "https://www.w3.org/ns/credentials/v2"
#define OB_CONTEXT "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

static const char *str(json_t *obj, const char *key) { return json_string_value(json_object_get(obj, key)); }

/* "<base>/v1/credentials/<what>/<id>" (a new string). */
static json_t *url(const char *base, const char *what, const char *id)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s/v1/credentials/%s/%s", base, what, id);
	return json_string(buf);
}

/* What earning it takes, in words: each criterion and the rubric level it must reach. */
static json_t *narrative(json_t *criteria)
{
	size_t i, cap = 256, len = 0;
	json_t *c;
	char *out = xmalloc(cap);
	out[0] = '\0';
	json_array_foreach(criteria, i, c) {
		json_t *levels = json_object_get(c, "levels");
		json_int_t pass = json_integer_value(json_object_get(c, "passing_level"));
		const char *level = json_string_value(json_array_get(levels, (size_t)(pass - 1)));
		const char *desc = str(c, "description");
		int n = snprintf(NULL, 0, "%s%zu. %s: at least level %lld of %zu (%s).%s%s", i ? "\n" : "", i + 1,
				 str(c, "name"), (long long)pass, json_array_size(levels), level ? level : "",
				 desc && desc[0] ? " " : "", desc ? desc : "");
		while (len + (size_t)n + 1 > cap)
			cap *= 2;
		out = xrealloc(out, cap);
		snprintf(out + len, cap - len, "%s%zu. %s: at least level %lld of %zu (%s).%s%s", i ? "\n" : "", i + 1,
			 str(c, "name"), (long long)pass, json_array_size(levels), level ? level : "",
			 desc && desc[0] ? " " : "", desc ? desc : "");
		len += (size_t)n;
	}
	json_t *s = json_string(out);
	free(out);
	return s;
}

/* The competency as an Alignment, with its standard's framework and code when it is aligned to one. */
static json_t *alignments(json_t *competency, const char *base)
{
	json_t *std = json_object_get(competency, "alignment");
	json_t *a = json_pack("{s:[s], s:s, s:o}", "type", "Alignment", "targetName", str(competency, "name"),
			      "targetUrl", url(base, "competencies", str(competency, "id")));
	const char *description = str(competency, "description");
	if (description != NULL && description[0])
		json_object_set_new(a, "targetDescription", json_string(description));
	if (json_is_object(std)) {
		json_object_set_new(a, "targetFramework", json_string(str(std, "framework")));
		json_object_set_new(a, "targetCode", json_string(str(std, "code")));
		if (str(std, "url") != NULL)
			json_object_set_new(a, "targetUrl", json_string(str(std, "url")));
	}
	return json_pack("[o]", a);
}

json_t *credential_build(json_t *award, const char *base, const char *issuer_name)
{
	json_t *ach = json_object_get(award, "achievement");
	json_t *def = json_object_get(ach, "definition"), *competency = json_object_get(ach, "competency");
	json_t *recipient = json_object_get(award, "recipient");
	const char *district = str(award, "district_id");
	char id[64], list_url[512];
	long long status_index = json_integer_value(json_object_get(award, "status_index"));

	snprintf(id, sizeof(id), "urn:uuid:%s", str(award, "id"));
	snprintf(list_url, sizeof(list_url), "%s/v1/credentials/status/%s/%lld", base, district,
		 status_index / CREDENTIAL_STATUS_LIST_BITS);

	json_t *achievement =
		json_pack("{s:o, s:[s], s:s, s:s, s:s, s:{s:o}, s:o}", "id", url(base, "definitions", str(def, "id")),
			  "type", "Achievement", "achievementType", "MicroCredential", "name", str(def, "name"),
			  "description", str(def, "description"), "criteria", "narrative",
			  narrative(json_object_get(def, "criteria")), "alignment", alignments(competency, base));
	json_t *subject = json_pack("{s:[s], s:o}", "type", "AchievementSubject", "achievement", achievement);
	if (str(recipient, "did") != NULL) {
		json_object_set_new(subject, "id", json_string(str(recipient, "did")));
	} else {
		json_object_set_new(subject, "identifier",
				    json_pack("[{s:s, s:b, s:s, s:s, s:s}]", "type", "IdentityObject", "hashed", 1,
					      "identityHash", str(recipient, "hash"), "identityType",
					      str(recipient, "type"), "salt", str(recipient, "salt")));
	}
	if (strcmp(str(award, "credit_type"), "Hours") == 0)
		json_object_set(subject, "creditsEarned", json_object_get(award, "credits"));

	char list_entry[560];
	snprintf(list_entry, sizeof(list_entry), "%s#%lld", list_url, status_index % CREDENTIAL_STATUS_LIST_BITS);
	char list_index[32];
	snprintf(list_index, sizeof(list_index), "%lld", status_index % CREDENTIAL_STATUS_LIST_BITS);
	return json_pack("{s:[s, s], s:s, s:[s, s], s:{s:o, s:[s], s:s}, s:s, s:s, s:s, s:o, s:{s:s, s:s, s:s, s:s, "
			 "s:s}}",
			 "@context", VC_CONTEXT, OB_CONTEXT, "id", id, "type", "VerifiableCredential",
			 "AchievementCredential", "issuer", "id", url(base, "issuers", district), "type", "Profile",
			 "name", issuer_name, "name", str(def, "name"), "validFrom", str(award, "awarded_at"),
			 "awardedDate", str(award, "awarded_at"), "credentialSubject", subject, "credentialStatus",
			 "id", list_entry, "type", "BitstringStatusListEntry", "statusPurpose", "revocation",
			 "statusListIndex", list_index, "statusListCredential", list_url);
}

json_t *credential_jwt_claims(json_t *vc, long long awarded_epoch)
{
	json_t *subject = json_object_get(vc, "credentialSubject");
	json_t *claims = json_pack("{s:O, s:O, s:I, s:O}", "iss", json_object_get(json_object_get(vc, "issuer"), "id"),
				   "jti", json_object_get(vc, "id"), "nbf", (json_int_t)awarded_epoch, "vc", vc);
	if (json_object_get(subject, "id") != NULL)
		json_object_set(claims, "sub", json_object_get(subject, "id"));
	return claims;
}

char *credential_encode_bits(const unsigned char *bits, size_t nbytes)
{
	z_stream z;
	uLong cap = compressBound((uLong)nbytes) + 64;
	unsigned char *gz = xmalloc(cap);
	char *b64 = NULL, *out = NULL;

	memset(&z, 0, sizeof(z));
	/* windowBits 15 + 16: a gzip wrapper, as the Bitstring Status List asks */
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		goto out;
	z.next_in = (Bytef *)(uintptr_t)bits;
	z.avail_in = (uInt)nbytes;
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END)
		goto out;
	b64 = hg_b64url_encode(gz, z.total_out);
	out = xmalloc(strlen(b64) + 2);
	out[0] = 'u'; /* Multibase: base64url without padding */
	memcpy(out + 1, b64, strlen(b64) + 1);
out:
	free(gz);
	free(b64);
	return out;
}

json_t *credential_status_list(const char *base, const char *district, long list, json_t *revoked,
			       const char *issuer_name, const char *now)
{
	unsigned char *bits = xcalloc(CREDENTIAL_STATUS_LIST_BITS / 8, 1);
	size_t i;
	json_t *v, *out = NULL;
	char id[512], subject[560];
	char *encoded;

	json_array_foreach(revoked, i, v) {
		json_int_t at = json_integer_value(v) - (json_int_t)list * CREDENTIAL_STATUS_LIST_BITS;
		if (at < 0 || at >= CREDENTIAL_STATUS_LIST_BITS)
			continue;
		bits[at / 8] |= (unsigned char)(0x80u >> (at % 8)); /* index 0 is the first byte's highest bit */
	}
	encoded = credential_encode_bits(bits, CREDENTIAL_STATUS_LIST_BITS / 8);
	free(bits);
	if (encoded == NULL)
		return NULL;
	snprintf(id, sizeof(id), "%s/v1/credentials/status/%s/%ld", base, district, list);
	snprintf(subject, sizeof(subject), "%s#list", id);
	out = json_pack("{s:[s], s:s, s:[s, s], s:{s:o, s:[s], s:s}, s:s, s:{s:s, s:s, s:s, s:s}}", "@context",
			VC_CONTEXT, "id", id, "type", "VerifiableCredential", "BitstringStatusListCredential", "issuer",
			"id", url(base, "issuers", district), "type", "Profile", "name", issuer_name, "validFrom", now,
			"credentialSubject", "id", subject, "type", "BitstringStatusList", "statusPurpose",
			"revocation", "encodedList", encoded);
	free(encoded);
	return out;
}

json_t *credential_validate_revoke(json_t *body, const struct hg_input *in, json_t *errs)
{
	static const char *const fields[] = {"reason", NULL};
	const char *reason = NULL;
	size_t before = json_array_size(errs);
	(void)in;
	hg_check_known_fields(body, fields, errs);
	hg_check_string(body, "reason", 1, 0, 1, 1000, errs, &reason);
	return json_array_size(errs) > before ? NULL : json_pack("{s:o}", "reason", hg_trimmed(reason));
}

const struct hg_reason *credential_rule_revoke(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)who;
	(void)changes;
	return strcmp(json_string_value(json_object_get(state, "status")), "revoked") == 0
		       ? RESOURCES_REFUSE(R_CREDENTIAL_REVOKED)
		       : NULL;
}
