/* roster_model.h - the roster service's educator and school events, read for audiences and segments (pure). */
#ifndef SURVEYS_ROSTER_MODEL_H
#define SURVEYS_ROSTER_MODEL_H

#include <jansson.h>

#include "common/status.h"

#define ROSTER_TOPIC "homegrown.roster"
/* Most school assignments or roles one educator event may carry. */
#define ROSTER_LIST_MAX 1000

enum roster_kind { ROSTER_EDUCATOR, ROSTER_SCHOOL };

/* What one event says about an educator or a school (strings borrowed from the event). */
struct roster_fact {
	enum roster_kind kind;
	char district_id[37];
	char id[37];
	long long version;
	/* educators */
	const char *status;              /* "active" or "inactive" (static) */
	json_t *roles, *school_ids;      /* arrays of strings (school_ids: UUIDs); NULL for a deactivation */
	const char *started_teaching_on; /* "YYYY-MM-DD" or NULL */
	/* schools */
	const char *name, *locale, *poverty_level; /* NULL when unset */
	int title_i;                               /* -1 unset, 0, 1 */
};

/*
 * Read a CloudEvent of homegrown.roster: HG_OK with *out for educator.upserted, educator.deactivated and
 * school.upserted; HG_NOT_FOUND for any other type (nothing to do); HG_INVALID for one of those types that
 * does not hold a consistent record (ids, a data.district_id other than the envelope's, no version, lists).
 */
enum hg_status roster_model_parse(json_t *event, struct roster_fact *out);

#endif
