/* analytics_store.h - the analytics read models in PostgreSQL: events applied (projection_store.c) and the
 * figures read from them (participation_store.c). SQL only. */
#ifndef ANALYTICS_STORE_H
#define ANALYTICS_STORE_H

#include <jansson.h>

#include "common/auth.h"
#include "common/db.h"
#include "services/analytics/period.h"

/* The consumer's handler: one event of homegrown.roster, .resources, .coaching or .surveys into the read models. */
enum hg_status projection_store_apply(struct hg_db_conn *conn, const char *topic, json_t *event, void *arg);

/*
 * Participation in period, overall and per group of by (NULL: overall only; "school", "role", "locale",
 * "poverty", "title_i", "career_stage") in district; with leader_id (a school leader), only the educators and
 * schools that share a school with that educator. At most max_groups groups (*doc's "truncated" says when
 * there were more).
 */
enum hg_status participation_store_read(struct hg_db_pool *pool, const char *district_id, const char *leader_id,
					const struct period *period, const char *by, long max_groups, json_t **doc);

/*
 * The equity audit's counts in period (equity.h): educators, participants and hours (hundredths) overall and
 * per group of locale, poverty, title_i and career_stage in district; with leader_id (a school leader), only
 * the educators who share a school with that educator. *counts a new reference.
 */
enum hg_status equity_store_read(struct hg_db_pool *pool, const char *district_id, const char *leader_id,
				 const struct period *period, json_t **counts);

/*
 * Coaching figures in period from the coaching read models (cycles started, completed, cancelled, goals met,
 * feedback and the median minutes to it, minutes logged, teachers coached) in district; with leader_id (a
 * school leader), only the teachers who share a school with that educator. *doc a new reference.
 */
enum hg_status coaching_model_store_read(struct hg_db_pool *pool, const char *district_id, const char *leader_id,
					 const struct period *period, json_t **doc);

/*
 * Survey figures in period from the surveys read models: the surveys closed in it (at most max_surveys, newest
 * first; *doc's "truncated" says when there were more) with their final figures, response totals, needs by
 * topic. *doc a new reference.
 */
enum hg_status survey_model_store_read(struct hg_db_pool *pool, const char *district_id, const struct period *period,
				       long max_surveys, json_t **doc);

/*
 * The impact of activity_id in district (impact_store.c): sessions, participants, attendance, hours,
 * completion and coaching follow-up; with leader_id (a school leader), only the educators who share a school
 * with that educator. HG_NOT_FOUND when the district has no such activity. *doc a new reference.
 */
enum hg_status impact_store_read(struct hg_db_pool *pool, const char *district_id, const char *activity_id,
				 const char *leader_id, json_t **doc);

#endif
