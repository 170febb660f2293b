/* school.h - schools: the attributes the API sets (pure; no HTTP, no SQL).
 *
 * OneRoster has no equity attributes, so district admins set them here:
 * NCES locale, Title I status, poverty level and enrollment. Everything else
 * about a school comes from imports.
 */
#ifndef ROSTER_SCHOOL_H
#define ROSTER_SCHOOL_H

#include <jansson.h>

#include "common/validate.h"

#define SCHOOL_ENROLLMENT_MAX 1000000

extern const char *const school_locales[];
extern const char *const school_poverty_levels[];

/*
 * Validate a PATCH body: any of locale, title_i, poverty_level, enrollment
 * (or its deprecated alias enrolment, not both), each nullable; at least one.
 * Returns the changes (new reference; the alias renamed to enrollment) or
 * NULL with every problem appended to errs.
 */
json_t *school_validate_patch(json_t *body, const struct hg_input *in, json_t *errs);

/* The statuses a list may filter on (active, inactive). */
extern const char *const roster_statuses[];

#endif
