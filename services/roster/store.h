/* store.h - the roster directory in PostgreSQL (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district: a row of another
 * district is indistinguishable from a missing one (HG_NOT_FOUND). Lists
 * are ordered by when a row was first imported (keyset on an internal
 * sequence number). Changes and their events commit together.
 */
#ifndef ROSTER_STORE_H
#define ROSTER_STORE_H

#include <jansson.h>

#include "auth.h"
#include "cursor.h"
#include "db.h"
#include "educator.h"

/* A page: *items a new array, *next (caller frees) the next page's cursor or NULL. */
struct store_page {
	const struct hg_cursor *after; /* NULL: the first page */
	long limit;
	json_t *items;
	char *next;
};

struct educator_filter {
	const char *school_id; /* each NULL when not filtering */
	const char *role;
	const char *q;
	const char *status;
};

enum hg_status store_school_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *status,
				 struct store_page *page);
enum hg_status store_school_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				json_t **out);
/* Apply validated changes (If-Match: the raw header or NULL); emits school.upserted. */
enum hg_status store_school_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				   json_t *changes, const char *if_match, json_t **out);

enum hg_status store_educator_list(struct hg_db_pool *pool, const struct hg_principal *who,
				   const struct educator_filter *filter, struct store_page *page);
/* One educator who may see; HG_NOT_FOUND otherwise. */
enum hg_status store_educator_get(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				  json_t **out);
/* Set started_teaching_on; emits educator.upserted. */
enum hg_status store_educator_update(struct hg_db_pool *pool, const struct hg_principal *who, const char *id,
				     json_t *changes, const char *if_match, json_t **out);

enum hg_status store_session_list(struct hg_db_pool *pool, const struct hg_principal *who, const char *status,
				  struct store_page *page);

#endif
