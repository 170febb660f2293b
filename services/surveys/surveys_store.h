/* surveys_store.h - the surveys service's entities and store functions (SQL lives in the *_store.c files). */
#ifndef SURVEYS_STORE_H
#define SURVEYS_STORE_H

#include "common/record.h"

#include <jansson.h>

extern const struct hg_entity survey_entity;
/* The caller's own response ($3 = who->sub): get only. */
extern const struct hg_entity response_entity;
/* Built-in templates (list), and a copy of one into a draft survey (insert; $4 the template). */
extern const struct hg_entity template_entity;
extern const struct hg_entity template_copy_entity;
/* The caller's district's settings (get: the defaults when it has set none). */
extern const struct hg_entity settings_entity;

/* Set the district's minimums (call->fields: settings_validate's); one settings.updated event when they change,
 * the settings as they are otherwise (call->changed 0). */
enum hg_status settings_store_put(struct hg_db_pool *pool, struct hg_record_call *call);

/*
 * Submit who's response to a survey: one transaction under the survey's lock (response_store.c). HG_OK with
 * call->record the answer; a refusal in call->why; HG_INVALID with errs filled when the answers do not fit
 * the questions; HG_NOT_FOUND for an unknown survey.
 */
/*
 * The results of a closed survey broken down by `by` (NULL: overall only), suppressed (result.h); *doc a new
 * reference. A survey still open or a draft: *why results_not_final.
 */
enum hg_status result_store_read(struct hg_db_pool *pool, const struct hg_principal *who, const char *survey_id,
				 const char *by, json_t **doc, const struct hg_reason **why);

/* Needs by topic of the district's needs assessments closed in [from, to) (NULL: no bound), for one school or
 * the district (school NULL), suppressed (needs.h); *doc a new reference. */
enum hg_status needs_store_read(struct hg_db_pool *pool, const struct hg_principal *who, const char *school,
				const char *from, const char *to, json_t **doc);

/* The survey's update hook: a survey that moved from open to closed emits results.finalized (its final overall
 * results, suppressed, without free text) in the same transaction. */
enum hg_status result_store_after_close(struct hg_db_conn *conn, const struct hg_record_call *call, json_t *state,
					json_t *record);

enum hg_status response_store_submit(struct hg_db_pool *pool, struct hg_record_call *call, const char *survey_id,
				     json_t *answers, json_t *errs);

#endif
