/* resource_handlers.c - library resources over HTTP: the CRUD kit serves them. */
#include "services/resources/library/library_handlers.h"

#include "services/resources/library/resource.h"
#include "services/resources/library/resource_store.h"

const struct hg_crud resource_crud = {
	.entity = &resource_entity,
	.collection = "/v1/library/resources",
	.validate_create = resource_validate_create,
	.validate_update = resource_validate_patch,
};
