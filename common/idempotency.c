/* idempotency.c - safe retries of POST with an Idempotency-Key. */
#include "common/idempotency.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/reply.h"
#include "common/xmalloc.h"

/* Claim the key inside the write's transaction: a concurrent claim of the same key waits here for this one's
 * outcome; a committed row (another request's answer) returns no row. */
static const struct hg_stmt claim_stmt = {
	"hg_idem_claim",
	"INSERT INTO idempotency_keys (district_id, subject, idem_key, request_hash) VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (district_id, subject, idem_key) DO NOTHING RETURNING 1",
	4};

static const struct hg_stmt lookup_stmt = {
	"hg_idem_lookup",
	"SELECT request_hash, status, content_type, location, etag, body FROM idempotency_keys"
	" WHERE district_id = $1 AND subject = $2 AND idem_key = $3 AND status IS NOT NULL",
	3};

static const struct hg_stmt store_stmt = {
	"hg_idem_store",
	"UPDATE idempotency_keys SET status = $4, content_type = $5, location = $6, etag = $7, body = $8"
	" WHERE district_id = $1 AND subject = $2 AND idem_key = $3",
	8};

/* The answer of a request that wrote nothing; a concurrent one that stored first wins. */
static const struct hg_stmt store_alone_stmt = {
	"hg_idem_store_alone",
	"INSERT INTO idempotency_keys (district_id, subject, idem_key, request_hash, status, content_type, location,"
	" etag, body) VALUES ($1, $2, $3, $9, $4, $5, $6, $7, $8)"
	" ON CONFLICT (district_id, subject, idem_key) DO NOTHING",
	9};

static int valid_key(const char *key)
{
	size_t n = 0;
	for (; key[n] != '\0'; n++)
		if (n >= HG_IDEMPOTENCY_KEY_MAX || !isprint((unsigned char)key[n]))
			return 0;
	return n > 0;
}

/*
 * The request hash is keyed: HMAC-SHA-256, under a key this process drew at random when it started, of the
 * SHA-256 of method, path and body. A reader of the table (which keeps the hash beside the caller) cannot test
 * guessed bodies against it -- an anonymous survey's answers have a small space, so a plain digest could be
 * matched by trying every body. The key never leaves the process; the stored hash starts with its fingerprint
 * ("<8 hex>:<64 hex>"), so a retry answered by another process (a restart, another replica), which cannot
 * recompute the hash, is recognised as such: it gets the stored answer by its key alone.
 */
#define FINGERPRINT_HEX 8

static unsigned char hash_key[32];
static char hash_key_fp[FINGERPRINT_HEX + 1];
static pthread_once_t hash_key_once = PTHREAD_ONCE_INIT;

static void hash_key_init(void)
{
	unsigned char fp[EVP_MAX_MD_SIZE];
	unsigned int fplen = 0;
	if (RAND_bytes(hash_key, (int)sizeof(hash_key)) != 1)
		abort();
	if (EVP_Digest(hash_key, sizeof(hash_key), fp, &fplen, EVP_sha256(), NULL) != 1)
		abort();
	for (unsigned i = 0; i < FINGERPRINT_HEX / 2; i++)
		snprintf(hash_key_fp + 2 * i, 3, "%02x", fp[i]);
}

/* "<key fingerprint>:<hex HMAC-SHA-256 of the SHA-256 of method, path and body>": what makes two requests
 * "the same" in this process. */
static void request_hash(const struct hg_request *req, char out[HG_IDEM_HASH_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE], mac[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, maclen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (ctx == NULL || pthread_once(&hash_key_once, hash_key_init) != 0)
		abort();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	EVP_DigestUpdate(ctx, req->u->http_verb, strlen(req->u->http_verb));
	EVP_DigestUpdate(ctx, "\n", 1);
	EVP_DigestUpdate(ctx, req->u->url_path, strlen(req->u->url_path));
	EVP_DigestUpdate(ctx, "\n", 1);
	if (req->u->binary_body_length > 0)
		EVP_DigestUpdate(ctx, req->u->binary_body, req->u->binary_body_length);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (HMAC(EVP_sha256(), hash_key, (int)sizeof(hash_key), md, mdlen, mac, &maclen) == NULL)
		abort();
	memcpy(out, hash_key_fp, FINGERPRINT_HEX);
	out[FINGERPRINT_HEX] = ':';
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + FINGERPRINT_HEX + 1 + 2 * i, 3, "%02x", mac[i]);
}

/* Is the stored hash another request than this one? Only a hash made under this process's key can tell. */
static int another_request(const char *stored, const char *mine)
{
	if (strncmp(stored, mine, FINGERPRINT_HEX + 1) != 0)
		return 0;
	return strcmp(stored, mine) != 0;
}

static void replay(struct hg_request *req, PGresult *res)
{
	int status = (int)strtol(PQgetvalue(res, 0, 1), NULL, 10);
	hg_reply_reset(req);
	if (!PQgetisnull(res, 0, 3))
		hg_set_header(req, "Location", PQgetvalue(res, 0, 3));
	if (!PQgetisnull(res, 0, 4))
		hg_set_header(req, "ETag", PQgetvalue(res, 0, 4));
	hg_set_header(req, "Idempotent-Replayed", "true");
	if (PQgetisnull(res, 0, 5))
		hg_reply_empty(req, status);
	else
		hg_reply_text(req, status, PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2),
			      PQgetvalue(res, 0, 5));
}

