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
#include <stddef.h>
#include <stdint.h>

#include "common/date.h"

struct hg_principal;

/* What a validator may know besides the body: who asks, and when (UTC). Tests pass their own. */
struct hg_input {
	const struct hg_principal *who;
	int64_t now_us;
	struct hg_date today;
};

/*
 * A validator: the body's problems appended to errs (every bad field), and
 * a new normalised object for the store when there are none (else NULL).
 */
typedef json_t *(*hg_validate_fn)(json_t *body, const struct hg_input *in, json_t *errs);

/* Append one error; errs is a JSON array. */
void hg_err_add(json_t *errs, const char *field, const char *reason);

/* Every problem of tmp (a part's own errors) moved to errs with its field under prefix ("goal" + "." +
 * "measure"; the prefix alone for the part itself); tmp is left empty for the next part. */
void hg_err_add_nested(json_t *tmp, const char *prefix, json_t *errs);

/* Report every member of obj not named in allowed (NULL-terminated). */
void hg_check_known_fields(json_t *obj, const char *const *allowed, json_t *errs);

/*
 * A string of min..max characters (code points, after trimming spaces).
 * Absent is fine unless required; null is fine when nullable. *out (if not
 * NULL) is borrowed from obj, NULL when absent or null.
 */
int hg_check_string(json_t *obj, const char *field, int required, int nullable, size_t min, size_t max, json_t *errs,
		    const char **out);

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
int hg_check_string_array(json_t *obj, const char *field, size_t max_items, size_t max_len, const char *const *choices,
			  json_t *errs, json_t **out);

/* Length of a UTF-8 string in code points. */
size_t hg_utf8_len(const char *s);

/* A string with surrounding white space (space, tab, CR, LF) removed (new reference). */
json_t *hg_trimmed(const char *s);

/*
 * v is an integer in [min, max] as JSON Schema counts them: a number with no fractional part, so 5 and 5.0
 * alike (a client's serializer may write either); *out when it is. Booleans and strings are not numbers.
 */
int hg_json_integer(const json_t *v, long long min, long long max, long long *out);

/* An integer in [min, max] (hg_json_integer); *out when valid. */
int hg_check_int(json_t *obj, const char *field, int required, long min, long max, json_t *errs, long *out);

/*
 * A number of at most two decimals in [0, max] (or (0, max] when positive).
 * Absent is fine unless required; null is fine when nullable. When present
 * and valid, out receives it as text with two decimals ("12.50") for the
 * store; otherwise out is "".
 */
int hg_check_amount(json_t *obj, const char *field, int required, int nullable, int positive, double max, json_t *errs,
		    char *out, size_t outlen);

/* An API date "YYYY-MM-DD" (common/date.h); *out borrowed and *days when valid. */
int hg_check_date(json_t *obj, const char *field, int required, json_t *errs, const char **out, int64_t *days);

/* An API timestamp (RFC 3339 with an offset, common/date.h); *out borrowed and *us when valid. */
int hg_check_time(json_t *obj, const char *field, int required, json_t *errs, const char **out, int64_t *us);

/* A UUID string, lower-cased into out (37 bytes). */
int hg_check_uuid(json_t *obj, const char *field, int required, json_t *errs, char *out);

/*
 * An array of min_items to max_items distinct UUIDs. *out is a new array of
 * the ids in lower case (NULL when absent or invalid).
 */
int hg_check_uuid_array(json_t *obj, const char *field, size_t min_items, size_t max_items, json_t *errs, json_t **out);

/*
 * obj[field]: an array of 1 to max_items objects, each checked by check_one, which adds its errors to the array it
 * is given (fields named relative to the item) and answers the item as kept, or NULL. Errors are named
 * "<field>[i]" or "<field>[i].<name>"; `shape` is the reason when the value is not an array of 1 to max_items.
 * Answers a new array of the kept items, or NULL when absent (an error only if required) or any item is bad.
 */
json_t *hg_check_object_array(json_t *obj, const char *field, int required, size_t max_items, const char *shape,
			      json_t *(*check_one)(json_t *item, json_t *errs), json_t *errs);

/* Is s a canonical UUID (36 characters, hex and dashes)? */
int hg_is_uuid(const char *s);

/* Copy a UUID (checked by hg_is_uuid) lower-cased into out (37 bytes). */
void hg_uuid_lower(const char *s, char *out);

#endif
