/* crud.c - the CRUD kit's HTTP side: handlers shared by every entity. */
#include "common/crud.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/reply.h"
#include "common/validate.h"
#include "common/write.h"
#include "common/xmalloc.h"

static const struct hg_crud *crud_of(const struct hg_request *req) { return req->route->arg; }

static const char *parent_name(const struct hg_crud *crud)
{
	return crud->entity->parent_name != NULL ? crud->entity->parent_name : crud->entity->name;
}

/* The parent's id from the path into parent (37 bytes) and as the call's first argument; 404 otherwise. */
static int parent_or_reply(struct hg_request *req, const struct hg_crud *crud, struct hg_record_call *call,
			   char *parent, const char *what)
{
	if (crud->parent_param == NULL)
		return 1;
	if (!hg_uuid_param_or_reply(req, crud->parent_param, what, parent))
		return 0;
	call->parent = parent;
	hg_record_arg(call, parent);
	return 1;
}

int hg_crud_call_or_reply(struct hg_request *req, const struct hg_crud *crud, struct hg_record_call *call, char *id,
			  char *parent)
{
	const char *name = crud->entity->name;
	hg_record_call_init(call, &req->who);
	/* A malformed parent id is an unknown record, like an unknown parent. */
	if (!parent_or_reply(req, crud, call, parent, name))
		return 0;
	if (!hg_uuid_param_or_reply(req, crud->id_param != NULL ? crud->id_param : "id", name, id))
		return 0;
	call->id = id;
	hg_if_match(req, &call->if_match);
	return 1;
}

/* collection with its "{...}" segment replaced by the parent's id; caller frees. */
static char *collection_of(const char *collection, const char *parent)
{
	const char *open = strchr(collection, '{');
	const char *close = open != NULL ? strchr(open, '}') : NULL;
	if (close == NULL || parent == NULL)
		return xstrdup(collection);
	return xasprintf("%.*s%s%s", (int)(open - collection), collection, parent, close + 1);
}

void hg_crud_create(struct hg_request *req)
{
	const struct hg_crud *crud = crud_of(req);
	struct hg_record_call call;
	char parent[37];
	char *collection = NULL;
	json_t *fields = NULL;

	hg_record_call_init(&call, &req->who);
	if (!parent_or_reply(req, crud, &call, parent, parent_name(crud)))
		goto out;
	fields = hg_validated_or_reply(req, crud->validate_create, crud->body_optional);
	if (fields == NULL)
		goto out;
	call.fields = fields;
	if (crud->collection != NULL) {
		collection = collection_of(crud->collection, call.parent);
		hg_write_begin(req, &call, hg_answer_created, collection);
	} else {
		hg_write_begin(req, &call, hg_answer_created_here, NULL);
	}
	hg_write_end(req, hg_record_create(req->pool, crud->entity, &call), parent_name(crud));
out:
	free(collection);
	json_decref(fields);
	hg_record_call_cleanup(&call);
}

/* Read call->id (who may, then the record) and answer it. */
static void get_and_reply(struct hg_request *req, const struct hg_crud *crud, struct hg_record_call *call)
{
	const struct hg_reason *why = crud->read_args ? crud->read_args(&req->who, NULL, call) : NULL;
	enum hg_status st = why != NULL ? why->status : hg_record_get(req->pool, crud->entity, call);
	if (why != NULL)
		call->why = why;
	if (st != HG_OK)
		hg_reply_failure(req, st, call->why, crud->entity->name);
	else
		hg_reply_record(req, 200, call->record);
}

void hg_crud_get(struct hg_request *req)
{
	const struct hg_crud *crud = crud_of(req);
	struct hg_record_call call;
	char id[37], parent[37];

	if (hg_crud_call_or_reply(req, crud, &call, id, parent))
		get_and_reply(req, crud, &call);
	hg_record_call_cleanup(&call);
}

void hg_crud_get_mine(struct hg_request *req)
{
	const struct hg_crud *crud = crud_of(req);
	struct hg_record_call call;
	char id[37];

	hg_record_call_init(&call, &req->who);
	snprintf(id, sizeof id, "%s", req->who.sub);
	call.id = id;
	get_and_reply(req, crud, &call);
	hg_record_call_cleanup(&call);
}

/* Parse the list's query parameters into values (NULL when absent); each bad one appended to errs. */
static void params_check(struct hg_request *req, const struct hg_crud *crud, const char **values, json_t *errs)
{
	for (size_t i = 0; i < crud->nparams && i < HG_CRUD_MAX_PARAMS; i++) {
		const struct hg_list_param *p = &crud->params[i];
		const char *v = NULL;
		char reason[64];
		switch (p->kind) {
		case HG_PARAM_ENUM:
			hg_query_enum_check(req, p->name, p->choices, errs, &v);
			break;
		case HG_PARAM_UUID:
			hg_query_uuid_check(req, p->name, errs, &v);
			break;
		case HG_PARAM_TEXT:
			v = hg_query(req, p->name);
			if (v != NULL && (v[0] == '\0' || hg_utf8_len(v) > p->max_len)) {
				snprintf(reason, sizeof(reason), "must be 1 to %zu characters", p->max_len);
				hg_err_add(errs, p->name, reason);
				v = NULL;
			}
			break;
		}
		values[i] = v;
	}
}

void hg_crud_list(struct hg_request *req)
{
	const struct hg_crud *crud = crud_of(req);
	struct hg_record_call call;
	struct hg_page page;
	char parent[37];
	const char *values[HG_CRUD_MAX_PARAMS] = {NULL};

	hg_record_call_init(&call, &req->who);
	hg_page_init(&page, HG_PAGE_DEFAULT);
	if (!parent_or_reply(req, crud, &call, parent, parent_name(crud)))
		goto out;
	json_t *errs = json_array();
	hg_page_check(req, &page, errs);
	params_check(req, crud, values, errs);
	if (json_array_size(errs) > 0) {
		hg_reply_bad_params(req, errs);
		goto out;
	}
	json_decref(errs);
	const struct hg_reason *why = NULL;
	if (crud->list_args != NULL) {
		why = crud->list_args(&req->who, values, &call);
	} else {
		for (size_t i = 0; i < crud->nparams; i++)
			hg_record_arg(&call, values[i]);
	}
	enum hg_status st = why != NULL ? why->status : hg_record_list(req->pool, crud->entity, &call, &page);
	if (why != NULL)
		call.why = why;
	if (st != HG_OK)
		hg_reply_failure(req, st, call.why, parent_name(crud));
	else
		hg_reply_page(req, &page);
out:
	hg_page_cleanup(&page);
	hg_record_call_cleanup(&call);
}

/* update (changes from the body) or remove (no body). */
static void change(struct hg_request *req, int removing)
{
	const struct hg_crud *crud = crud_of(req);
	struct hg_record_call call;
	char id[37], parent[37];
	json_t *changes = NULL;

	if (!hg_crud_call_or_reply(req, crud, &call, id, parent))
		goto out;
	if (!removing) {
		changes = hg_validated_or_reply(req, crud->validate_update, 0);
		if (changes == NULL)
			goto out;
		call.fields = changes;
	}
	hg_write_begin(req, &call, removing ? hg_answer_no_content : hg_answer_record, NULL);
	hg_write_end(req,
		     removing ? hg_record_remove(req->pool, crud->entity, &call)
			      : hg_record_update(req->pool, crud->entity, &call),
		     crud->entity->name);
out:
	json_decref(changes);
	hg_record_call_cleanup(&call);
}

void hg_crud_update(struct hg_request *req) { change(req, 0); }

void hg_crud_remove(struct hg_request *req) { change(req, 1); }
