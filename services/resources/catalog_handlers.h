/* catalog_handlers.h - HTTP handlers of the PD catalog and transcripts (no SQL here). */
#ifndef RESOURCES_CATALOG_HANDLERS_H
#define RESOURCES_CATALOG_HANDLERS_H

#include "http.h"

/* catalog_activity_handlers.c */
void h_catalog_activity_create(struct hg_request *req);
void h_catalog_activity_list(struct hg_request *req);
void h_catalog_activity_get(struct hg_request *req);
void h_catalog_activity_update(struct hg_request *req);

/* catalog_session_handlers.c */
void h_catalog_session_create(struct hg_request *req);
void h_catalog_session_list(struct hg_request *req);
void h_catalog_session_get(struct hg_request *req);
void h_catalog_session_update(struct hg_request *req);

/* catalog_registration_handlers.c */
void h_catalog_registration_create(struct hg_request *req);
void h_catalog_registration_list(struct hg_request *req);
void h_catalog_registration_get(struct hg_request *req);
void h_catalog_registration_cancel(struct hg_request *req);

/* catalog_attendance_handlers.c */
void h_catalog_attendance_record(struct hg_request *req);
void h_catalog_checkin(struct hg_request *req);

/* catalog_credit_handlers.c */
void h_catalog_credit_create(struct hg_request *req);
void h_catalog_credit_list(struct hg_request *req);
void h_catalog_credit_get(struct hg_request *req);
void h_catalog_credit_decide(struct hg_request *req);

/* catalog_transcript_handlers.c */
void h_transcript_get(struct hg_request *req);

#endif
