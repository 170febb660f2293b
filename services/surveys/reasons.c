/* reasons.c - the surveys service's refusals (reasons.h). */
#include "services/surveys/reasons.h"

HG_REASON_DEFINE(surveys, SURVEYS_REASONS);
