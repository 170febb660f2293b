/* catalog_handlers.h - the PD catalog's HTTP side: the CRUD descriptions its routes serve, and its own
 * handlers (no SQL here). */
#ifndef CATALOG_HANDLERS_H
#define CATALOG_HANDLERS_H

#include "common/crud.h"
#include "common/request.h"

/* activity_handlers.c */
extern const struct hg_crud activity_crud;
extern const struct hg_crud proposal_crud;          /* teacher-led proposals: create, list */
extern const struct hg_crud proposal_decision_crud; /* the PD office's decision on one */
/* session_handlers.c: one session; the sessions of an activity ({id} is the activity) */
extern const struct hg_crud session_crud;
extern const struct hg_crud activity_sessions_crud;
/* registration_handlers.c: one registration; the registrations of a session ({id} is the session) */
extern const struct hg_crud registration_crud;
extern const struct hg_crud my_registrations_crud;
extern const struct hg_crud session_registrations_crud;
void registration_handle_create(struct hg_request *req);
void registration_handle_cancel(struct hg_request *req);
void registration_handle_decide(struct hg_request *req); /* a school leader approves or declines */
/* attendance_handlers.c */
void attendance_handle_record(struct hg_request *req);
void attendance_handle_checkin(struct hg_request *req);
/* credit_handlers.c: requests; a decision on one */
extern const struct hg_crud credit_crud;
extern const struct hg_crud credit_decision_crud;
/* budget_handlers.c: funding sources; the costs of a source ({id} is the source) and one cost */
extern const struct hg_crud funding_source_crud;
extern const struct hg_crud cost_crud;
extern const struct hg_crud cost_item_crud;
void budget_handle_charge(struct hg_request *req);
void budget_handle_settings_get(struct hg_request *req);
void budget_handle_settings_put(struct hg_request *req);
void budget_handle_release(struct hg_request *req);
void budget_handle_releases(struct hg_request *req);
void budget_handle_report(struct hg_request *req);
void budget_handle_report_csv(struct hg_request *req);
void budget_handle_report_schools(struct hg_request *req);
/* transcript_handlers.c */
void transcript_handle_get(struct hg_request *req);

#endif
