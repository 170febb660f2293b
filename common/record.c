/* record.c - the CRUD kit's store side: reads, pages and writes driven by an entity's description. */
#include "common/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/outbox.h"

const struct hg_reason hg_reason_unchanged = {"unchanged", HG_OK, "nothing to change"};
const struct hg_reason hg_reason_hidden = {"hidden", HG_NOT_FOUND, "not found"};

#define MAX_PARAMS (4 + HG_RECORD_MAX_ARGS)

void hg_record_call_init(struct hg_record_call *call, const struct hg_principal *who)
{
	memset(call, 0, sizeof(*call));
	call->who = who;
	call->if_match.any = 1;
}

void hg_record_arg(struct hg_record_call *call, const char *arg)
{
	if (call->nargs < HG_RECORD_MAX_ARGS)
		call->args[call->nargs++] = arg;
	else
		hg_log(HG_LOG_ERROR, "more than %d statement arguments; the extra one is dropped", HG_RECORD_MAX_ARGS);
}

void hg_record_call_reset(struct hg_record_call *call)
{
	json_decref(call->record);
	json_decref(call->state);
	call->record = NULL;
	call->state = NULL;
	call->why = NULL;
	call->why_field[0] = '\0';
	call->changed = 0;
}

void hg_record_call_cleanup(struct hg_record_call *call) { hg_record_call_reset(call); }

/* params = head (n of them) then the call's args; checks that stmt asks no more than that. */
static int build_params(const struct hg_stmt *stmt, const char **params, const char *const *head, size_t n,
			const struct hg_record_call *call)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		params[total++] = head[i];
	for (size_t i = 0; i < call->nargs; i++)
		params[total++] = call->args[i];
	if ((size_t)stmt->nparams > total) {
		hg_log(HG_LOG_ERROR, "statement %s takes %d parameters; the kit has %zu", stmt->name, stmt->nparams,
		       total);
		return 0;
	}
	return 1;
}

enum hg_status hg_record_refuse(struct hg_record_call *call, const struct hg_reason *why)
{
	if (why == &hg_reason_hidden) {
		call->why = NULL;
		return HG_NOT_FOUND;
	}
	call->why = why;
	return why->status;
}

enum hg_status hg_record_judge(struct hg_record_call *call, const struct hg_reason *why, long version)
{
	/* Who may act comes first (a stranger learns nothing of versions), then the version, then the state. */
	if (why != NULL && (why->status == HG_FORBIDDEN || why->status == HG_NOT_FOUND))
		return hg_record_refuse(call, why);
	if (!hg_precondition_holds(&call->if_match, version))
		return HG_PRECONDITION_FAILED;
	return why != NULL ? hg_record_refuse(call, why) : HG_OK;
}

enum hg_status hg_record_refuse_field(struct hg_record_call *call, const struct hg_reason *why, const char *field)
{
	snprintf(call->why_field, sizeof(call->why_field), "%s", field);
	return hg_record_refuse(call, why);
}

/* The second column, when the statement returns one and it is not NULL, as the state. */
static enum hg_status read_state(PGresult *res, int col, json_t **state)
{
	*state = NULL;
	if (PQnfields(res) <= col || PQgetisnull(res, 0, col))
		return HG_OK;
	*state = hg_db_json(res, 0, col);
	return *state != NULL ? HG_OK : HG_INTERNAL;
}

enum hg_status hg_tx_row(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params, json_t **out)
{
	PGresult *res = NULL;
	enum hg_status st = hg_db_exec(conn, stmt, params, &res);
	*out = NULL;
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st == HG_OK) {
		*out = hg_db_json(res, 0, 0);
		st = *out != NULL ? HG_OK : HG_INTERNAL;
	}
	PQclear(res);
	return st;
}

void hg_page_params(const struct hg_page *page, struct hg_page_params *out)
{
	snprintf(out->limit, sizeof(out->limit), "%ld", page->limit + 1); /* one more tells whether a page follows */
	out->key_param = out->id_param = NULL;
	if (page->has_after) {
		snprintf(out->key, sizeof(out->key), "%lld", (long long)page->after.key);
		snprintf(out->id, sizeof(out->id), "%s", page->after.id);
		out->key_param = out->key;
		out->id_param = out->id;
	}
}

