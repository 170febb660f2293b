/* handlers.h - HTTP handlers of the resources service (no SQL here). */
#ifndef RESOURCES_HANDLERS_H
#define RESOURCES_HANDLERS_H

#include "http.h"

void h_library_create(struct hg_request *req);
void h_library_list(struct hg_request *req);
void h_library_get(struct hg_request *req);
void h_library_update(struct hg_request *req);
void h_library_delete(struct hg_request *req);

/* Reviews and content checks (review_handlers.c). */
void h_review_create(struct hg_request *req);
void h_review_list(struct hg_request *req);
void h_review_get(struct hg_request *req);
void h_review_update(struct hg_request *req);
void h_content_check_create(struct hg_request *req);

#endif
