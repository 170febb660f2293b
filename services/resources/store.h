/* store.h - library resources in PostgreSQL (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district: a row of another
 * district is indistinguishable from a missing one (HG_NOT_FOUND). Writes and
 * their events commit together.
 */
#ifndef RESOURCES_STORE_H
#define RESOURCES_STORE_H

#include <jansson.h>

#include "auth.h"
#include "db.h"

/* Insert from a validated create object; *out (new reference) is the stored resource. */
enum hg_status store_resource_create(struct hg_db_pool *pool, const struct hg_principal *who, json_t *fields,
				     json_t **out);

/* One live resource of who's district; *out new reference. */
enum hg_status store_resource_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				  json_t **out);

/*
 * Apply validated changes. if_match is the raw If-Match header (NULL: none).
 * HG_FORBIDDEN when who may not change it, HG_PRECONDITION_FAILED when stale.
 */
enum hg_status store_resource_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				     json_t *changes, const char *if_match, json_t **out);

/* Soft-delete with the same checks as update. */
enum hg_status store_resource_delete(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				     const char *if_match);

#endif
