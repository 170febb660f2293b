/* resource.h - library resources: validation and who may change one (pure; no HTTP, no SQL). */
#ifndef LIBRARY_RESOURCE_H
#define LIBRARY_RESOURCE_H

#include <jansson.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

/*
 * Validate a create body. On success returns a new normalised object (titles
 * trimmed, defaults filled) for the store; otherwise NULL with every problem
 * appended to errs. (An hg_validate_fn; only the body is read.)
 */
json_t *resource_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/* Validate a PATCH body the same way; returns the normalised changes or NULL. */
json_t *resource_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/* May who change or delete a resource created by created_by? */
int resource_may_change(const struct hg_principal *who, const char *created_by);

/* The change rule under the row lock (state: {"created_by"}): its author or a district admin. */
const struct hg_reason *resource_rule_change(const struct hg_principal *who, json_t *state, json_t *changes);

#endif
