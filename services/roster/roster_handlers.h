/* roster_handlers.h - the roster service's HTTP side: the CRUD descriptions its routes serve, and its own
 * handlers (no SQL here). */
#ifndef ROSTER_HANDLERS_H
#define ROSTER_HANDLERS_H

#include "common/crud.h"
#include "common/request.h"

extern const struct hg_crud school_crud;           /* school_handlers.c */
extern const struct hg_crud educator_crud;         /* educator_handlers.c */
extern const struct hg_crud academic_session_crud; /* academic_session_handlers.c */

/* import_handlers.c: an import; its stored report */
void import_handle_create(struct hg_request *req);
extern const struct hg_crud import_crud;
/* One of the HG_ROSTER_MAX_CONCURRENT_IMPORTS slots imports and syncs share: 1, or 0 after answering 503. */
int import_slot_or_reply(struct hg_request *req);
void import_slot_release(void);

/* sync_handlers.c: a sync from the district's SIS now; a sync's state and progress */
void sync_handle_create(struct hg_request *req);
extern const struct hg_crud sync_crud;

/* sis_handlers.c: the district's SIS connection (one per district) */
void sis_handle_put(struct hg_request *req);
void sis_handle_get(struct hg_request *req);
void sis_handle_delete(struct hg_request *req);

#endif
