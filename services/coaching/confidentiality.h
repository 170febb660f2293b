/* confidentiality.h - who is a party to a coaching record and who oversees the district's coaching (pure).
 *
 * Coaching is non-evaluative: the content of a relationship's work (a cycle's focus, goal and action steps;
 * observations, feedback, reflections, evidence) is for its coach and its teacher only. School leaders and
 * district admins oversee: they see that relationships and cycles exist, their states and figures, never
 * content. Anyone else does not learn that a record exists (404).
 */
#ifndef COACHING_CONFIDENTIALITY_H
#define COACHING_CONFIDENTIALITY_H

#include <jansson.h>

#include "common/auth.h"

/* Is the string member name of obj equal to value? */
int coaching_member_is(json_t *obj, const char *name, const char *value);
/* Is who the coach or the teacher of row (its coach_id and teacher_id members)? */
int coaching_is_party(const struct hg_principal *who, json_t *row);
/* Does who see every relationship and cycle of the district (their existence and states, never content)? */
int coaching_oversees(const struct hg_principal *who);
/* Is who a district admin? */
int coaching_is_admin(const struct hg_principal *who);

#endif
