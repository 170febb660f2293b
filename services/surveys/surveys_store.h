/* surveys_store.h - the surveys service's entities and store functions (SQL lives in the *_store.c files). */
#ifndef SURVEYS_STORE_H
#define SURVEYS_STORE_H

#include "common/record.h"

#include <jansson.h>

extern const struct hg_entity survey_entity;
/* The caller's own response ($3 = who->sub): get only. */
extern const struct hg_entity response_entity;

/*
 * Submit who's response to a survey: one transaction under the survey's lock (response_store.c). HG_OK with
 * call->record the answer; a refusal in call->why; HG_INVALID with errs filled when the answers do not fit
 * the questions; HG_NOT_FOUND for an unknown survey.
 */
enum hg_status response_store_submit(struct hg_db_pool *pool, struct hg_record_call *call, const char *survey_id,
				     json_t *answers, json_t *errs);

#endif
