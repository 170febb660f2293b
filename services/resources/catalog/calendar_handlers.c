/* calendar_handlers.c - calendar feeds over HTTP: the educator's feed secret (with a token) and the feeds
 * themselves (the secret in the path, no token: calendar programs cannot send one). */
#include "services/resources/catalog/calendar_handlers.h"

#include <stdlib.h>
#include <string.h>

#include "common/reply.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "services/resources/catalog/calendar.h"
#include "services/resources/catalog/calendar_store.h"

#define FEEDS "/v1/catalog/calendar/feeds/"

void calendar_handle_put(struct hg_request *req)
{
	char secret[CALENDAR_SECRET_LEN + 1], hash[CALENDAR_SECRET_HASH_LEN + 1];
	json_t *feed = NULL;
	enum hg_status st = HG_INTERNAL;

	if (calendar_secret_new(secret) && calendar_secret_hash(secret, hash))
		st = calendar_store_put(req->pool, &req->who, hash, &feed);
	if (st != HG_OK) {
		hg_reply_status(req, st, "calendar feed");
		goto out;
	}
	int created = json_is_true(json_object_get(feed, "created"));
	json_object_del(feed, "created");
	json_object_set_new(feed, "secret", json_string(secret));
	json_object_set_new(feed, "educator_feed", json_sprintf(FEEDS "%s/educator", secret));
	json_object_set_new(feed, "district_feed", json_sprintf(FEEDS "%s/district", secret));
	json_object_set_new(feed, "school_feed", json_sprintf(FEEDS "%s/schools/{school_id}", secret));
	/* The answer holds the secret: no cache keeps it. */
	hg_set_header(req, "Cache-Control", "no-store");
	hg_reply_json(req, created ? 201 : 200, feed);
out:
	memset(secret, 0, sizeof(secret));
	json_decref(feed);
}

void calendar_handle_get(struct hg_request *req)
{
	json_t *feed = NULL;
	enum hg_status st = calendar_store_get(req->pool, &req->who, &feed);
	if (st == HG_OK)
		hg_reply_json(req, 200, feed);
	else
		hg_reply_status(req, st, "calendar feed");
	json_decref(feed);
}

void calendar_handle_revoke(struct hg_request *req)
{
	enum hg_status st = calendar_store_revoke(req->pool, &req->who);
	if (st == HG_OK)
		hg_reply_empty(req, 204);
	else
		hg_reply_status(req, st, "calendar feed");
}

/* The feed of kind for the secret in the path (and the school, for a school's): 404 for a secret that is
 * malformed, unknown, revoked or held by someone the roster no longer has active, alike. */
static void feed(struct hg_request *req, enum calendar_kind kind, const char *name)
{
	const char *secret = hg_param(req, "secret");
	const char *school_param = kind == CALENDAR_SCHOOL ? hg_param(req, "school_id") : NULL;
	char hash[CALENDAR_SECRET_HASH_LEN + 1];
	struct calendar_holder holder;
	json_t *events = NULL;
	char *text = NULL, school_id[37];
	const char *school = NULL;
	enum hg_status st = HG_NOT_FOUND;

	if (school_param != NULL && hg_is_uuid(school_param)) {
		hg_uuid_lower(school_param, school_id);
		school = school_id;
	}
	if (calendar_secret_shaped(secret) && (kind != CALENDAR_SCHOOL || school != NULL)) {
		st = calendar_secret_hash(secret, hash) ? HG_OK : HG_INTERNAL;
		if (st == HG_OK)
			st = calendar_store_holder(req->pool, hash, school, &holder);
	}
	if (st == HG_OK)
		st = calendar_store_events(req->pool, kind, &holder, school, &events);
	if (st != HG_OK) {
		hg_reply_status(req, st, "calendar feed");
		goto out;
	}
	text = calendar_render(kind, name, events);
	/* Private to its holder: shared caches keep none of it. */
	hg_set_header(req, "Cache-Control", "private, no-cache");
	hg_reply_text(req, 200, "text/calendar; charset=utf-8", text);
out:
	free(text);
	json_decref(events);
}

void calendar_handle_educator_feed(struct hg_request *req) { feed(req, CALENDAR_EDUCATOR, "My professional learning"); }

void calendar_handle_district_feed(struct hg_request *req)
{
	feed(req, CALENDAR_DISTRICT, "District professional learning");
}

void calendar_handle_school_feed(struct hg_request *req) { feed(req, CALENDAR_SCHOOL, "School professional learning"); }
