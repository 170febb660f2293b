/* settings.c - a district's minimums of suppression (pure). */
#include "services/surveys/settings.h"

static const char *const fields[] = {"min_cell", "min_text", NULL};

json_t *settings_validate(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	long cell = 0, text = 0;
	size_t before = json_array_size(errs);
	hg_check_known_fields(body, fields, errs);
	hg_check_int(body, "min_cell", 1, SETTINGS_MIN_FLOOR, SETTINGS_MIN_CEILING, errs, &cell);
	hg_check_int(body, "min_text", 1, SETTINGS_MIN_FLOOR, SETTINGS_MIN_CEILING, errs, &text);
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_object();
	json_object_set_new(out, "min_cell", json_integer(cell));
	json_object_set_new(out, "min_text", json_integer(text));
	return out;
}
