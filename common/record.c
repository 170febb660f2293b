/* record.c - one record and its event, one transaction. */
#include "record.h"

#include <stdlib.h>

#include "outbox.h"

struct create_ctx {
	const struct hg_stmt *insert;
	const struct hg_principal *who;
	json_t *fields;
	const char *event_type;
	json_t *out;
};

static enum hg_status create_tx(struct hg_db_conn *conn, void *arg)
{
	struct create_ctx *c = arg;
	PGresult *res = NULL;
	char *fields = json_dumps(c->fields, JSON_COMPACT);
	const char *params[3] = {c->who->district_id, c->who->sub, fields};
	enum hg_status st = hg_db_exec(conn, c->insert, params, &res);

	json_decref(c->out); /* a retried transaction starts over */
	c->out = NULL;
	if (st != HG_OK)
		goto out;
	st = HG_INTERNAL;
	c->out = hg_db_json(res, 0, 0);
	if (c->out == NULL)
		goto out;
	st = hg_outbox_write(conn, c->who->district_id, c->event_type, json_string_value(json_object_get(c->out, "id")),
			     c->out);
out:
	PQclear(res);
	free(fields);
	return st;
}

enum hg_status hg_record_create(struct hg_db_pool *pool, const struct hg_stmt *insert,
				const struct hg_principal *who, json_t *fields, const char *event_type, json_t **out)
{
	struct create_ctx c = {insert, who, fields, event_type, NULL};
	enum hg_status st = hg_db_tx(pool, "READ COMMITTED", create_tx, &c);
	if (st != HG_OK) {
		json_decref(c.out);
		return st;
	}
	*out = c.out;
	return HG_OK;
}
