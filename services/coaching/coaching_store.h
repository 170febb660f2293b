/* coaching_store.h - the coaching service's entities (the CRUD kit runs them) and its roster read model. */
#ifndef COACHING_STORE_H
#define COACHING_STORE_H

#include <jansson.h>

#include "common/db.h"
#include "common/record.h"

/* relationship_store.c */
extern const struct hg_entity relationship_entity;
/* cycle_store.c */
extern const struct hg_entity cycle_entity;
/* timelog_store.c: time logs; the caseload by relationship and by coach */
extern const struct hg_entity time_log_entity;
extern const struct hg_entity caseload_entity;
extern const struct hg_entity coach_caseload_entity;
/* plc_store.c: PLCs and their meetings */
extern const struct hg_entity plc_entity;
extern const struct hg_entity plc_meeting_entity;
extern const struct hg_entity plc_meeting_item_entity;
/* rubric_store.c: rubrics (current version) and their versions (coach1) */
extern const struct hg_entity rubric_entity;
extern const struct hg_entity rubric_version_entity;
/* observation_store.c: observations, feedback, reflections, the access log (coach1) */
extern const struct hg_entity observation_entity;
extern const struct hg_entity feedback_entity;
extern const struct hg_entity reflection_entity;
extern const struct hg_entity access_log_entity;
/* roster_model_store.c: new teachers (years 1-3) without an active mentoring relationship */
extern const struct hg_entity unmatched_teacher_entity;

/*
 * The consumer's handler (hg_event_fn) for homegrown.roster: educator.upserted / educator.deactivated into
 * roster_educators when the event's version is newer than the one stored; other types are ignored; an
 * inconsistent educator event is HG_INVALID (recorded as rejected).
 */
enum hg_status roster_model_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg);

/* activity_model_store.c: the catalog's activities (their ids, districts and statuses) */
#define COACHING_RESOURCES_TOPIC "homegrown.resources"
/*
 * The consumer's handler for homegrown.resources: activity.created / .updated / .published / .archived /
 * .proposed / .approved / .declined into
 * catalog_activities when the event's version is newer than the one stored; other types are ignored; an
 * activity event without its district, id, status or version is HG_INVALID (recorded as rejected).
 */
enum hg_status activity_model_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg);
/* A create's or a change's activity_id (call->fields) names an activity of the caller's district that is not a
 * proposal still waiting or declined: else a 422
 * plc_activity_unknown naming activity_id (hg_check_fn). */
enum hg_status activity_model_check(struct hg_db_conn *conn, struct hg_record_call *call);

#endif
