/* record.h - the CRUD kit's store side: one static description per entity, and the reads and writes every
 * store would otherwise repeat.
 *
 * An entity is described once, as a `static const struct hg_entity` in its store file: its statements, its
 * event types and the pure rules (domain functions) that decide who may read or change a row. The kit runs
 * them the same way for every entity:
 *
 *   get     read one row (404 when absent; a read rule may hide it or refuse it)
 *   list    read a keyset page (the parent read first when the list belongs to one)
 *   create  [lock the parent, rule] → insert → event                      one transaction
 *   update  [lock first] → lock the row → rule → If-Match → update → event  one transaction
 *   remove  the same with the remove statement                            one transaction
 *
 * Statement parameters follow one layout ($1 is always the caller's district):
 *
 *   insert       $1 district, $2 author (who->sub), $3 fields (jsonb), $4.. args     → record json
 *   get          $1 district, $2 id, $3.. args                                      → record json [, state json]
 *   page         $1 district, $2 limit + 1, $3 after key, $4 after id, $5.. args    → (record json, key bigint, id)
 *                (the cursor's key and id are NULL on the first page)
 *   lock         $1 district, $2 id, $3.. args, FOR UPDATE                          → (version bigint, state json)
 *   update       $1 district, $2 id, $3 changes (jsonb), $4 who->sub                → record json
 *   remove       $1 district, $2 id, $3 who->sub                                    → record json
 *   parent       $1 district, $2 parent id                                          → state json (a list's parent)
 *   parent_lock  $1 district, $2 parent id, locked                                  → state json (a create's parent)
 *   before_lock  $1 district, $2 id: what an update must lock before the row (the lock order)
 *
 * A statement may use fewer parameters than the layout offers (its nparams says how many); it may not skip one.
 * The "state" of a row is what its rules need to know that the answer does not show (its author, its version,
 * the status of its parent), as one JSON object.
 */
#ifndef HG_RECORD_H
#define HG_RECORD_H

#include <jansson.h>
#include <stddef.h>

#include "common/auth.h"
#include "common/db.h"
#include "common/etag.h"
#include "common/page.h"
#include "common/reason.h"

#define HG_RECORD_MAX_ARGS 8

struct hg_record_call;

/*
 * May who make the change (changes: the validated fields; NULL for a removal) to a row whose state is
 * given (for a create: the parent's state)? NULL: yes; &hg_reason_unchanged: nothing would change (the row
 * is answered as it is, nothing written); else the refusal. Pure.
 */
typedef const struct hg_reason *(*hg_change_rule)(const struct hg_principal *who, json_t *state, json_t *changes);
/* May who see a record read with this state (NULL when the read returns none)? NULL: yes; &hg_reason_hidden:
 * answer 404 as for an unknown id; else the refusal. Pure. */
typedef const struct hg_reason *(*hg_read_rule)(const struct hg_principal *who, json_t *record, json_t *state);
/* Change a record in place before it is answered to who (e.g. hide a secret). Pure. */
typedef void (*hg_shape_fn)(const struct hg_principal *who, json_t *record);
/* The type of an update's event, from the state before and the changes. Pure. */
typedef const char *(*hg_event_type_fn)(json_t *state, json_t *changes);
/* A new event payload made from the record (e.g. without a secret). Pure. */
typedef json_t *(*hg_event_data_fn)(json_t *record);
/* Store code run in the write's transaction after the write and its event (counters, dependent rows). */
typedef enum hg_status (*hg_after_fn)(struct hg_db_conn *conn, const struct hg_record_call *call, json_t *state,
				      json_t *record);
/*
 * Store code run in the write's transaction after the rules and before the write (create: call->fields;
 * update: the changes), for what only the database knows (e.g. that an id names someone of a read model).
 * HG_OK to write; a refusal through hg_record_refuse / hg_record_refuse_field.
 */
typedef enum hg_status (*hg_check_fn)(struct hg_db_conn *conn, struct hg_record_call *call);

struct hg_entity {
	const char *name;        /* "resource": "resource not found" */
	const char *parent_name; /* "activity": "activity not found" when a create's or a list's parent is absent */

	const struct hg_stmt *insert, *get, *page, *lock, *update, *remove; /* the layout above */
	const struct hg_stmt *parent, *parent_lock, *before_lock;

	const char *created, *updated, *removed; /* event types */
	int subject_parent;                      /* events name the parent (args[0]) as subject, not the record */
	hg_event_type_fn event_type;             /* an update's event type; NULL: updated */
	hg_event_data_fn event_data;             /* NULL: the record */

	hg_change_rule create_rule;       /* under the parent's lock, with the parent's state */
	hg_change_rule change_rule;       /* under the row's lock, with its state */
	hg_read_rule read_rule;           /* after reading one record */
	hg_read_rule parent_rule;         /* after reading a list's parent (record: NULL) */
	hg_shape_fn shape;                /* before a record or each item of a page is answered */
	const struct hg_reason *conflict; /* a create that breaks a unique constraint (NULL: the generic 409) */

