/* catalog_http.h - request and reply helpers the catalog handlers share. */
#ifndef RESOURCES_CATALOG_HTTP_H
#define RESOURCES_CATALOG_HTTP_H

#include <jansson.h>

#include "cursor.h"
#include "http.h"

/* Reply for a store status: why (when not NULL) is the detail, else the generic one for what. */
void catalog_reply_failure(struct hg_request *req, enum hg_status st, const char *why, const char *what);

/*
 * The body as an object, or *body = NULL when there is none (no
 * Content-Length or 0 and no Content-Type). Returns 0 after replying to a
 * bad body (413/415/400/422).
 */
int catalog_optional_body_or_reply(struct hg_request *req, json_t **body);

#endif
