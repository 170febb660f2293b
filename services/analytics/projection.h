/* projection.h - the events analytics reads (homegrown.roster, homegrown.resources, homegrown.coaching,
 * homegrown.surveys), checked and
 * turned into the parameters of one read-model statement each (pure: no SQL, no HTTP).
 *
 * An event applies when it is a CloudEvent 1.0 of a type analytics knows on its topic, whose data holds
 * the fields its read model needs, with the envelope's district. Known types analytics does not model are
 * ignored; anything else is a poison event (the consumer rejects it to homegrown.analytics.dlq with the
 * reason written here).
 */
#ifndef ANALYTICS_PROJECTION_H
#define ANALYTICS_PROJECTION_H

#include <jansson.h>
#include <stddef.h>

#include "common/status.h"

#define ANALYTICS_RESOURCES_TOPIC "homegrown.resources"
#define ANALYTICS_COACHING_TOPIC "homegrown.coaching"
#define ANALYTICS_SURVEYS_TOPIC "homegrown.surveys"
#define ANALYTICS_DLQ_TOPIC "homegrown.analytics.dlq"

/* Most attendees one PLC meeting event may name (the coaching service allows 100). */
#define PROJECTION_MAX_ATTENDEES 1000

enum projection_kind {
	P_IGNORE,      /* a known type the read models do not need */
	P_SCHOOL,      /* school.upserted, school.deactivated */
	P_EDUCATOR,    /* educator.upserted, educator.deactivated */
	P_ACTIVITY,    /* activity.created, .updated, .published, .archived */
	P_SESSION,     /* session.scheduled, .changed, .completed, .cancelled */
	P_ATTENDANCE,  /* attendance.recorded */
	P_COMPLETION,  /* activity.completed */
	P_CREDIT,      /* credit_request.decided (approved) */
	P_CYCLE,       /* cycle.started, .state_changed, .updated */
	P_FEEDBACK,    /* feedback.given */
	P_TIME_LOG,    /* time.logged */
	P_SURVEY,      /* survey.created, .updated, .opened, .closed */
	P_RESULTS,     /* results.finalized (survey_model.c) */
	P_PLC_MEETING, /* plc.meeting_held, plc.meeting_updated */
	P_KIND_COUNT
};

#define PROJECTION_MAX_PARAMS 10

/* The statement parameters of one event ($1 is always the district); strings point into the event or buf. */
struct projection {
	enum projection_kind kind;
	const char *params[PROJECTION_MAX_PARAMS];
	size_t nparams;
	char district_id[37];
	char buf[PROJECTION_MAX_PARAMS][40]; /* numbers and flags rendered as text, UUIDs lower-cased */
	char *owned; /* JSON text of an array parameter (roles, school ids, attendance); freed by cleanup */
	char *owned2;
};

/*
 * Read event (a CloudEvent from topic; borrowed, and must outlive out). HG_OK with out filled (P_IGNORE:
 * nothing to do); HG_INVALID with a reason in why (bad envelope, unknown type on the topic, a field missing or
 * of the wrong kind, another district in data). Call projection_cleanup after either.
 */
enum hg_status projection_read(const char *topic, json_t *event, struct projection *out, char *why, size_t whylen);
void projection_cleanup(struct projection *out);

#endif
