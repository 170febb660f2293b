/* reasons.c - the resources service's refusals (reasons.h). */
#include "services/resources/reasons.h"

HG_REASON_DEFINE(resources, RESOURCES_REASONS);
