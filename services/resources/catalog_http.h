/* catalog_http.h - request and reply helpers the catalog handlers share. */
#ifndef RESOURCES_CATALOG_HTTP_H
#define RESOURCES_CATALOG_HTTP_H

#include <jansson.h>

#include "cursor.h"
#include "http.h"

/* The path parameter name when it is a UUID; otherwise reply 404 "<what> not found" and return NULL. */
const char *catalog_id_or_reply(struct hg_request *req, const char *name, const char *what);

/* ETag "<version>" of a representation that has one. */
void catalog_set_etag(struct hg_request *req, json_t *obj);

/* ?cursor= into *after; *has says whether one was given. Replies 400 and returns 0 when it is damaged. */
int catalog_cursor_or_reply(struct hg_request *req, struct hg_cursor *after, int *has);

/* 200 {"data": items, "next_cursor": next}. */
void catalog_reply_page(struct hg_request *req, json_t *items, const char *next);

/* Reply for a store status: why (when not NULL) is the detail, else the generic one for what. */
void catalog_reply_failure(struct hg_request *req, enum hg_status st, const char *why, const char *what);

/*
 * The body as an object, or *body = NULL when there is none (no
 * Content-Length or 0 and no Content-Type). Returns 0 after replying to a
 * bad body (413/415/400/422).
 */
int catalog_optional_body_or_reply(struct hg_request *req, json_t **body);

#endif
