/* analytics_handlers.h - the analytics service's handlers (HTTP only). */
#ifndef ANALYTICS_HANDLERS_H
#define ANALYTICS_HANDLERS_H

#include "common/request.h"

/* GET /v1/analytics/participation?period=&by= */
void participation_handle_get(struct hg_request *req);

/* GET /v1/analytics/equity?period=&measure= */
void equity_handle_get(struct hg_request *req);

/* GET /v1/analytics/coaching?period= */
void coaching_model_handle_get(struct hg_request *req);

/* GET /v1/analytics/surveys?period= */
void survey_model_handle_get(struct hg_request *req);

/* GET /v1/analytics/activities/{id}/impact */
void impact_handle_get(struct hg_request *req);

/* POST /v1/analytics/rebuild: 202 with the rebuild started (rebuild.c), 409 while one runs */
void rebuild_handle_post(struct hg_request *req);

/* GET /v1/analytics/rebuilds/{id}: a rebuild the caller's district started */
void rebuild_handle_get(struct hg_request *req);

#endif
