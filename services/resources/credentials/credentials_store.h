/* credentials_store.h - micro-credentials in PostgreSQL: the entities the CRUD kit runs (SQL only, no HTTP). */
#ifndef CREDENTIALS_STORE_H
#define CREDENTIALS_STORE_H

#include <jansson.h>

#include "common/record.h"

/* competency_store.c */
extern const struct hg_entity competency_entity;
/* definition_store.c */
extern const struct hg_entity definition_entity;
/* submission_store.c: a submission, and each move of its state machine */
extern const struct hg_entity submission_entity;
extern const struct hg_entity submission_resubmit_entity;
extern const struct hg_entity submission_withdraw_entity;
extern const struct hg_entity submission_review_entity;
#endif