	hg_check_fn check_create, check_update; /* NULL: nothing to check */
	hg_after_fn after_create, after_update;
};

/* One call of the kit: what it is asked, and what it answers. */
struct hg_record_call {
	const struct hg_principal *who;
	const char *id;     /* the record's id (get, update, remove) */
	const char *parent; /* the parent's id (parent, parent_lock) */
	const char *args[HG_RECORD_MAX_ARGS];
	size_t nargs;
	json_t *fields;                  /* create: validated fields; update: validated changes (borrowed) */
	struct hg_precondition if_match; /* update, remove: versions the change may apply to (default: any) */

	/* Added to the call's write transaction (the Idempotency-Key claim and answer); NULL: none. */
	const struct hg_tx_hook *hook;
	void *hook_arg;

	/* out */
	json_t *record;              /* new reference: the record read or written */
	json_t *state;               /* new reference: the read's or the lock's state, or NULL */
	const struct hg_reason *why; /* a rule's refusal (then the status is why->status) */
	char why_field[64];          /* the body's field the refusal is about ("" for none): a 422 naming it */
	int changed;                 /* a write changed something (else the record is answered as it was) */
};

/* A call by who (no id, no args, any version). */
void hg_record_call_init(struct hg_record_call *call, const struct hg_principal *who);
/* Append one argument (borrowed; NULL is SQL NULL). */
void hg_record_arg(struct hg_record_call *call, const char *arg);
/* Drop the outputs. */
void hg_record_call_cleanup(struct hg_record_call *call);
/* Drop what an earlier attempt of a transaction left in the outputs (a retried transaction starts over). */
void hg_record_call_reset(struct hg_record_call *call);
/* A rule's refusal as the call's outcome: hidden is the plain 404 of an unknown id. Returns the status. */
/* For the rules of entities with a status: the locked row's ("" when it has none), and the one a change moves it
 * to (the row's own when the change names none). */
const char *hg_record_status(json_t *state);
const char *hg_record_target_status(json_t *state, json_t *changes);

enum hg_status hg_record_refuse(struct hg_record_call *call, const struct hg_reason *why);
/* A change's refusal judged in the kit's order: who may act (a FORBIDDEN or NOT_FOUND reason) before the
 * version (If-Match, 412), then the state's rule; HG_OK when why is NULL and the version holds. For stores
 * that run their own transaction (a state machine beyond the CRUD kit). */
enum hg_status hg_record_judge(struct hg_record_call *call, const struct hg_reason *why, long version);
/* A refusal of one field of the body (why->status is HG_INVALID): answered as a 422 naming field. */
enum hg_status hg_record_refuse_field(struct hg_record_call *call, const struct hg_reason *why, const char *field);

/* Not a refusal of its own: a read rule hides the record (the answer is the plain 404 of an unknown id). */
extern const struct hg_reason hg_reason_hidden;

enum hg_status hg_record_get(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call);
/* A page into page (limit and cursor from the request; items and next filled). */
enum hg_status hg_record_list(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call,
			      struct hg_page *page);
enum hg_status hg_record_create(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call);
enum hg_status hg_record_update(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call);
enum hg_status hg_record_remove(struct hg_db_pool *pool, const struct hg_entity *e, struct hg_record_call *call);

/* ---- pieces for stores that write in their own transactions ---- */

/*
 * Run fn(conn, arg) as one READ COMMITTED transaction (retried on serialization failures) that writes its
 * results into call (record, why, changed; fn starts with hg_record_call_reset), with call->hook's steps
 * first and last in it. On failure the record is dropped and only the refusal stays. Every write of the kit
 * and of the stores' own transactions goes through here: it is the one write path.
 */
enum hg_status hg_record_tx(struct hg_db_pool *pool, struct hg_record_call *call, hg_db_tx_fn fn, void *arg);

/* Run stmt and read its first row's first column as JSON into *out (new reference); HG_NOT_FOUND for no row. */
enum hg_status hg_tx_row(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params, json_t **out);
/* Run a page statement (rows of json, key, id; asked for page->limit + 1 rows) into page. */
enum hg_status hg_tx_page(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
			  struct hg_page *page);
/*
 * Run stmt, then write one event of type per returned row (its JSON; subject the given one, or NULL for the
 * row's "id"); *rows new array of the rows.
 */
enum hg_status hg_tx_rows_with_events(struct hg_db_conn *conn, const struct hg_stmt *stmt, const char *const *params,
				      const char *district_id, const char *type, const char *subject, json_t **rows);
/* The page statement's limit and cursor parameters ($2..$4) as text into the caller's buffers. */
struct hg_page_params {
	char limit[24], key[24], id[37];
	const char *key_param, *id_param;
};
void hg_page_params(const struct hg_page *page, struct hg_page_params *out);

#endif
