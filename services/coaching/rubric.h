/* rubric.h - district rubrics: domains → indicators → levels with descriptors, versioned (pure; no HTTP, no
 * SQL). A change makes a new version; versions never change (the database refuses it), so an observation always
 * reads the version it was rated on. */
#ifndef COACHING_RUBRIC_H
#define COACHING_RUBRIC_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

#define RUBRIC_NAME_MAX 200
#define RUBRIC_DOMAINS_MAX 20
#define RUBRIC_INDICATORS_MAX 100 /* in the whole rubric */
#define RUBRIC_LEVELS_MIN 2
#define RUBRIC_LEVELS_MAX 10
#define RUBRIC_LEVEL_MAX 10 /* a level is a number 0..10 */
#define RUBRIC_KEY_MAX 40
#define RUBRIC_DESCRIPTOR_MAX 1000

/*
 * A new rubric: name, domains [{name, indicators [{key, name, levels [{level, descriptor}]}]}]. Indicator keys
 * ([a-z0-9][a-z0-9_.-]*) are unique in the rubric, levels unique in their indicator. Nested problems are named
 * "domains[0].indicators[1].levels[2].descriptor". A new object or NULL with every bad field in errs.
 */
json_t *rubric_validate_create(json_t *body, const struct hg_input *in, json_t *errs);
/* A change: name and/or domains (replaced whole), as for a new one. */
json_t *rubric_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);
/* Change (state: name, domains): the same name and domains are unchanged (no new version). */
const struct hg_reason *rubric_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);
/* The event of a rubric: the record without its domains (new reference). */
json_t *rubric_event_data(json_t *record);

/* The levels of indicator key in a rubric version's domains (borrowed), or NULL when it has none. */
json_t *rubric_indicator_levels(json_t *domains, const char *key);

#endif
