/* validate.h - field checks for request bodies that report every bad field.
 *
 * Each check reads one member of a JSON object, appends {"field","reason"}
 * to errs when it is wrong, and returns whether it was acceptable. Domain
 * code runs all of them, then answers 422 with the whole list when errs is
 * not empty.
 */
#ifndef HG_VALIDATE_H
#define HG_VALIDATE_H

#include <jansson.h>

/* Append one error; errs is a JSON array. */
void hg_err_add(json_t *errs, const char *field, const char *reason);

/* Report every member of obj not named in allowed (NULL-terminated). */
void hg_check_known_fields(json_t *obj, const char *const *allowed, json_t *errs);

/*
 * A string of min..max characters (code points, after trimming spaces).
 * Absent is fine unless required; null is fine when nullable. *out (if not
 * NULL) is borrowed from obj, NULL when absent or null.
 */
int hg_check_string(json_t *obj, const char *field, int required, int nullable, size_t min, size_t max,
		    json_t *errs, const char **out);

/* A string from choices (NULL-terminated). */
int hg_check_enum(json_t *obj, const char *field, int required, const char *const *choices, json_t *errs,
		  const char **out);

/* An http(s) URL of at most max characters, or null when nullable. */
int hg_check_url(json_t *obj, const char *field, int required, int nullable, size_t max, json_t *errs,
		 const char **out);

/*
 * An array of at most max_items distinct strings of 1..max_len characters,
 * each in choices when choices is not NULL. *out borrowed (NULL if absent).
 */
int hg_check_string_array(json_t *obj, const char *field, size_t max_items, size_t max_len,
			  const char *const *choices, json_t *errs, json_t **out);

/* Length of a UTF-8 string in code points. */
size_t hg_utf8_len(const char *s);

#endif
