/* credentials_handlers.h - micro-credentials over HTTP: the CRUD descriptions their routes serve, and their own
 * handlers (no SQL here). */
#ifndef CREDENTIALS_HANDLERS_H
#define CREDENTIALS_HANDLERS_H

#include "common/crud.h"
#include "common/request.h"

/* definition_handlers.c: the competency framework; micro-credential definitions */
extern const struct hg_crud competency_crud;
extern const struct hg_crud definition_crud;
/* submission_handlers.c: submissions; resubmission, withdrawal and review */
extern const struct hg_crud submission_crud;
extern const struct hg_crud submission_resubmit_crud;
extern const struct hg_crud submission_withdraw_crud;
extern const struct hg_crud
	submission_review_crud; /* credential_handlers.c: the public reads (no token) and revocation */
extern const struct hg_crud credential_revoke_crud;
void credential_handle_get(struct hg_request *req);
void credential_handle_jwks(struct hg_request *req);
void credential_handle_status(struct hg_request *req);

#endif
