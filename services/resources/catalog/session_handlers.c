/* session_handlers.c - sessions of PD activities over HTTP: the CRUD kit serves them. */
#include "services/resources/catalog/catalog_handlers.h"
#include "services/resources/catalog/catalog_store.h"
#include "services/resources/catalog/session.h"

const struct hg_crud session_crud = {
	.entity = &session_entity,
	.validate_update = session_validate_patch,
};

const struct hg_crud activity_sessions_crud = {
	.entity = &session_entity,
	.collection = "/v1/catalog/sessions",
	.parent_param = "id",
	.validate_create = session_validate_create,
};
