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
extern const struct hg_entity submission_review_entity; /* credential_store.c */
extern const struct hg_entity credential_revoke_entity; /* revocation: an update of the award */
/* The review's after_update: an awarded submission becomes its credential (credential.issued), in the review's
 * transaction; record gets its credential_id. */
enum hg_status credential_store_award(struct hg_db_conn *conn, const struct hg_record_call *call, json_t *state,
				      json_t *record);
/* Any district's credential by id (the public read); *award new, HG_NOT_FOUND when none. */
enum hg_status credential_store_get_public(struct hg_db_pool *pool, const char *id, json_t **award);
/* The status indices revoked in list of district (a new array). */
enum hg_status credential_store_revoked(struct hg_db_pool *pool, const char *district, long list, json_t **indices);

#endif
