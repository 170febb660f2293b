/* identity.h - who a token's principal is: the district's sign-in resolved to an educator of the roster.
 *
 * An identity provider knows its users by its own claims (sub, email, preferred_username, ...), never by the id
 * Homegrown gave an educator on import. HG_IDENTITY_CLAIM names the claim that identifies the principal and
 * HG_IDENTITY_MATCH what it holds: the educator's id (the default, no lookup), or their email, OneRoster
 * sourcedId, username or userMasterIdentifier, which the SIS and the IdP share. Each service resolves the
 * claim once per request through its roster read model (the common table identities, fed by the roster's
 * educator events; the roster looks in its own educators), and keeps what it resolved in a bounded cache for
 * HG_IDENTITY_CACHE_TTL_S. The replica that applies a roster event about an educator forgets their entries once
 * the event's transaction commits; the roster forgets everything after a commit that wrote events; any other
 * replica keeps an entry at most HG_IDENTITY_CACHE_TTL_S.
 *
 * A resolved educator's roles are the token's and the directory's (the roster's roles: derived from OneRoster
 * and assigned by the district), except district_admin, which only the token grants.
 *
 * Roles that need no educator (district_admin, sis_integration, state_reporter) work without one: their
 * principal's id is then the token's sub when it is a UUID, else a UUID made from the sub (v5). A principal with
 * an educator role (teacher, coach, school_leader) that matches no educator, or an inactive one, is refused.
 */
#ifndef HG_IDENTITY_H
#define HG_IDENTITY_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "common/auth.h"
#include "common/db.h"
#include "common/reason.h"
#include "common/roster_event.h"

/* The HG_IDENTITY_MATCH value's match, or -1. */
int hg_identity_match_from_name(const char *name);
/* Its name as the identities table stores it ("email", ...). */
const char *hg_identity_match_name(enum hg_identity_match m);

/* The refusals of an unresolved principal (403, with the code as the problem's "reason"). */
extern const struct hg_reason hg_identity_unknown;   /* unknown_principal */
extern const struct hg_reason hg_identity_inactive;  /* principal_inactive */
extern const struct hg_reason hg_identity_ambiguous; /* ambiguous_principal */

/* A bounded cache of resolved principals (district, claim value → educator, active), safe across threads. */
struct hg_identity_cache;

/* capacity entries at most (rounded up to a power of two), each reused for ttl_ms (0: nothing is kept). */
struct hg_identity_cache *hg_identity_cache_new(size_t capacity, int64_t ttl_ms);
void hg_identity_cache_free(struct hg_identity_cache *c);
/* 1 with educator_id (37 bytes) and *active filled when a live entry holds key (district, value); else 0. */
int hg_identity_cache_get(struct hg_identity_cache *c, const char *district, const char *value, int64_t now_ms,
			  char *educator_id, int *active, unsigned *roles);
/* The cache's generation: read it before a lookup and give it to put, which keeps nothing when a forget or a
 * clear came in between (the lookup may have read what was just changed). */
uint64_t hg_identity_cache_generation(struct hg_identity_cache *c);
void hg_identity_cache_put(struct hg_identity_cache *c, uint64_t generation, const char *district, const char *value,
			   const char *educator_id, int active, unsigned roles, int64_t now_ms);
/* Forget every entry of one educator (a roster event changed them); returns how many. */
size_t hg_identity_cache_forget(struct hg_identity_cache *c, const char *district, const char *educator_id);
/* Forget everything (the roster, after a commit that changed educators). */
void hg_identity_cache_clear(struct hg_identity_cache *c);
/* Entries held (live or not yet overwritten). */
size_t hg_identity_cache_count(struct hg_identity_cache *c);

/*
 * The lookup of the roster read model: $1 district, $2 the match's name, $3 the value (an email lower-cased)
 * → rows (educator_id text, active boolean, the educator's roles as "a,b,c"), at most 2 (two rows: ambiguous). A
 * service whose educators live elsewhere (the roster) gives its own statement.
 */
extern const struct hg_stmt hg_identity_lookup_stmt;

/* What a service resolves principals with. */
struct hg_identity {
	enum hg_identity_match match;
	struct hg_identity_cache *cache; /* NULL: none */
	const struct hg_stmt *lookup;    /* hg_identity_lookup_stmt or the service's own */
};

/*
 * Resolve who (verified by hg_auth_verify) to an educator: NULL with who->sub set to the educator's id (or, for
 * roles that need no educator, the subject's id), or a refusal (hg_identity_unknown, ...). *st is HG_OK, or
 * the database's failure (HG_UNAVAILABLE) with NULL returned: answer 503.
 */
const struct hg_reason *hg_identity_resolve(const struct hg_identity *id, struct hg_db_pool *pool,
					    struct hg_principal *who, int64_t now_ms, enum hg_status *st);

/* Apply a roster educator event to the identities table (inside the consumer's transaction). */
enum hg_status hg_identity_apply(struct hg_db_conn *conn, const struct hg_roster_educator *ed);

/* The HG_ROLE bits the directory's roles ("coach,teacher") add to a resolved caller's: any known role but
 * district_admin, sis_integration and state_reporter, which only a token grants. */
unsigned hg_identity_directory_roles(const char *list);

/* The id a principal without an educator gets from its sub: the sub itself when a UUID, else a UUID v5. */
void hg_identity_subject_id(const char *sub, char out[37]);

#endif
