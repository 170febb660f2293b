/* routes.h - the roster service's route table. */
#ifndef ROSTER_ROUTES_H
#define ROSTER_ROUTES_H

#include <stddef.h>

#include "common/route.h"

extern const struct hg_route roster_routes[];
extern const size_t roster_routes_count;

#endif
