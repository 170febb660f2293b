/* coaching_handlers.h - the coaching service's HTTP side: the CRUD descriptions its routes serve, and its own
 * handlers (no SQL here). */
#ifndef COACHING_HANDLERS_H
#define COACHING_HANDLERS_H

#include "common/crud.h"
#include "common/request.h"

/* relationship_handlers.c */
extern const struct hg_crud relationship_crud;
extern const struct hg_crud unmatched_teacher_crud;
/* cycle_handlers.c */
extern const struct hg_crud cycle_crud;
void cycle_handle_create(struct hg_request *req);
/* timelog_handlers.c */
extern const struct hg_crud time_log_crud;
extern const struct hg_crud caseload_crud;
extern const struct hg_crud coach_caseload_crud;
/* plc_handlers.c */
extern const struct hg_crud plc_crud;
extern const struct hg_crud plc_meeting_crud;
extern const struct hg_crud plc_meeting_item_crud;
void plc_meeting_handle_update(struct hg_request *req);
/* observation_handlers.c: rubrics, observations, feedback, reflections, the access log (coach1) */
extern const struct hg_crud rubric_crud;
extern const struct hg_crud observation_crud;
extern const struct hg_crud observation_item_crud;
extern const struct hg_crud feedback_crud;
extern const struct hg_crud feedback_item_crud;
extern const struct hg_crud reflection_crud;
extern const struct hg_crud access_log_crud;
void rubric_handle_version(struct hg_request *req);

#endif
