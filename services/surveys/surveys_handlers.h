/* surveys_handlers.h - the surveys service's CRUD descriptions and own handlers (the route table names them). */
#ifndef SURVEYS_HANDLERS_H
#define SURVEYS_HANDLERS_H

#include "common/crud.h"

extern const struct hg_crud survey_crud;

#endif
