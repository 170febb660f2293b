/* catalog_transcript_handlers.c - HTTP in and out for transcripts. */
#include <stdlib.h>

#include "catalog.h"
#include "catalog_handlers.h"
#include "catalog_http.h"
#include "catalog_store.h"
#include "catalog_transcript.h"
#include "service.h"

void h_transcript_get(struct hg_request *req)
{
	struct hg_cursor after;
	json_t *entries = NULL, *totals = NULL, *page = NULL;
	char *next = NULL;
	const char *why = NULL;
	int64_t from_days, to_days;
	long limit;
	int has_cursor, shares = 0;
	const char *educator = hg_uuid_param_or_reply(req, "educator_id", "educator");

	if (educator == NULL || !hg_limit_or_reply(req, CATALOG_PAGE_DEFAULT, CATALOG_PAGE_MAX, &limit) ||
	    !hg_cursor_or_reply(req, &after, &has_cursor))
		goto out;
	if (!catalog_transcript_period(hg_query(req, "from"), hg_query(req, "to"), &from_days, &to_days, &why)) {
		hg_reply_problem(req, HG_BAD_REQUEST, "%s", why);
		goto out;
	}
	enum hg_status st = HG_OK;
	switch (catalog_transcript_access(&req->who, educator)) {
	case CATALOG_TRANSCRIPT_ALLOWED:
		break;
	case CATALOG_TRANSCRIPT_IF_SCHOOL:
		st = catalog_shares_school(&req->svc->pool, &req->who, educator, &shares);
		if (st == HG_OK && !shares)
			st = HG_FORBIDDEN;
		break;
	case CATALOG_TRANSCRIPT_DENIED:
		st = HG_FORBIDDEN;
		break;
	}
	if (st == HG_FORBIDDEN) {
		hg_reply_problem(req, st, "a transcript is for the educator, district admins, and the leaders of "
					  "the educator's schools");
		goto out;
	}
	if (st == HG_OK)
		st = catalog_transcript_read(&req->svc->pool, &req->who, educator, from_days, to_days,
					     has_cursor ? &after : NULL, limit, &entries, &next, &totals);
	if (st != HG_OK) {
		hg_reply_status(req, st, "transcript");
		goto out;
	}
	page = json_pack("{s:s, s:s?, s:s?, s:O, s:O, s:s?}", "educator_id", educator, "from", hg_query(req, "from"),
			 "to", hg_query(req, "to"), "totals", totals, "data", entries, "next_cursor", next);
	hg_reply_json(req, 200, page);
out:
	json_decref(entries);
	json_decref(totals);
	json_decref(page);
	free(next);
}
