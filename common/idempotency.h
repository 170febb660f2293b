/* idempotency.h - safe retries of POST with an Idempotency-Key.
 *
 * A client on flaky Wi-Fi retries a POST with the same Idempotency-Key and
 * gets the first answer back instead of a second effect. Keys are scoped to
 * the caller (district and subject) and kept 24 hours.
 *
 * A request that writes claims its key in the transaction of its change: the
 * key's row is inserted first in that transaction and the answer stored last,
 * before COMMIT (common/write.c binds the two to every write). So a crash
 * leaves either nothing (a retry runs once, at once: no claim outlives its
 * transaction) or the change, its events and its answer together (a retry
 * gets the answer). A concurrent request with the same key waits on the
 * claimed row and then answers with the stored answer. A request that writes
 * nothing (a validation failure, a refusal) has its answer stored after it
 * (4xx answers are as final as a success; 5xx answers are never kept). The
 * same key with another body or path is 422. The request is kept only as a hash keyed by a secret of the
 * process (nothing in the table lets a reader test a guessed body); a retry that reaches another process
 * than the one that stored the answer (a restart, a replica) is answered by its key alone.
 */
#ifndef HG_IDEMPOTENCY_H
#define HG_IDEMPOTENCY_H

#include <libpq-fe.h>

#include "common/db.h"
#include "common/request.h"

#define HG_IDEMPOTENCY_KEY_MAX 255
/* The request hash as stored: a key fingerprint, ':' and a keyed hash (idempotency.c). */
#define HG_IDEM_HASH_MAX 80

/* A request's key and what became of it. */
struct hg_idem {
	const char *key;             /* borrowed from the request's header */
	char hash[HG_IDEM_HASH_MAX]; /* keyed hash of the method, path and body: what makes two requests "the same" */
	int stored;                  /* the answer is stored (committed with the request's write) */
	int taken;                   /* a concurrent request with the key stored its answer first: replay that one */
	int transient;               /* the answer is not final (hg_idempotency_transient): never stored */
};

/*
 * Before the handler of a POST that carries Idempotency-Key. Returns 1 when
 * the handler should run (req->idem set), 0 when this function already
 * replied (stored answer replayed, 422 reused key, 400 bad key, 503 database).
 */
int hg_idempotency_begin_or_reply(struct hg_request *req, struct hg_idem *idem, const char *key);

/*
 * After the handler: a write that lost its key to a concurrent request answers that request's stored
 * answer; the answer of a request that wrote nothing is stored (not a 5xx).
 */
void hg_idempotency_finish(struct hg_request *req);

/*
 * The answer req is making is not final: the work the request asks for is under way already (a sync of the
 * district runs, perhaps the one this key started). It is not stored, so a retry with the key, once that work
 * is over, gets the stored answer of the request that did it (or runs). No effect without a key.
 */
void hg_idempotency_transient(struct hg_request *req);

/* The steps a write transaction of req takes for its key (claim first, store the answer before COMMIT). */
extern const struct hg_tx_hook hg_idempotency_hook;

/* Drop keys older than 24 hours, at most limit of them (housekeeping, on any connection of the schema). */
void hg_idempotency_purge(PGconn *pg, long limit);

#endif
