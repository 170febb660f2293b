/* review_store.h - reviews and content checks of library resources in PostgreSQL: the entities the CRUD kit
 * runs (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district, and a deleted resource is a missing one (404). A
 * review and the resource's rating aggregate change in one transaction, under the resource row's lock, with
 * the event; so do a content check, the due date it moves and its event.
 */
#ifndef LIBRARY_REVIEW_STORE_H
#define LIBRARY_REVIEW_STORE_H

#include "common/record.h"

/* A review of a resource (the resource's id is the first argument of every call). */
extern const struct hg_entity review_entity;
/* A content check of a resource (the resource's id is the first argument). */
extern const struct hg_entity content_check_entity;

#endif
