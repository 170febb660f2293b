/* library_routes.h - the library's lines of the resources route table (mirrors api-spec/resources.yaml). */
#ifndef LIBRARY_ROUTES_H
/* a table: one entry a line, aligned by hand */
/* clang-format off */
#define LIBRARY_ROUTES_H

#include "common/crud.h"
#include "common/roles.h"
#include "services/resources/library/library_handlers.h"

/* Staff read; teachers, coaches and admins author; the PD office (admins) keeps content current. */
#define LIBRARY_ROUTES                                                                                             \
	{"POST", "/v1/library/resources", HG_ROLES_AUTHORS, hg_crud_create, &resource_crud},                        \
	{"GET", "/v1/library/resources", HG_ROLES_STAFF, search_handle_list, NULL},                                 \
	{"GET", "/v1/library/resources/{id}", HG_ROLES_STAFF, hg_crud_get, &resource_crud},                         \
	{"PATCH", "/v1/library/resources/{id}", HG_ROLES_AUTHORS, hg_crud_update, &resource_crud},                  \
	{"DELETE", "/v1/library/resources/{id}", HG_ROLES_AUTHORS, hg_crud_remove, &resource_crud},                 \
	{"POST", "/v1/library/resources/{id}/reviews", HG_ROLES_STAFF, hg_crud_create, &review_crud},               \
	{"GET", "/v1/library/resources/{id}/reviews", HG_ROLES_STAFF, hg_crud_list, &review_crud},                  \
	{"GET", "/v1/library/resources/{id}/reviews/{review_id}", HG_ROLES_STAFF, hg_crud_get, &review_crud},       \
	{"PATCH", "/v1/library/resources/{id}/reviews/{review_id}", HG_ROLES_STAFF, hg_crud_update, &review_crud},  \
	{"POST", "/v1/library/resources/{id}/content-checks", HG_ROLES_ADMINS, hg_crud_create, &content_check_crud}
/* clang-format on */

#endif
