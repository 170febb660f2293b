/* calendar_handlers.h - calendar feeds over HTTP (calendar_handlers.c). */
#ifndef CATALOG_CALENDAR_HANDLERS_H
#define CATALOG_CALENDAR_HANDLERS_H

#include "common/request.h"

/* The caller's own feed: PUT creates or rotates it (the answer is the only place its secret is ever shown),
 * GET says whether there is one, DELETE revokes it. */
void calendar_handle_put(struct hg_request *req);
void calendar_handle_get(struct hg_request *req);
void calendar_handle_revoke(struct hg_request *req);
/* The feeds, by secret (no token): the holder's own sessions, their district's, one of their schools'. */
void calendar_handle_educator_feed(struct hg_request *req);
void calendar_handle_district_feed(struct hg_request *req);
void calendar_handle_school_feed(struct hg_request *req);

#endif
