/* routes.h - the resources service's route table. */
#ifndef RESOURCES_ROUTES_H
#define RESOURCES_ROUTES_H

#include <stddef.h>

#include "common/route.h"

extern const struct hg_route resources_routes[];
extern const size_t resources_routes_count;

#endif
