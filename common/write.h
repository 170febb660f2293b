/* write.h - the one way a handler writes and answers.
 *
 *     hg_record_call_init(&call, &req->who);
 *     hg_write_begin(req, &call, hg_answer_created, "/v1/things");
 *     st = hg_record_create(req->pool, &thing_entity, &call);   (or any store function over hg_record_tx)
 *     hg_write_end(req, st, "thing");
 *
 * hg_write_begin binds the call's transaction to the request's Idempotency-Key (the key claimed first in the
 * transaction, the answer made and stored last, before COMMIT: common/idempotency.h) and names how a
 * success is answered; hg_write_end answers a success (unless the transaction already did) or the failure,
 * replacing an answer made inside a transaction that did not commit.
 */
#ifndef HG_WRITE_H
#define HG_WRITE_H

#include "common/record.h"
#include "common/request.h"

void hg_write_begin(struct hg_request *req, struct hg_record_call *call, hg_answer_fn answer, const void *arg);
/* Answer the write: st is what the store returned; what names the record for a failure ("session not found"). */
void hg_write_end(struct hg_request *req, enum hg_status st, const char *what);

/* Answers (hg_answer_fn). */
/* 201 with the record, its Location (arg: the collection, a const char *) and ETag. */
void hg_answer_created(struct hg_request *req, const struct hg_record_call *call, const void *arg);
/* 201 with the record and nothing else (it has no address of its own). */
void hg_answer_created_here(struct hg_request *req, const struct hg_record_call *call, const void *arg);
/* 200 with the record and its ETag (when it has a version). */
void hg_answer_record(struct hg_request *req, const struct hg_record_call *call, const void *arg);
/* 204. */
void hg_answer_no_content(struct hg_request *req, const struct hg_record_call *call, const void *arg);

#endif
