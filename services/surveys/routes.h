/* routes.h - the surveys service's route table. */
#ifndef SURVEYS_ROUTES_H
#define SURVEYS_ROUTES_H

#include <stddef.h>

#include "common/route.h"

extern const struct hg_route surveys_routes[];
extern const size_t surveys_routes_count;

#endif
