/* crud.h - the CRUD kit's HTTP side: handlers shared by every entity, driven by one description each.
 *
 * A route line names a shared handler and, as its arg, the entity's `static const struct hg_crud`:
 *
 *     {"GET", "/v1/catalog/activities/{id}", HG_ROLES_STAFF, hg_crud_get, &activity_crud},
 *
 * so a new entity needs its validator (domain), its statements and rules (struct hg_entity, in its store
 * file), this description and its route lines; no handler or store code of its own.
 *
 *   hg_crud_create  body → validate (422) → create → 201 with Location and ETag
 *   hg_crud_get     id (404 unless a UUID) → get → 200 with ETag
 *   hg_crud_get_mine  the same for the caller's own record (id = the caller's educator id)
 *   hg_crud_list    query parameters (400) → page → 200 {"data", "next_cursor"}
 *   hg_crud_update  id → body → validate → If-Match → update → 200 with ETag
 *   hg_crud_remove  id → If-Match → remove → 204
 *
 * Refusals of the entity's rules answer problem+json with the rule's `reason` code.
 */
#ifndef HG_CRUD_H
#define HG_CRUD_H

#include <stddef.h>

#include "common/record.h"
#include "common/request.h"
#include "common/validate.h"

/* One query parameter a list takes: parsed (400 naming the parameter) into a statement argument. */
enum hg_param_kind {
	HG_PARAM_ENUM, /* one of choices */
	HG_PARAM_UUID, /* a UUID */
	HG_PARAM_TEXT  /* 1 to max_len characters */
};

struct hg_list_param {
	const char *name;
	enum hg_param_kind kind;
	const char *const *choices; /* HG_PARAM_ENUM: NULL-terminated */
	size_t max_len;             /* HG_PARAM_TEXT */
};

#define HG_CRUD_MAX_PARAMS 6

/*
 * Turn the parsed parameters (values[i] for params[i], NULL when absent) and who into the statement's
 * arguments (appended to call). NULL, or a refusal (e.g. a filter who may not use). Pure.
 */
typedef const struct hg_reason *(*hg_args_fn)(const struct hg_principal *who, const char *const *values,
					      struct hg_record_call *call);

struct hg_crud {
	const struct hg_entity *entity;
	/* Location of a created record: collection "/" id, where a "{...}" segment of collection is the parent's
	 * id ("/v1/library/resources/{id}/reviews"). NULL: a created record has no address of its own (201 with
	 * the body only). */
	const char *collection;
	const char *id_param;     /* path parameter of the record's id; NULL: "id" */
	const char *parent_param; /* path parameter of the parent's id (the first statement argument), or NULL */
	hg_validate_fn validate_create, validate_update;
	int body_optional;                  /* create: an absent body counts as {} */
	const struct hg_list_param *params; /* a list's query parameters, or NULL */
	size_t nparams;
	hg_args_fn list_args; /* NULL: each parsed parameter is an argument as it is */
	hg_args_fn read_args; /* arguments a get adds after the parent (e.g. what who may see); NULL: none */
};

void hg_crud_create(struct hg_request *req);
void hg_crud_get(struct hg_request *req);
/* GET of the caller's own record (a /me route): the record whose id is the caller's educator id (the token's
 * principal resolved by common/identity.c), under the same read rules as hg_crud_get; 404 when the caller has
 * none (a machine client, an admin not on the roster). */
void hg_crud_get_mine(struct hg_request *req);
void hg_crud_list(struct hg_request *req);
void hg_crud_update(struct hg_request *req);
void hg_crud_remove(struct hg_request *req);

/*
 * The pieces the shared handlers are made of, for handlers of operations that are not CRUD (a decision,
 * a cancellation): a call for the route's record, its id and parent from the path (404 otherwise).
 */
int hg_crud_call_or_reply(struct hg_request *req, const struct hg_crud *crud, struct hg_record_call *call, char *id,
			  char *parent);

#endif
