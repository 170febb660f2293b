/* credential.h - an award as an Open Badges 3.0 AchievementCredential, and the revocation status list
 * (pure: JSON in, JSON out; no HTTP, no SQL, no key).
 *
 * The credential (VC Data Model 2.0, OB 3.0 context 3.0.3) names the district as issuer (a Profile), the
 * micro-credential as the achievement (its criteria as a narrative of each criterion's passing level, its
 * competency as an alignment, with the competency's own alignment to a standard when it has one), the recipient
 * as a salted hashed email or identifier (IdentityObject, "sha256$<hex>") or a DID, and a
 * BitstringStatusListEntry pointing at the district's status list. Every URL is under base_url (the gateway's
 * public origin). signer.c signs it as a VC-JWT (credential_jwt_claims).
 */
#ifndef CREDENTIALS_CREDENTIAL_H
#define CREDENTIALS_CREDENTIAL_H

#include <jansson.h>
#include <stddef.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

#define CREDENTIAL_STATUS_LIST_BITS 131072 /* 16 KiB: the Bitstring Status List's minimum, for herd privacy */

/* award: credential_award_json's object (credential_store.c). A new AchievementCredential. */
json_t *credential_build(json_t *award, const char *base_url, const char *issuer_name);

/* The JWT claims of a credential (OB 3.0 section 8.2): {"iss", "jti", "nbf", "sub"?, "vc"} (new; vc borrowed
 * into it). awarded_epoch: the credential's validFrom in seconds. */
json_t *credential_jwt_claims(json_t *vc, long long awarded_epoch);

/* The district's status list (list number list) with the bits of revoked (an array of status indices) set, as a
 * new BitstringStatusListCredential, valid from now (RFC 3339). NULL when compression fails. */
json_t *credential_status_list(const char *base_url, const char *district_id, long list, json_t *revoked,
			       const char *issuer_name, const char *now);

/* "u" + base64url(gzip(bits)) (the Multibase encodedList) of a bitstring of nbytes; a new string or NULL. */
char *credential_encode_bits(const unsigned char *bits, size_t nbytes);

/* {"reason": 1-1000 characters} → a new {"reason"}, or NULL with errs. */
json_t *credential_validate_revoke(json_t *body, const struct hg_input *in, json_t *errs);
/* A credential is revoked once (state: {"status": "active" | "revoked"}). */
const struct hg_reason *credential_rule_revoke(const struct hg_principal *who, json_t *state, json_t *changes);

#endif