/* Answer with the key's stored answer (or 422 for another request). 0 when none is stored. */
static int replay_stored(struct hg_request *req, struct hg_db_conn *conn, enum hg_status *st)
{
	const char *params[3] = {req->who.district_id, req->who.sub, req->idem->key};
	PGresult *res = NULL;
	int found = 0;
	*st = hg_db_exec(conn, &lookup_stmt, params, &res);
	if (*st == HG_OK && PQntuples(res) == 1) {
		found = 1;
		if (another_request(PQgetvalue(res, 0, 0), req->idem->hash)) {
			hg_reply_reset(req);
			hg_reply_problem(req, HG_INVALID, "this Idempotency-Key was used with another request");
		} else {
			replay(req, res);
		}
	}
	PQclear(res);
	return found;
}

int hg_idempotency_begin_or_reply(struct hg_request *req, struct hg_idem *idem, const char *key)
{
	struct hg_db_conn *conn = NULL;
	enum hg_status st;

	memset(idem, 0, sizeof(*idem));
	if (!valid_key(key)) {
		hg_reply_problem_field(req, HG_BAD_REQUEST, "Idempotency-Key",
				       "Idempotency-Key must be 1 to %d printable characters", HG_IDEMPOTENCY_KEY_MAX);
		return 0;
	}
	idem->key = key;
	request_hash(req, idem->hash);
	req->idem = idem;
	st = hg_db_acquire(req->pool, &conn);
	int replied = st == HG_OK && replay_stored(req, conn, &st);
	hg_db_release(req->pool, conn);
	if (st != HG_OK) {
		hg_reply_status(req, st, "idempotency key");
		return 0;
	}
	return !replied;
}

/* The answer now in req's response as statement parameters 4-8 (status, type, Location, ETag, body). */
struct stored_answer {
	char code[16];
	char *body;
	const char *params[9];
};

static void answer_params(struct hg_request *req, struct stored_answer *a)
{
	snprintf(a->code, sizeof(a->code), "%u", (unsigned)req->resp->status);
	a->body =
		req->resp->binary_body != NULL ? xstrndup(req->resp->binary_body, req->resp->binary_body_length) : NULL;
	const char *params[9] = {req->who.district_id,
				 req->who.sub,
				 req->idem->key,
				 a->code,
				 u_map_get_case(req->resp->map_header, "Content-Type"),
				 u_map_get_case(req->resp->map_header, "Location"),
				 u_map_get_case(req->resp->map_header, "ETag"),
				 a->body,
				 req->idem->hash};
	memcpy(a->params, params, sizeof(params));
}

/* ---- in the write's transaction ---- */

static enum hg_status claim(struct hg_db_conn *conn, void *arg)
{
	struct hg_request *req = arg;
	PGresult *res = NULL;
	const char *params[4] = {req->who.district_id, req->who.sub, req->idem->key, req->idem->hash};
	enum hg_status st = hg_db_exec(conn, &claim_stmt, params, &res);
	if (st == HG_OK && PQntuples(res) == 0) {
		req->idem->taken = 1; /* committed by a concurrent request with the key: answer with its answer */
		st = HG_CONFLICT;
	}
	PQclear(res);
	return st;
}

static enum hg_status store(struct hg_db_conn *conn, void *arg)
{
	struct hg_request *req = arg;
	struct stored_answer a;
	/* The answer is made now, inside the transaction, so the one stored is the one sent. */
	req->answer.fn(req, req->answer.call, req->answer.arg);
	answer_params(req, &a);
	enum hg_status st = hg_db_exec(conn, &store_stmt, a.params, NULL);
	free(a.body);
	return st;
}

static void after(enum hg_status st, void *arg)
{
	struct hg_request *req = arg;
	req->idem->stored = st == HG_OK;
	if (st == HG_OK)
		hg_db_test_pause_after_commit();
}

const struct hg_tx_hook hg_idempotency_hook = {claim, store, after};

/* ---- after the handler ---- */

void hg_idempotency_finish(struct hg_request *req)
{
	struct hg_idem *idem = req->idem;
	struct hg_db_conn *conn = NULL;
	enum hg_status st;

	if (idem == NULL || idem->stored)
		return;
	st = hg_db_acquire(req->pool, &conn);
	if (st != HG_OK) {
		hg_log(HG_LOG_WARN, "idempotency key not recorded: no database connection");
		goto out;
	}
	if (idem->taken) {
		if (!replay_stored(req, conn, &st) && st == HG_OK)
			hg_log(HG_LOG_ERROR, "idempotency key taken but no answer stored");
		goto out;
	}
	if (req->resp->status >= 500 || idem->transient)
		goto out; /* not final: a retry runs again */
	struct stored_answer a;
	answer_params(req, &a);
	hg_db_exec(conn, &store_alone_stmt, a.params, NULL);
	free(a.body);
out:
	hg_db_release(req->pool, conn);
}

void hg_idempotency_transient(struct hg_request *req)
{
	if (req->idem != NULL)
		req->idem->transient = 1;
}

void hg_idempotency_purge(PGconn *pg, long limit)
{
	char n[24];
	snprintf(n, sizeof(n), "%ld", limit);
	const char *params[1] = {n};
	PGresult *res = PQexecParams(pg,
				     "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys"
				     " WHERE created_at < now() - interval '24 hours' LIMIT $1::int)",
				     1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		hg_log(HG_LOG_WARN, "purging idempotency keys failed: %s", PQresultErrorMessage(res));
	PQclear(res);
}
