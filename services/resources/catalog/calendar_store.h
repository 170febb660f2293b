/* calendar_store.h - calendar feeds in PostgreSQL: the educators' feed secrets (as hashes) and the events each
 * feed shows (SQL only; no HTTP). */
#ifndef CATALOG_CALENDAR_STORE_H
#define CATALOG_CALENDAR_STORE_H

#include <jansson.h>

#include "common/auth.h"
#include "common/db.h"
#include "services/resources/catalog/calendar.h"

/* Who holds a feed secret: its educator and district. */
struct calendar_holder {
	char district_id[37];
	char educator_id[37];
};

/* Set who's feed to the secret whose hash is hash (a new feed, or a rotation: the old secret stops working).
 * *feed: {"educator_id", "created_at", "rotated_at", "created" (true for a new feed)} (new reference). */
enum hg_status calendar_store_put(struct hg_db_pool *pool, const struct hg_principal *who, const char *hash,
				  json_t **feed);
/* who's feed ({"educator_id", "created_at", "rotated_at"}, new reference), or HG_NOT_FOUND. */
enum hg_status calendar_store_get(struct hg_db_pool *pool, const struct hg_principal *who, json_t **feed);
/* Revoke who's feed: HG_OK, or HG_NOT_FOUND when there is none. */
enum hg_status calendar_store_revoke(struct hg_db_pool *pool, const struct hg_principal *who);

/*
 * The holder of the secret whose hash is hash, when the feed exists and its educator is active in the roster
 * read model; with school (a UUID, or NULL) also only when the educator is assigned to that school. Else
 * HG_NOT_FOUND.
 */
enum hg_status calendar_store_holder(struct hg_db_pool *pool, const char *hash, const char *school,
				     struct calendar_holder *out);
/* The events of a feed (the array calendar_render takes, new reference) for holder: kind's sessions in
 * holder's district (school: the school's, CALENDAR_SCHOOL only). */
enum hg_status calendar_store_events(struct hg_db_pool *pool, enum calendar_kind kind,
				     const struct calendar_holder *holder, const char *school, json_t **events);

#endif