enum hg_status hg_tx_page(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
			  struct hg_page *page)
{
	PGresult *res = NULL;
	enum hg_status st = hg_db_exec(conn, stmt, params, &res);

	hg_page_cleanup(page);
	if (st != HG_OK)
		goto out;
	int n = PQntuples(res);
	int shown = n > page->limit ? (int)page->limit : n;
	page->items = json_array();
	for (int i = 0; i < shown; i++) {
		json_t *item = hg_db_json(res, i, 0);
		if (item == NULL) {
			st = HG_INTERNAL;
			hg_page_cleanup(page);
			goto out;
		}
		json_array_append_new(page->items, item);
	}
	if (n > page->limit && shown > 0) {
		struct hg_cursor c;
		c.key = hg_db_int(res, shown - 1, 1);
		snprintf(c.id, sizeof(c.id), "%s", PQgetvalue(res, shown - 1, 2));
		page->next = hg_cursor_encode(&c);
	}
out:
	PQclear(res);
	return st;
}

enum hg_status hg_tx_rows_with_events(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
				      const char *district_id, const char *type, const char *subject, json_t **rows)
{
	PGresult *res = NULL;
	enum hg_status st = hg_db_exec(conn, stmt, params, &res);

	*rows = json_array();
	for (int i = 0; st == HG_OK && i < PQntuples(res); i++) {
		json_t *row = hg_db_json(res, i, 0);
		if (row == NULL) {
			st = HG_INTERNAL;
			break;
		}
		json_array_append_new(*rows, row);
		st = hg_outbox_write(conn, district_id, type,
				     subject != NULL ? subject : json_string_value(json_object_get(row, "id")), row);
	}
	PQclear(res);
	return st;
}

/* ---- reads ---- */

static void shape(const struct hg_entity *e, const struct hg_record_call *call, json_t *record)
{
	if (e->shape != NULL && record != NULL)
		e->shape(call->who, record);
}

enum hg_status hg_record_get(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call)
{
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	const char *params[MAX_PARAMS];
	const char *head[2] = {call->who->district_id, call->id};
	enum hg_status st = HG_INTERNAL;

	hg_record_call_reset(call);
	if (!build_params(e->get, params, head, 2, call))
		return HG_INTERNAL;
	st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_db_exec(conn, e->get, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st == HG_OK) {
		call->record = hg_db_json(res, 0, 0);
		st = call->record != NULL ? read_state(res, 1, &call->state) : HG_INTERNAL;
	}
	PQclear(res);
	hg_db_release(pool, conn);
	if (st == HG_OK && e->read_rule != NULL) {
		const struct hg_reason *why = e->read_rule(call->who, call->record, call->state);
		if (why != NULL)
			st = hg_record_refuse(call, why);
	}
	if (st == HG_OK)
		shape(e, call, call->record);
	return st;
}

struct list_ctx {
	const struct hg_entity *e;
	struct hg_record_call *call;
	struct hg_page *page;
};

/* The parent (when the list has one) and the page, on one connection (in one snapshot when in a transaction). */
static enum hg_status list_on(struct hg_db_conn *conn, void *arg)
{
	struct list_ctx *c = arg;
	const struct hg_entity *e = c->e;
	struct hg_record_call *call = c->call;
	struct hg_page_params pp;
	const char *params[MAX_PARAMS];
	enum hg_status st;

	hg_record_call_reset(call);
	if (e->parent != NULL) {
		const char *parent_params[2] = {call->who->district_id, call->parent};
		st = hg_tx_row(conn, e->parent, parent_params, &call->state);
		if (st != HG_OK)
			return st;
		const struct hg_reason *why = e->parent_rule ? e->parent_rule(call->who, NULL, call->state) : NULL;
		if (why != NULL)
			return hg_record_refuse(call, why);
	}
	hg_page_params(c->page, &pp);
	const char *head[4] = {call->who->district_id, pp.limit, pp.key_param, pp.id_param};
	if (!build_params(e->page, params, head, 4, call))
		return HG_INTERNAL;
	return hg_tx_page(conn, e->page, params, c->page);
}

