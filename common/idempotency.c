/* idempotency.c - safe retries of POST with an Idempotency-Key. */
#include "common/idempotency.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/log.h"
#include "common/reply.h"
#include "common/xmalloc.h"

#define ABANDONED_AFTER "60 seconds"

/* Claim the key, or take over a claim abandoned by a crash; returns the row when we hold it. */
static const struct hg_stmt claim_stmt = {
	"hg_idem_claim",
	"INSERT INTO idempotency_keys (district_id, subject, idem_key, request_hash)"
	" VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (district_id, subject, idem_key) DO UPDATE SET request_hash = EXCLUDED.request_hash,"
	" created_at = now()"
	" WHERE idempotency_keys.status IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash"
	" AND idempotency_keys.created_at < now() - interval '" ABANDONED_AFTER "'"
	" RETURNING 1",
	4};

static const struct hg_stmt lookup_stmt = {
	"hg_idem_lookup",
	"SELECT request_hash, status, content_type, location, etag, body FROM idempotency_keys"
	" WHERE district_id = $1 AND subject = $2 AND idem_key = $3",
	3};

static const struct hg_stmt store_stmt = {
	"hg_idem_store",
	"UPDATE idempotency_keys SET status = $4, content_type = $5, location = $6, etag = $7, body = $8"
	" WHERE district_id = $1 AND subject = $2 AND idem_key = $3 AND status IS NULL",
	8};

static const struct hg_stmt release_stmt = {
	"hg_idem_release",
	"DELETE FROM idempotency_keys WHERE district_id = $1 AND subject = $2 AND idem_key = $3 AND status IS NULL",
	3};

static int valid_key(const char *key)
{
	size_t n = 0;
	for (; key[n] != '\0'; n++)
		if (n >= HG_IDEMPOTENCY_KEY_MAX || !isprint((unsigned char)key[n]))
			return 0;
	return n > 0;
}

/* Hex SHA-256 of method, path and body: what makes two requests "the same". */
static void request_hash(const struct hg_request *req, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
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
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void replay(struct hg_request *req, PGresult *res)
{
	int status = (int)strtol(PQgetvalue(res, 0, 1), NULL, 10);
	if (!PQgetisnull(res, 0, 3))
		hg_set_header(req, "Location", PQgetvalue(res, 0, 3));
	if (!PQgetisnull(res, 0, 4))
		hg_set_header(req, "ETag", PQgetvalue(res, 0, 4));
	hg_set_header(req, "Idempotent-Replayed", "true");
	if (PQgetisnull(res, 0, 5))
		hg_reply_empty(req, status);
	else
		hg_reply_text(req, status, PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 5));
}

int hg_idempotency_begin_or_reply(struct hg_request *req, const char *key)
{
	struct hg_db_pool *pool = req->pool;
	struct hg_db_conn *conn = NULL;
	PGresult *res = NULL;
	char hash[65];
	int run = 0;

	if (!valid_key(key)) {
		hg_reply_problem(req, HG_BAD_REQUEST, "Idempotency-Key must be 1 to %d printable characters",
				 HG_IDEMPOTENCY_KEY_MAX);
		return 0;
	}
	request_hash(req, hash);
	const char *params[4] = {req->who.district_id, req->who.sub, key, hash};
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st == HG_OK)
		st = hg_db_exec(conn, &claim_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 1) {
		run = 1; /* ours: the handler runs */
		goto out;
	}
	PQclear(res);
	res = NULL;
	st = hg_db_exec(conn, &lookup_stmt, params, &res);
	if (st != HG_OK)
		goto out;
	if (PQntuples(res) == 0) {
		/* Released between our two statements by a failed first attempt: let the client retry. */
		hg_set_header(req, "Retry-After", "1");
		hg_reply_problem(req, HG_CONFLICT, "a request with this Idempotency-Key just failed; retry it");
	} else if (strcmp(PQgetvalue(res, 0, 0), hash) != 0) {
		hg_reply_problem(req, HG_INVALID, "this Idempotency-Key was used with another request");
	} else if (PQgetisnull(res, 0, 1)) {
		hg_set_header(req, "Retry-After", "1");
		hg_reply_problem(req, HG_CONFLICT, "a request with this Idempotency-Key is still being processed");
	} else {
		replay(req, res);
	}
out:
	if (st != HG_OK)
		hg_reply_status(req, st, "idempotency key");
	PQclear(res);
	hg_db_release(pool, conn);
	return run;
}

void hg_idempotency_finish(struct hg_request *req, const char *key)
{
	struct hg_db_pool *pool = req->pool;
	struct hg_db_conn *conn = NULL;
	int status = (int)req->resp->status;
	enum hg_status st = hg_db_acquire(pool, &conn);
	if (st != HG_OK) {
		hg_log(HG_LOG_WARN, "idempotency key not recorded: no database connection");
		return;
	}
	if (status >= 500) {
		const char *params[3] = {req->who.district_id, req->who.sub, key};
		hg_db_exec(conn, &release_stmt, params, NULL);
	} else {
		char code[16];
		char *body = NULL;
		snprintf(code, sizeof(code), "%d", status);
		if (req->resp->binary_body != NULL)
			body = xstrndup(req->resp->binary_body, req->resp->binary_body_length);
		const char *params[8] = {req->who.district_id,
					 req->who.sub,
					 key,
					 code,
					 u_map_get_case(req->resp->map_header, "Content-Type"),
					 u_map_get_case(req->resp->map_header, "Location"),
					 u_map_get_case(req->resp->map_header, "ETag"),
					 body};
		hg_db_exec(conn, &store_stmt, params, NULL);
		free(body);
	}
	hg_db_release(pool, conn);
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
