/* identity.c - the district's sign-in resolved to an educator: the lookup, its cache, the read model. */
#include "common/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "common/log.h"
#include "common/roles.h"
#include "common/validate.h"
#include "common/xmalloc.h"

/* Roles that act as an educator: their principal must be one. */
#define EDUCATOR_ROLES (HG_ROLE(TEACHER) | HG_ROLE(COACH) | HG_ROLE(SCHOOL_LEADER))
/* Slots a key may take (one set of the cache). */
#define WAYS 8

const struct hg_reason hg_identity_unknown = {"unknown_principal", HG_FORBIDDEN,
					      "the token's identity claim matches no educator of the district"};
const struct hg_reason hg_identity_inactive = {"principal_inactive", HG_FORBIDDEN,
					       "the token's identity claim names an educator who is no longer active"};
const struct hg_reason hg_identity_ambiguous = {
	"ambiguous_principal", HG_FORBIDDEN,
	"the token's identity claim matches more than one educator of the district"};

static const char *const match_names[] = {"id", "email", "sourced_id", "username", "user_master_identifier"};

int hg_identity_match_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(match_names) / sizeof(match_names[0]); i++)
		if (strcmp(name, match_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *hg_identity_match_name(enum hg_identity_match m) { return match_names[m]; }

/* cache */

struct entry {
	uint64_t hash;
	char *key; /* "district value"; NULL: empty */
	char district[37];
	char educator_id[37];
	int active;
	unsigned roles; /* the directory's HG_ROLE bits */
	int64_t expires_ms;
};

struct hg_identity_cache {
	pthread_mutex_t mu;
	struct entry *slots;
	size_t nsets; /* a power of two; WAYS slots each */
	int64_t ttl_ms;
	uint64_t generation; /* moved by every forget: a lookup that began before one caches nothing */
};

static uint64_t fnv1a(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = a; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0x1f) * 1099511628211ULL;
	for (const char *p = b; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

static int same_key(const struct entry *e, uint64_t hash, const char *district, const char *value)
{
	return e->key != NULL && e->hash == hash && strcmp(e->district, district) == 0 && strcmp(e->key, value) == 0;
}

struct hg_identity_cache *hg_identity_cache_new(size_t capacity, int64_t ttl_ms)
{
	struct hg_identity_cache *c = xcalloc(1, sizeof(*c));
	size_t sets = 1;
	while (sets * WAYS < capacity)
		sets *= 2;
	c->nsets = sets;
	c->slots = xcalloc(sets * WAYS, sizeof(*c->slots));
	c->ttl_ms = ttl_ms;
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void hg_identity_cache_free(struct hg_identity_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nsets * WAYS; i++)
		free(c->slots[i].key);
	free(c->slots);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

int hg_identity_cache_get(struct hg_identity_cache *c, const char *district, const char *value, int64_t now_ms,
			  char *educator_id, int *active, unsigned *roles)
{
	uint64_t h = fnv1a(district, value);
	int found = 0;
	if (c == NULL || c->ttl_ms <= 0)
		return 0;
	pthread_mutex_lock(&c->mu);
	struct entry *set = &c->slots[(h & (c->nsets - 1)) * WAYS];
	for (size_t i = 0; i < WAYS; i++) {
		if (same_key(&set[i], h, district, value) && set[i].expires_ms > now_ms) {
			memcpy(educator_id, set[i].educator_id, 37);
			*active = set[i].active;
			*roles = set[i].roles;
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&c->mu);
	return found;
}

uint64_t hg_identity_cache_generation(struct hg_identity_cache *c)
{
	uint64_t g = 0;
	if (c == NULL)
		return 0;
	pthread_mutex_lock(&c->mu);
	g = c->generation;
	pthread_mutex_unlock(&c->mu);
	return g;
}

void hg_identity_cache_put(struct hg_identity_cache *c, uint64_t generation, const char *district, const char *value,
			   const char *educator_id, int active, unsigned roles, int64_t now_ms)
{
	uint64_t h = fnv1a(district, value);
	if (c == NULL || c->ttl_ms <= 0)
		return;
	pthread_mutex_lock(&c->mu);
	if (generation != c->generation) { /* something was forgotten since the lookup began: it may be stale */
		pthread_mutex_unlock(&c->mu);
		return;
	}
	struct entry *set = &c->slots[(h & (c->nsets - 1)) * WAYS];
	struct entry *e = NULL;
	for (size_t i = 0; i < WAYS && e == NULL; i++)
		if (same_key(&set[i], h, district, value))
			e = &set[i];
	for (size_t i = 0; i < WAYS && e == NULL; i++)
		if (set[i].key == NULL)
			e = &set[i];
	if (e == NULL) { /* the set is full: the entry that expires first goes */
		e = &set[0];
		for (size_t i = 1; i < WAYS; i++)
			if (set[i].expires_ms < e->expires_ms)
				e = &set[i];
	}
	if (e->key == NULL || strcmp(e->key, value) != 0) {
		free(e->key);
		e->key = xstrdup(value);
	}
	e->hash = h;
	snprintf(e->district, sizeof(e->district), "%s", district);
	snprintf(e->educator_id, sizeof(e->educator_id), "%s", educator_id);
	e->active = active;
	e->roles = roles;
	e->expires_ms = now_ms + c->ttl_ms;
	pthread_mutex_unlock(&c->mu);
}

size_t hg_identity_cache_forget(struct hg_identity_cache *c, const char *district, const char *educator_id)
{
	size_t n = 0;
	if (c == NULL)
		return 0;
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < c->nsets * WAYS; i++) {
		struct entry *e = &c->slots[i];
		if (e->key != NULL && strcmp(e->educator_id, educator_id) == 0 && strcmp(e->district, district) == 0) {
			free(e->key);
			memset(e, 0, sizeof(*e));
			n++;
		}
	}
	c->generation++;
	pthread_mutex_unlock(&c->mu);
	return n;
}

void hg_identity_cache_clear(struct hg_identity_cache *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < c->nsets * WAYS; i++) {
		free(c->slots[i].key);
		memset(&c->slots[i], 0, sizeof(c->slots[i]));
	}
	c->generation++;
	pthread_mutex_unlock(&c->mu);
}

size_t hg_identity_cache_count(struct hg_identity_cache *c)
{
	size_t n = 0;
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < c->nsets * WAYS; i++)
		n += c->slots[i].key != NULL;
	pthread_mutex_unlock(&c->mu);
	return n;
}

/* the read model */

const struct hg_stmt hg_identity_lookup_stmt = {
	"hg_identity_lookup",
	"SELECT educator_id::text, active, array_to_string(roles, ',') FROM identities"
	" WHERE district_id = $1 AND kind = $2 AND value = $3 LIMIT 2",
	3};

/* A newer version of the educator replaces their values; a stale or replayed event changes nothing. */
static const struct hg_stmt forget_stmt = {
	"hg_identity_forget", "DELETE FROM identities WHERE district_id = $1 AND educator_id = $2 AND version < $3", 3};
static const struct hg_stmt insert_stmt = {
	"hg_identity_insert",
	"INSERT INTO identities (district_id, educator_id, kind, value, active, version, roles)"
	" SELECT $1, $2, v.kind, v.value, $4, $3,"
	" coalesce(ARRAY(SELECT jsonb_array_elements_text($9::jsonb)), '{}')"
	" FROM (VALUES ('email', lower($5)), ('sourced_id', $6),"
	" ('username', $7), ('user_master_identifier', $8)) AS v (kind, value)"
	" WHERE v.value IS NOT NULL AND v.value <> ''"
	" AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.district_id = $1 AND i.educator_id = $2)",
	9};
/* An event without the values (a deactivation may leave them out) changes only the status. */
static const struct hg_stmt status_stmt = {"hg_identity_status",
					   "UPDATE identities SET active = $4, version = $3"
					   " WHERE district_id = $1 AND educator_id = $2 AND version < $3",
					   4};

enum hg_status hg_identity_apply(struct hg_db_conn *conn, const struct hg_roster_educator *ed)
{
	char version[24];
	const char *active = strcmp(ed->status, "active") == 0 ? "true" : "false";
	snprintf(version, sizeof(version), "%lld", ed->version);
	if (ed->email == NULL && ed->sourced_id == NULL && ed->username == NULL && ed->user_master_identifier == NULL) {
		const char *p[4] = {ed->district_id, ed->educator_id, version, active};
		return hg_db_exec(conn, &status_stmt, p, NULL);
	}
	char *roles = ed->roles != NULL ? json_dumps(ed->roles, JSON_COMPACT) : NULL;
	const char *p[9] = {ed->district_id,
			    ed->educator_id,
			    version,
			    active,
			    ed->email,
			    ed->sourced_id,
			    ed->username,
			    ed->user_master_identifier,
			    roles};
	enum hg_status st = hg_db_exec(conn, &forget_stmt, p, NULL);
	if (st == HG_OK)
		st = hg_db_exec(conn, &insert_stmt, p, NULL);
	free(roles);
	return st;
}

/* resolving */

void hg_identity_subject_id(const char *sub, char out[37])
{
	/* A namespace of Homegrown's own, so made ids never collide with another system's v5 ids. */
	static const uuid_t ns = {0x6b, 0x1e, 0x55, 0x0c, 0x2f, 0x3a, 0x4d, 0x8e,
				  0x9a, 0x41, 0x57, 0x0d, 0x6f, 0x2b, 0x11, 0x9c};
	uuid_t u;
	if (hg_is_uuid(sub)) {
		hg_uuid_lower(sub, out);
		return;
	}
	uuid_generate_sha1(u, ns, sub, strlen(sub));
	uuid_unparse_lower(u, out);
}

/* The role bits of "a,b,c" that the directory may grant: every known role but district_admin (and the machine
 * roles, which no educator holds), which only the token grants. */
unsigned hg_identity_directory_roles(const char *list)
{
	unsigned bits = 0;
	char name[64];
	while (list != NULL && *list != '\0') {
		size_t n = strcspn(list, ",");
		if (n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			bits |= hg_role_from_claim(name);
		}
		list += n + (list[n] == ',');
	}
	return bits & ~(HG_ROLE(DISTRICT_ADMIN) | HG_ROLE(SIS_INTEGRATION) | HG_ROLE(STATE_REPORTER));
}

/* The roster's answer for (district, value): 1 found (educator_id, *active, *roles), 0 none, 2 ambiguous,
 * -1 failed. */
static int lookup(const struct hg_identity *id, struct hg_db_pool *pool, const struct hg_principal *who,
		  char *educator_id, int *active, unsigned *roles)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	int found = -1;
	if (hg_db_acquire(pool, &conn) != HG_OK)
		return -1;
	const char *p[3] = {who->district_id, hg_identity_match_name(id->match), who->claim};
	if (hg_db_exec(conn, id->lookup, p, &res) == HG_OK) {
		found = PQntuples(res) > 1 ? 2 : PQntuples(res);
		if (found == 1) {
			snprintf(educator_id, 37, "%s", PQgetvalue(res, 0, 0));
			*active = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
			*roles = hg_identity_directory_roles(PQgetvalue(res, 0, 2));
		}
	}
	PQclear(res);
	hg_db_release(pool, conn);
	return found;
}

const struct hg_reason *hg_identity_resolve(const struct hg_identity *id, struct hg_db_pool *pool,
					    struct hg_principal *who, int64_t now_ms, enum hg_status *st)
{
	char educator[37];
	int active = 0, found = 0;
	unsigned roles = 0;
	int needs_educator = (who->roles & EDUCATOR_ROLES) != 0;

	*st = HG_OK;
	if (id == NULL || id->match == HG_MATCH_ID)
		return NULL; /* the token names the educator's id itself (checked by hg_auth_verify) */
	if (who->has_claim) {
		found = hg_identity_cache_get(id->cache, who->district_id, who->claim, now_ms, educator, &active,
					      &roles);
		if (!found) {
			uint64_t generation = hg_identity_cache_generation(id->cache);
			found = lookup(id, pool, who, educator, &active, &roles);
			if (found < 0) {
				*st = HG_UNAVAILABLE;
				return NULL;
			}
			if (found == 1)
				hg_identity_cache_put(id->cache, generation, who->district_id, who->claim, educator,
						      active, roles, now_ms);
		}
	}
	if (found == 2)
		return &hg_identity_ambiguous;
	if (found == 1 && !active)
		return &hg_identity_inactive;
	if (found == 1) {
		memcpy(who->sub, educator, sizeof(who->sub));
		who->roles |= roles; /* the token's roles and the directory's (docs/conventions.md) */
		return NULL;
	}
	if (needs_educator)
		return &hg_identity_unknown;
	/* district_admin, sis_integration, state_reporter: no educator needed. */
	hg_identity_subject_id(who->subject, who->sub);
	return NULL;
}
