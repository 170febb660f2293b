/* roster_event.h - the roster service's educator events (homegrown.roster), read by the services that keep a
 * read model of educators (resources: school assignments; coaching: roles, schools and career stage). Pure. */
#ifndef HG_ROSTER_EVENT_H
#define HG_ROSTER_EVENT_H

#include <jansson.h>

#include "common/status.h"

#define HG_ROSTER_TOPIC "homegrown.roster"
/* Most school assignments, and most roles, one educator event may carry. */
#define HG_ROSTER_SCHOOLS_MAX 1000
#define HG_ROSTER_ROLES_MAX 16
/* Longest name (bytes) a read model keeps. */
#define HG_ROSTER_NAME_MAX 256
/* Longest identifier (email, sourced_id, username, userMasterIdentifier) an event may carry. */
#define HG_ROSTER_IDENTIFIER_MAX 1024

/* What an educator event says about one educator (strings and arrays borrowed from the event). */
struct hg_roster_educator {
	char district_id[37];
	char educator_id[37];
	const char *status; /* "active" or "inactive" (static) */
	long long version;
	json_t *school_ids;                   /* an array of UUID strings, or NULL (a deactivation may leave it out) */
	json_t *roles;                        /* an array of strings, or NULL when the event has none */
	const char *started_teaching_on;      /* "YYYY-MM-DD", or NULL when unknown */
	const char *given_name, *family_name; /* or NULL */
	/* What the district's sign-in may name them by (common/identity.h), each NULL when the event has none. */
	const char *email, *sourced_id, *username, *user_master_identifier;
};

/*
 * Read a CloudEvent from homegrown.roster. HG_OK with *out filled for educator.upserted and
 * educator.deactivated (a deactivated educator is inactive whatever its data says); HG_NOT_FOUND for any other
 * event type (nothing to do); HG_INVALID for an educator event that does not hold a consistent educator (bad
 * ids, a data.district_id other than the envelope's districtid, no version, bad school_ids, roles, start date,
 * names or identifiers).
 */
enum hg_status hg_roster_event_parse(json_t *event, struct hg_roster_educator *out);

#endif
