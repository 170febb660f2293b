/* surveys_handlers.h - the surveys service's CRUD descriptions and own handlers (the route table names them). */
#ifndef SURVEYS_HANDLERS_H
#define SURVEYS_HANDLERS_H

#include "common/crud.h"

extern const struct hg_crud survey_crud;
extern const struct hg_crud response_crud;
/* Built-in templates (read), and their copies into draft surveys (create). */
extern const struct hg_crud template_crud;
extern const struct hg_crud template_copy_crud;

/* POST /v1/surveys/{id}/responses: validate every answer, one response per educator. */
void response_handle_submit(struct hg_request *req);

/* The breakdowns of ?by= (NULL-terminated). */
extern const char *const result_breakdowns[];
/* GET /v1/surveys/{id}/results[?by=]: a closed survey's suppressed results. */
void result_handle_get(struct hg_request *req);

/* GET /v1/surveys/{id}/results.csv[?by=]: the same results as CSV (result_csv.h). */
void result_handle_csv(struct hg_request *req);
/* GET /v1/surveys/needs[?school_id=&period=]: needs by topic across closed needs assessments. */
void needs_handle_get(struct hg_request *req);
/* GET and PUT /v1/surveys/settings: the district's minimums of suppression. */
void settings_handle_get(struct hg_request *req);
void settings_handle_put(struct hg_request *req);

#endif
