/* public_report_handlers.h - the public aggregate report over HTTP (docs/analytics.md, "Public report"). */
#ifndef ANALYTICS_PUBLIC_REPORT_HANDLERS_H
#define ANALYTICS_PUBLIC_REPORT_HANDLERS_H

#include "common/request.h"

/* GET /v1/reports/public/participation?period= */
void public_report_handle_get(struct hg_request *req);
/* GET /v1/reports/public/participation.csv?period= */
void public_report_handle_csv(struct hg_request *req);

/* GET /v1/reports/public/offerings?period= (the efficacy summary per offering) */
void offering_summary_handle_get(struct hg_request *req);
/* GET /v1/reports/public/offerings.csv?period= */
void offering_summary_handle_csv(struct hg_request *req);

#endif
