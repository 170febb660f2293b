/* resource_store.h - library resources in PostgreSQL: the entity the CRUD kit runs (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district: a row of another district is indistinguishable from a
 * missing one (404). Writes and their events (resource.created, .updated, .deleted) commit together. A
 * deleted resource is kept (soft delete) and reads answer 404 for it.
 */
#ifndef LIBRARY_RESOURCE_STORE_H
#define LIBRARY_RESOURCE_STORE_H

#include "common/record.h"

extern const struct hg_entity resource_entity;

#endif