enum hg_status hg_record_list(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call,
			      struct hg_page *page)
{
	struct list_ctx c = {e, call, page};
	enum hg_status st;
	if (e->parent != NULL) {
		/* One snapshot for the parent's check and the page. */
		st = hg_db_tx(pool, "REPEATABLE READ", list_on, &c);
	} else {
		struct hg_db_conn *conn = NULL;
		st = hg_db_acquire(pool, &conn);
		if (st == HG_OK)
			st = list_on(conn, &c);
		hg_db_release(pool, conn);
	}
	if (st != HG_OK) {
		hg_page_cleanup(page);
		return st;
	}
	size_t i;
	json_t *item;
	json_array_foreach(page->items, i, item)
		shape(e, call, item);
	return HG_OK;
}

/* ---- writes ---- */

struct write_ctx {
	const struct hg_entity *e;
	struct hg_record_call *call;
	enum { WRITE_CREATE, WRITE_UPDATE, WRITE_REMOVE } kind;
};

/* The record's event: its type, subject and data by the entity's description. */
static enum hg_status emit(struct hg_db_conn *conn, const struct hg_entity *e, struct hg_record_call *call,
			   const char *type)
{
	const char *subject = e->subject_parent && call->nargs > 0
				      ? call->args[0]
				      : json_string_value(json_object_get(call->record, "id"));
	json_t *data = e->event_data != NULL ? e->event_data(call->record) : json_incref(call->record);
	enum hg_status st = hg_outbox_write(conn, call->who->district_id, type, subject != NULL ? subject : "", data);
	json_decref(data);
	return st;
}

static enum hg_status create_tx(struct hg_db_conn *conn, void *arg)
{
	struct write_ctx *c = arg;
	const struct hg_entity *e = c->e;
	struct hg_record_call *call = c->call;
	const char *params[MAX_PARAMS];
	char *fields = NULL;
	enum hg_status st;

	hg_record_call_reset(call); /* a retried transaction starts over */
	if (e->parent_lock != NULL) {
		const char *parent_params[2] = {call->who->district_id, call->parent};
		st = hg_tx_row(conn, e->parent_lock, parent_params, &call->state);
		if (st != HG_OK)
			return st;
	}
	if (e->create_rule != NULL) {
		const struct hg_reason *why = e->create_rule(call->who, call->state, call->fields);
		if (why != NULL)
			return hg_record_refuse(call, why);
	}
	if (e->check_create != NULL && (st = e->check_create(conn, call)) != HG_OK)
		return st;
	fields = json_dumps(call->fields, JSON_COMPACT);
	const char *head[3] = {call->who->district_id, call->who->sub, fields};
	st = build_params(e->insert, params, head, 3, call) ? hg_tx_row(conn, e->insert, params, &call->record)
							    : HG_INTERNAL;
	free(fields);
	if (st == HG_CONFLICT && e->conflict != NULL)
		call->why = e->conflict;
	if (st != HG_OK)
		return st;
	call->changed = 1;
	st = emit(conn, e, call, e->created);
	if (st == HG_OK && e->after_create != NULL)
		st = e->after_create(conn, call, call->state, call->record);
	if (st == HG_OK)
		shape(e, call, call->record);
	return st;
}

/* Lock the row (after what must be locked first) and decide: HG_OK to write, or why not. */
static enum hg_status lock_and_decide(struct hg_db_conn *conn, const struct hg_entity *e, struct hg_record_call *call,
				      json_t *changes, int *unchanged)
{
	const char *params[MAX_PARAMS];
	const char *head[2] = {call->who->district_id, call->id};
	PGresult *res = NULL;
	enum hg_status st;

	*unchanged = 0;
	if (e->before_lock != NULL) {
		st = hg_db_exec(conn, e->before_lock, head, &res);
		if (st == HG_OK && PQntuples(res) == 0)
			st = HG_NOT_FOUND;
		PQclear(res);
		res = NULL;
		if (st != HG_OK)
			return st;
	}
	if (!build_params(e->lock, params, head, 2, call))
		return HG_INTERNAL;
	st = hg_db_exec(conn, e->lock, params, &res);
	if (st == HG_OK && PQntuples(res) == 0)
		st = HG_NOT_FOUND;
	if (st != HG_OK)
		goto out;
	long version = (long)hg_db_int(res, 0, 0);
	st = read_state(res, 1, &call->state);
	if (st != HG_OK)
		goto out;
	const struct hg_reason *why = e->change_rule ? e->change_rule(call->who, call->state, changes) : NULL;
	st = hg_record_judge(call, why == &hg_reason_unchanged ? NULL : why, version);
	if (st == HG_OK && why == &hg_reason_unchanged)
		*unchanged = 1;
out:
	PQclear(res);
	return st;
}

