/* recommend_handlers.h - an educator's recommendations over HTTP (docs/analytics.md, "Recommendations"). */
#ifndef ANALYTICS_RECOMMEND_HANDLERS_H
#define ANALYTICS_RECOMMEND_HANDLERS_H

#include "common/request.h"

/* GET /v1/analytics/recommendations/{educator_id}?limit= */
void recommend_handle_get(struct hg_request *req);

#endif
