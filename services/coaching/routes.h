/* routes.h - the coaching service's route table. */
#ifndef COACHING_ROUTES_H
#define COACHING_ROUTES_H

#include <stddef.h>

#include "common/route.h"

extern const struct hg_route coaching_routes[];
extern const size_t coaching_routes_count;

#endif
