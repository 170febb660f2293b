/* settings.h - a district's minimums of suppression (pure; no HTTP, no SQL).
 *
 * min_cell: the smallest group whose figures results and needs show (default RESPONSE_MIN_CELL_DEFAULT);
 * min_text: the same for free-text answers (default RESPONSE_MIN_TEXT_DEFAULT). Neither is ever below
 * SETTINGS_MIN_FLOOR: a district may raise its minimums, never lower them past the floor.
 */
#ifndef SURVEYS_SETTINGS_H
#define SURVEYS_SETTINGS_H

#include <jansson.h>

#include "common/validate.h"

#define SETTINGS_MIN_FLOOR 3
#define SETTINGS_MIN_CEILING 1000

/* Validate a PUT body {"min_cell", "min_text"} (both required, integers 3-1000). A new normalised object, or
 * NULL with every problem in errs. */
json_t *settings_validate(json_t *body, const struct hg_input *in, json_t *errs);

#endif
