/* idempotency.h - safe retries of POST with an Idempotency-Key.
 *
 * A client on flaky Wi-Fi retries a POST with the same Idempotency-Key and
 * gets the first answer back instead of a second effect. Keys are scoped to
 * the caller (district and subject). The first request claims the key
 * (a pending row); a concurrent request with the same key gets 409 while it
 * runs; the answer is stored when it is not a server error (5xx answers
 * release the key so a retry runs again); the same key with another body or
 * path is 422. Keys are kept 24 hours; a claim left pending by a crash is
 * taken over after 60 seconds.
 */
#ifndef HG_IDEMPOTENCY_H
#define HG_IDEMPOTENCY_H

#include <libpq-fe.h>

#include "common/request.h"

#define HG_IDEMPOTENCY_KEY_MAX 255

/*
 * Before the handler of a POST that carries Idempotency-Key. Returns 1 when
 * the handler should run (the key is claimed), 0 when this function already
 * replied (stored answer replayed, 409 in progress, 422 reused key, 400 bad
 * key, 503 database).
 */
int hg_idempotency_begin_or_reply(struct hg_request *req, const char *key);

/* After the handler: store its answer under the claimed key (or release the key on 5xx). */
void hg_idempotency_finish(struct hg_request *req, const char *key);

/* Drop keys older than 24 hours, at most limit of them (housekeeping, on any connection of the schema). */
void hg_idempotency_purge(PGconn *pg, long limit);

#endif