static enum hg_status change_tx(struct hg_db_conn *conn, void *arg)
{
	struct write_ctx *c = arg;
	const struct hg_entity *e = c->e;
	struct hg_record_call *call = c->call;
	int removing = c->kind == WRITE_REMOVE;
	char *changes = NULL;
	int unchanged;
	enum hg_status st;

	hg_record_call_reset(call);
	st = lock_and_decide(conn, e, call, removing ? NULL : call->fields, &unchanged);
	if (st != HG_OK)
		return st;
	if (unchanged) {
		const char *params[MAX_PARAMS];
		const char *head[2] = {call->who->district_id, call->id};
		st = build_params(e->get, params, head, 2, call) ? hg_tx_row(conn, e->get, params, &call->record)
								 : HG_INTERNAL;
		if (st == HG_OK)
			shape(e, call, call->record);
		return st;
	}
	if (!removing && e->check_update != NULL && (st = e->check_update(conn, call)) != HG_OK)
		return st;
	if (removing) {
		const char *params[3] = {call->who->district_id, call->id, call->who->sub};
		st = hg_tx_row(conn, e->remove, params, &call->record);
	} else {
		changes = json_dumps(call->fields, JSON_COMPACT);
		const char *params[4] = {call->who->district_id, call->id, changes, call->who->sub};
		st = hg_tx_row(conn, e->update, params, &call->record);
		free(changes);
	}
	if (st != HG_OK)
		return st;
	call->changed = 1;
	const char *type = removing                ? e->removed
			   : e->event_type != NULL ? e->event_type(call->state, call->fields)
						   : e->updated;
	st = emit(conn, e, call, type);
	if (st == HG_OK && !removing && e->after_update != NULL)
		st = e->after_update(conn, call, call->state, call->record);
	if (st == HG_OK)
		shape(e, call, call->record);
	return st;
}

struct hooked {
	struct hg_record_call *call;
	hg_db_tx_fn fn;
	void *arg;
};

/* The caller's hook first and last in the transaction, fn between them. */
static enum hg_status hooked_tx(struct hg_db_conn *conn, void *p)
{
	struct hooked *h = p;
	const struct hg_tx_hook *hook = h->call->hook;
	enum hg_status st = HG_OK;
	if (hook != NULL && hook->begin != NULL)
		st = hook->begin(conn, h->call->hook_arg);
	if (st == HG_OK)
		st = h->fn(conn, h->arg);
	if (st == HG_OK && hook != NULL && hook->before_commit != NULL)
		st = hook->before_commit(conn, h->call->hook_arg);
	return st;
}

enum hg_status hg_record_tx(struct hg_db_pool *pool, struct hg_record_call *call, hg_db_tx_fn fn, void *arg)
{
	struct hooked h = {call, fn, arg};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", hooked_tx, &h);
	if (call->hook != NULL && call->hook->after != NULL)
		call->hook->after(st, call->hook_arg);
	if (st != HG_OK) {
		const struct hg_reason *why = call->why;
		char field[sizeof(call->why_field)];
		memcpy(field, call->why_field, sizeof(field));
		hg_record_call_reset(call);
		call->why = why;
		memcpy(call->why_field, field, sizeof(field));
	}
	return st;
}

static enum hg_status record_write(struct hg_db_pool *pool, struct write_ctx *c)
{
	return hg_record_tx(pool, c->call, c->kind == WRITE_CREATE ? create_tx : change_tx, c);
}

enum hg_status hg_record_create(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call)
{
	struct write_ctx c = {e, call, WRITE_CREATE};
	return record_write(pool, &c);
}

enum hg_status hg_record_update(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call)
{
	struct write_ctx c = {e, call, WRITE_UPDATE};
	return record_write(pool, &c);
}

enum hg_status hg_record_remove(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call)
{
	struct write_ctx c = {e, call, WRITE_REMOVE};
	return record_write(pool, &c);
}

const char *hg_record_status(json_t *state)
{
	const char *s = json_string_value(json_object_get(state, "status"));
	return s != NULL ? s : "";
}

const char *hg_record_target_status(json_t *state, json_t *changes)
{
	const char *to = json_string_value(json_object_get(changes, "status"));
	return to != NULL ? to : hg_record_status(state);
}
