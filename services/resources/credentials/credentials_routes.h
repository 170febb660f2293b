/* credentials_routes.h - micro-credentials' lines of the resources route table (mirrors api-spec/resources.yaml). */
#ifndef CREDENTIALS_ROUTES_H
/* a table: one entry a line, aligned by hand */
/* clang-format off */
#define CREDENTIALS_ROUTES_H

#include "common/crud.h"
#include "common/roles.h"
#include "services/resources/credentials/credentials_handlers.h"

/* District admins write the competency framework and the definitions; every educator of the district reads them.
 * Educators submit evidence; the reviewers a definition names review (submission.h has who may do what). A verifier
 * reads a credential, the issuer's keys and a status list without a token (roles 0: public); admins revoke. */
#define CREDENTIALS_ROUTES                                                                                          \
	{"POST", "/v1/credentials/competencies", HG_ROLES_ADMINS, hg_crud_create, &competency_crud},                 \
	{"GET", "/v1/credentials/competencies", HG_ROLES_STAFF, hg_crud_list, &competency_crud},                     \
	{"GET", "/v1/credentials/competencies/{id}", HG_ROLES_STAFF, hg_crud_get, &competency_crud},                 \
	{"PATCH", "/v1/credentials/competencies/{id}", HG_ROLES_ADMINS, hg_crud_update, &competency_crud},           \
	{"POST", "/v1/credentials/definitions", HG_ROLES_ADMINS, hg_crud_create, &definition_crud},                  \
	{"GET", "/v1/credentials/definitions", HG_ROLES_STAFF, hg_crud_list, &definition_crud},                      \
	{"GET", "/v1/credentials/definitions/{id}", HG_ROLES_STAFF, hg_crud_get, &definition_crud},                  \
	{"PATCH", "/v1/credentials/definitions/{id}", HG_ROLES_ADMINS, hg_crud_update, &definition_crud},            \
	{"POST", "/v1/credentials/submissions", HG_ROLES_STAFF, hg_crud_create, &submission_crud},                   \
	{"GET", "/v1/credentials/submissions", HG_ROLES_STAFF, hg_crud_list, &submission_crud},                      \
	{"GET", "/v1/credentials/submissions/{id}", HG_ROLES_STAFF, hg_crud_get, &submission_crud},                  \
	{"POST", "/v1/credentials/submissions/{id}/resubmit", HG_ROLES_STAFF, hg_crud_update,                        \
	 &submission_resubmit_crud},                                                                                 \
	{"POST", "/v1/credentials/submissions/{id}/withdraw", HG_ROLES_STAFF, hg_crud_update,                        \
	 &submission_withdraw_crud},                                                                                 \
	{"POST", "/v1/credentials/submissions/{id}/review", HG_ROLES_STAFF, hg_crud_update, &submission_review_crud}, \
	{"GET", "/v1/credentials/awards/{id}", 0, credential_handle_get, NULL},                                      \
	{"POST", "/v1/credentials/awards/{id}/revoke", HG_ROLES_ADMINS, hg_crud_update, &credential_revoke_crud},    \
	{"GET", "/v1/credentials/jwks.json", 0, credential_handle_jwks, NULL},                                       \
	{"GET", "/v1/credentials/status/{district_id}/{list}", 0, credential_handle_status, NULL}
/* clang-format on */

#endif
