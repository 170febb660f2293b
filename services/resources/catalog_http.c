/* catalog_http.c - request and reply helpers the catalog handlers share. */
#include "catalog_http.h"

#include <stdio.h>
#include <stdlib.h>

#include "auth.h"

void catalog_reply_failure(struct hg_request *req, enum hg_status st, const char *why, const char *what)
{
	if (why != NULL && (st == HG_CONFLICT || st == HG_FORBIDDEN || st == HG_INVALID))
		hg_reply_problem(req, st, "%s", why);
	else
		hg_reply_status(req, st, what);
}

int catalog_optional_body_or_reply(struct hg_request *req, json_t **body)
{
	*body = NULL;
	if (req->u->binary_body_length == 0 && hg_header(req, "Content-Type") == NULL)
		return 1;
	*body = hg_body_object_or_reply(req);
	return *body != NULL;
}
