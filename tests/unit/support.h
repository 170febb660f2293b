/*
 * What the unit test programs share (header only; include it after <cmocka.h>).
 */
#ifndef HG_TESTS_UNIT_SUPPORT_H
#define HG_TESTS_UNIT_SUPPORT_H

#include <jansson.h>
#include <string.h>

/* Does errs (a validator's list of {"field", "message"}) name field? */
static inline int names(json_t *errs, const char *field)
{
	size_t i;
	json_t *e;
	json_array_foreach(errs, i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
			return 1;
	return 0;
}

/* The JSON text a test wrote, parsed (a test with bad JSON fails). */
static inline json_t *parse_json(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, 0, &jerr);
	if (v == NULL)
		fail_msg("bad test JSON: %s", jerr.text);
	return v;
}

#endif
