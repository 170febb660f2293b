/* reasons.c - the analytics service's refusals (reasons.h). */
#include "services/analytics/reasons.h"

HG_REASON_DEFINE(analytics, ANALYTICS_REASONS);
