/* library.h - library resources: the rules (pure; no HTTP, no SQL). */
#ifndef RESOURCES_LIBRARY_H
#define RESOURCES_LIBRARY_H

#include <jansson.h>

#include "auth.h"
#include "status.h"

#define LIBRARY_PAGE_DEFAULT 20
#define LIBRARY_PAGE_MAX 100

/*
 * Validate a create body. On success returns a new normalised object (titles
 * trimmed, defaults filled) for the store; otherwise NULL with every problem
 * appended to errs.
 */
json_t *library_validate_create(json_t *body, json_t *errs);

/* Validate a PATCH body the same way; returns the normalised changes or NULL. */
json_t *library_validate_patch(json_t *body, json_t *errs);

/* May who change or delete a resource created by created_by? */
int library_may_change(const struct hg_principal *who, const char *created_by);

#endif
