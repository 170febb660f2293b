/* review_handlers.c - reviews and content checks of library resources over HTTP: the CRUD kit serves them. */
#include "services/resources/library/library_handlers.h"

#include "services/resources/library/review.h"
#include "services/resources/library/review_store.h"

const struct hg_crud review_crud = {
	.entity = &review_entity,
	.collection = "/v1/library/resources/{id}/reviews",
	.id_param = "review_id",
	.parent_param = "id",
	.validate_create = review_validate_create,
	.validate_update = review_validate_patch,
};

const struct hg_crud content_check_crud = {
	.entity = &content_check_entity,
	.parent_param = "id",
	.validate_create = content_check_validate,
};
