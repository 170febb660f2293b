/* surveys_store.h - the surveys service's entities and store functions (SQL lives in the *_store.c files). */
#ifndef SURVEYS_STORE_H
#define SURVEYS_STORE_H

#include "common/record.h"

extern const struct hg_entity survey_entity;

#endif
