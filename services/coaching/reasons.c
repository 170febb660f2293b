/* reasons.c - the coaching service's refusals (reasons.h). */
#include "services/coaching/reasons.h"

HG_REASON_DEFINE(coaching, COACHING_REASONS);
