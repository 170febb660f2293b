/* registrants.h - the resources catalog's registration events, read for surveys whose audience is a session's
 * registrants (pure). */
#ifndef SURVEYS_REGISTRANTS_H
#define SURVEYS_REGISTRANTS_H

#include <jansson.h>

#include "common/status.h"

#define RESOURCES_TOPIC "homegrown.resources"

/* What one registration event says (status borrowed from the event). */
struct registration_fact {
	char district_id[37];
	char id[37]; /* the registration */
	char session_id[37];
	char educator_id[37];
	const char *status; /* registered, waitlisted or cancelled */
	long long version;
};

/*
 * Read a CloudEvent of homegrown.resources: HG_OK with *out for registration.created, registration.promoted and
 * registration.cancelled; HG_NOT_FOUND for any other type (nothing to do); HG_INVALID for one of those types
 * that does not hold a consistent registration (ids, a data.district_id other than the envelope's districtid,
 * a status, a version).
 */
enum hg_status registrants_parse(json_t *event, struct registration_fact *out);

#endif
