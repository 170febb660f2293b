/* definition.h - micro-credential definitions (pure: no HTTP, no SQL).
 *
 * A definition certifies one competency of the district (competency_id) and carries:
 *   name (1-200), description (1-5000; the OB 3.0 achievement's description),
 *   criteria: 1-10 of {name 1-200, description <= 2000 (default ""), levels: 2-6 descriptors of 1-500 characters,
 *     lowest first (a score is a level number 1..n), passing_level 1..n (the lowest score that meets it)},
 *   evidence_required: 1-4 distinct kinds of link, reflection, coaching_observation, student_work,
 *   credit_type (the catalog's CEDS types, default Hours) and credits (0-1000, two decimals),
 *   reviewer_ids: 1-20 distinct active educators of the district (checked by the store),
 *   status: active (new submissions accepted) or retired (none; what was submitted is still reviewed).
 * District admins write them; every educator of the district reads them.
 */
#ifndef CREDENTIALS_DEFINITION_H
#define CREDENTIALS_DEFINITION_H

#include <jansson.h>

#include "common/validate.h"

#define DEFINITION_CRITERIA_MAX 10
#define DEFINITION_LEVELS_MIN 2
#define DEFINITION_LEVELS_MAX 6
#define DEFINITION_REVIEWERS_MAX 20

extern const char *const definition_evidence_kinds[]; /* link, reflection, coaching_observation, student_work */
extern const char *const definition_statuses[];       /* active, retired */

/* A new definition: a new normalised object (status active), or NULL with every problem in errs. */
json_t *definition_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/* A change: any non-empty subset of the fields but competency_id; status may be set. A new object or NULL. */
json_t *definition_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

#endif
