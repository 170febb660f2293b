/* review_store.h - reviews and content checks of library resources in PostgreSQL (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district, and a deleted resource is a missing one
 * (HG_NOT_FOUND). A review and the resource's rating aggregate change in one transaction, under the
 * resource row's lock, with the event; so are a content check, the due date it moves and its event.
 */
#ifndef RESOURCES_REVIEW_STORE_H
#define RESOURCES_REVIEW_STORE_H

#include <jansson.h>

#include "auth.h"
#include "cursor.h"
#include "db.h"

/*
 * who reviews resource_id with fields (validated: rating, comment). HG_NOT_FOUND for no such resource,
 * HG_CONFLICT when who has reviewed it already. *out (new reference) is the stored review.
 */
enum hg_status review_store_create(struct hg_db_pool *pool, const struct hg_principal *who, const char *resource_id,
				   json_t *fields, json_t **out);

/*
 * Apply validated changes to review review_id of resource_id. if_match is the raw If-Match header (NULL:
 * none). HG_NOT_FOUND, HG_FORBIDDEN (who is not its author) or HG_PRECONDITION_FAILED (stale).
 */
enum hg_status review_store_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *resource_id,
				   const char *review_id, json_t *changes, const char *if_match, json_t **out);

/* One review; *out new reference. */
enum hg_status review_store_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *resource_id,
				const char *review_id, json_t **out);

/*
 * A page of the reviews of resource_id, newest first, after cursor (NULL: from the start). *items new
 * array; *next (caller frees) the following page's cursor or NULL. HG_NOT_FOUND for no such resource.
 */
enum hg_status review_store_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *resource_id,
				 const struct hg_cursor *after, long limit, json_t **items, char **next);

/*
 * Record a content check of resource_id by who with fields (validated: note, review_due_on), moving the
 * resource's review_due_on. *out (new reference) is the check.
 */
enum hg_status content_check_store_create(struct hg_db_pool *pool, const struct hg_principal *who,
					  const char *resource_id, json_t *fields, json_t **out);

#endif
