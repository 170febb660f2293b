/* routes.h - the analytics service's route table. */
#ifndef ANALYTICS_ROUTES_H
#define ANALYTICS_ROUTES_H

#include <stddef.h>

#include "common/route.h"

extern const struct hg_route analytics_routes[];
extern const size_t analytics_routes_count;

#endif
