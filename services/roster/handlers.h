/* handlers.h - HTTP handlers of the roster service (no SQL here). */
#ifndef ROSTER_HANDLERS_H
#define ROSTER_HANDLERS_H

#include "http.h"

void h_roster_school_list(struct hg_request *req);
void h_roster_school_get(struct hg_request *req);
void h_roster_school_update(struct hg_request *req);
void h_roster_educator_list(struct hg_request *req);
void h_roster_educator_get(struct hg_request *req);
void h_roster_educator_update(struct hg_request *req);
void h_roster_session_list(struct hg_request *req);
void h_roster_import_create(struct hg_request *req);
void h_roster_import_get(struct hg_request *req);

#endif
