/* roster_model.h - the roster service's educator and school events, read for audiences and segments (pure).
 * Educator events are read by common/roster_event.c, as every read model of educators reads them; school
 * events (their equity attributes: the segments results are broken down by) here. */
#ifndef SURVEYS_ROSTER_MODEL_H
#define SURVEYS_ROSTER_MODEL_H

#include <jansson.h>

#include "common/roster_event.h"
#include "common/status.h"

#define ROSTER_TOPIC HG_ROSTER_TOPIC

enum roster_kind { ROSTER_EDUCATOR, ROSTER_SCHOOL };

/* What one event says about an educator or a school (strings borrowed from the event). */
struct roster_fact {
	enum roster_kind kind;
	struct hg_roster_educator educator; /* ROSTER_EDUCATOR (common/roster_event.h) */
	/* ROSTER_SCHOOL */
	char district_id[37];
	char id[37];
	long long version;
	const char *name, *locale, *poverty_level; /* NULL when unset */
	int title_i;                               /* -1 unset, 0, 1 */
};

/*
 * Read a CloudEvent of homegrown.roster: HG_OK with *out for educator.upserted, educator.deactivated
 * (hg_roster_event_parse) and school.upserted; HG_NOT_FOUND for any other type (nothing to do); HG_INVALID for
 * one of those types that does not hold a consistent record (ids, a data.district_id other than the envelope's,
 * no version, lists).
 */
enum hg_status roster_model_parse(json_t *event, struct roster_fact *out);

#endif
