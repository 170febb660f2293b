/* competency.h - a district's competency framework (pure: no HTTP, no SQL).
 *
 * A competency: name (1-200 characters), description (at most 5000, default ""), group (1-100 or null), and an
 * optional alignment to a standard {"framework": 1-200, "code": 1-64, "url": http(s) or absent} (a Learning
 * Forward standard, a state's teaching standard). District admins write them; every educator of the district
 * reads them. Each change adds one to its version (the ETag), so a definition's award names the version it
 * certified (credential.c).
 */
#ifndef CREDENTIALS_COMPETENCY_H
#define CREDENTIALS_COMPETENCY_H

#include <jansson.h>

#include "common/validate.h"

/* A new competency: a new normalised object, or NULL with every problem in errs. */
json_t *competency_validate_create(json_t *body, const struct hg_input *in, json_t *errs);

/* A change: any non-empty subset of the fields (null clears group and alignment); a new object or NULL. */
json_t *competency_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/* The alignment member of obj (absent or null fine when nullable) into *out (new reference, NULL when absent or
 * null); every problem named "alignment.<member>". Returns whether it was acceptable. */
int competency_check_alignment(json_t *obj, const char *field, json_t *errs, json_t **out);

#endif
