/* feeds_handlers.h - the state reporting feeds over HTTP (docs/analytics.md, "State feeds"). */
#ifndef ANALYTICS_FEEDS_HANDLERS_H
#define ANALYTICS_FEEDS_HANDLERS_H

#include "common/request.h"

/* GET /v1/reports/state/pd-activities.csv?from=&to= */
void feeds_handle_csv(struct hg_request *req);
/* GET /v1/reports/state/ed-fi?from=&to= */
void feeds_handle_edfi(struct hg_request *req);

#endif
