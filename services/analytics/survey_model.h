/* survey_model.h - a survey's final results (results.finalized) as the parameters of its read-model row
 * (pure: no SQL, no HTTP).
 *
 * The surveys service publishes, when a survey closes, its overall results already suppressed with the
 * district's minimums and without free text (docs/surveys.md). Analytics keeps of them: the response rate's
 * counts (invited, responded), the respondents (null when withheld), satisfaction (the share of favourable
 * answers, 4 or 5, over the shown 5-point scale items, weighted by their counts, one decimal), confidence change
 * (the mean change of the shown retrospective items, weighted by their counts, two decimals) and the score of
 * each shown topic. Withheld cells count for nothing.
 */
#ifndef ANALYTICS_SURVEY_MODEL_H
#define ANALYTICS_SURVEY_MODEL_H

#include <jansson.h>
#include <stddef.h>

#include "common/status.h"
#include "services/analytics/projection.h"

/*
 * data (a results.finalized event's, borrowed) into out's params[1..8]: survey id, closed_at, invited,
 * responded, respondents, satisfaction, confidence change (NULL when none), topics (JSON text {topic: score},
 * owned). HG_INVALID with a reason in why when a field is missing or of the wrong kind.
 */
enum hg_status survey_model_read_results(json_t *data, struct projection *out, char *why, size_t whylen);

#endif
