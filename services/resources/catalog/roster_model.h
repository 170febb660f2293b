/* roster_model.h - the roster service's educator events, read for school scoping (pure). */
#ifndef CATALOG_ROSTER_MODEL_H
#define CATALOG_ROSTER_MODEL_H

#include <jansson.h>

#include "common/status.h"

#define CATALOG_ROSTER_TOPIC "homegrown.roster"
/* Most school assignments one educator event may carry. */
#define CATALOG_ROSTER_SCHOOLS_MAX 1000

/* What an educator event says about one educator. */
struct roster_model_educator {
	char district_id[37];
	char educator_id[37];
	const char *status; /* "active" or "inactive" (static) */
	long long version;
	json_t *school_ids; /* borrowed from the event: an array of UUID strings */
};

/*
 * Read a CloudEvent from homegrown.roster. HG_OK with *out filled for
 * educator.upserted and educator.deactivated (a deactivated educator is
 * inactive whatever its data says); HG_NOT_FOUND for any other event type
 * (nothing to do); HG_INVALID for an educator event that does not hold a
 * consistent educator (bad ids, a data.district_id other than the
 * envelope's districtid, no version, bad school_ids).
 */
enum hg_status roster_model_parse(json_t *event, struct roster_model_educator *out);

#endif
