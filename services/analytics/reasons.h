/* reasons.h - every refusal of the analytics service: its stable code, status and detail, defined once
 * (api-spec/analytics.yaml and docs/analytics.md list them). Codes never change once published. */
#ifndef ANALYTICS_REASONS_H
#define ANALYTICS_REASONS_H

#include "common/reason.h"

/* X(name, code, status, detail) */
#define ANALYTICS_REASONS(X)                                 \
	X(R_REBUILD_RUNNING, "rebuild_running", HG_CONFLICT, \
	  "a rebuild of the read models is running; ask again once it has ended")

HG_REASON_TABLE(analytics, ANALYTICS_REASONS);

#endif
