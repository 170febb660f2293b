/* calendar_routes.h - the calendar feeds' lines of the resources route table (mirrors api-spec/resources.yaml). */
#ifndef CATALOG_CALENDAR_ROUTES_H
/* a table: one entry a line, aligned by hand */
/* clang-format off */
#define CATALOG_CALENDAR_ROUTES_H

#include "common/roles.h"
#include "services/resources/catalog/calendar_handlers.h"

/* Staff manage their own feed's secret with a token; the feeds are read by the secret in the path alone
 * (roles 0: calendar programs send no token). The access log masks {secret} (common/server.c). */
#define CALENDAR_ROUTES                                                                                             \
	{"PUT", "/v1/catalog/calendar/feed", HG_ROLES_STAFF, calendar_handle_put, NULL},                             \
	{"GET", "/v1/catalog/calendar/feed", HG_ROLES_STAFF, calendar_handle_get, NULL},                             \
	{"DELETE", "/v1/catalog/calendar/feed", HG_ROLES_STAFF, calendar_handle_revoke, NULL},                       \
	{"GET", "/v1/catalog/calendar/feeds/{secret}/educator", 0, calendar_handle_educator_feed, NULL},            \
	{"GET", "/v1/catalog/calendar/feeds/{secret}/district", 0, calendar_handle_district_feed, NULL},            \
	{"GET", "/v1/catalog/calendar/feeds/{secret}/schools/{school_id}", 0, calendar_handle_school_feed, NULL}
/* clang-format on */

#endif
