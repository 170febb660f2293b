/* library_handlers.h - the library's HTTP side: the CRUD descriptions its routes serve, and its own handlers
 * (no SQL here). */
#ifndef LIBRARY_HANDLERS_H
#define LIBRARY_HANDLERS_H

#include "common/crud.h"
#include "common/request.h"

extern const struct hg_crud resource_crud;      /* resource_handlers.c */
extern const struct hg_crud review_crud;        /* review_handlers.c */
extern const struct hg_crud content_check_crud; /* review_handlers.c */

/* GET /v1/library/resources: the listing and search (search_handlers.c). */
void search_handle_list(struct hg_request *req);

#endif
