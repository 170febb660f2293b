/* roster_store.h - the roster directory in PostgreSQL: the entities the CRUD kit runs (SQL only; no HTTP).
 *
 * Every statement is scoped by the caller's district: a row of another
 * district is indistinguishable from a missing one (404). Lists are ordered
 * by when a row was first imported (keyset on an internal sequence number).
 * Changes and their events (school.upserted, educator.upserted) commit together.
 */
#ifndef ROSTER_STORE_H
#define ROSTER_STORE_H

#include "common/record.h"

extern const struct hg_entity school_entity; /* school_store.c */
/* Educators: reads take what the caller may see (educator_view_args) as their first arguments. */
extern const struct hg_entity educator_entity;         /* educator_store.c */
extern const struct hg_entity academic_session_entity; /* academic_session_store.c */
/* A token's identity claim looked up in the educators themselves (common/identity.h's contract). */
extern const struct hg_stmt roster_identity_lookup; /* educator_store.c */

#endif
