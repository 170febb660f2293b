/* recommend.h - recommendations: the facts they need from events beyond the other read models, and their
 * weights (pure: no SQL, no HTTP). docs/analytics.md "Recommendations".
 *
 * recommend_read picks from an event analytics already accepted (projection_read returned HG_OK) what the
 * recommendation read models keep: an activity's topics and target audience, a session's capacity, a
 * registration's status, a library resource, a review's rating, the schools a survey's audience names. An event
 * whose fields for these are missing or of the wrong kind adds nothing to them (REC_NONE): its other effects
 * stand, and recommendations simply do not know it.
 */
#ifndef ANALYTICS_RECOMMEND_H
#define ANALYTICS_RECOMMEND_H

#include <jansson.h>
#include <stddef.h>

enum rec_kind {
	REC_NONE,         /* nothing for the recommendation read models */
	REC_ACTIVITY,     /* activity.* (not .completed): id, topics, target_audience, version */
	REC_SESSION,      /* session.*: id, capacity, version */
	REC_REGISTRATION, /* registration.*: id, session_id, activity_id, educator_id, status, version */
	REC_RESOURCE,     /* resource.*: id, title, type, topics, grade_bands, created_by, deleted, version */
	REC_REVIEW,       /* review.*: id, resource_id, reviewer_id, rating, version */
	REC_SURVEY,       /* survey.*: id, audience.schools, version */
	REC_KIND_COUNT
};

#define REC_MAX_PARAMS 9

/* The statement parameters of one event ($1 the district); strings point into the event, buf or owned. */
struct rec_projection {
	enum rec_kind kind;
	const char *params[REC_MAX_PARAMS];
	size_t nparams;
	char buf[REC_MAX_PARAMS][40]; /* numbers rendered, UUIDs lower-cased */
	char *owned[2];               /* JSON text of string arrays; freed by rec_projection_cleanup */
};

/* event (borrowed, outlives out) of topic, for district (a lower-case UUID) into out. Never fails: REC_NONE when
 * the event holds nothing for recommendations. Call rec_projection_cleanup after. */
void recommend_read(const char *topic, json_t *event, const char *district, struct rec_projection *out);
void rec_projection_cleanup(struct rec_projection *out);

/* The weights of the factors (HG_ANALYTICS_REC_WEIGHT_*, integers 0-100). */
struct rec_weights {
	long school_need;  /* x the highest need (1-5) / 5 among the item's topics */
	long role;         /* the activity's target audience names one of the educator's roles */
	long career_stage; /* the activity's target audience names the educator's career stage */
	long peer_rating;  /* x (similar educators' mean rating - 3) / 2, library items */
};

#endif
