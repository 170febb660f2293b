/* result.h - results of a closed survey: figures per question and topic, and suppression (pure).
 *
 * The store hands over counts (respondents per group; answers per group, question and value); this file makes
 * the figures (count, distribution, mean, percent favourable, confidence change, per-topic score) and decides
 * what is withheld, by common/suppress.h (one row at a time):
 *
 *   - small cells: a group's figures for a question (a "cell", sized by the group's respondents to it) are
 *     withheld when fewer than min_cell respondents answered (min_text for free text);
 *   - complementary suppression: in each row (one question, or the group sizes, or one topic) the overall
 *     figure is the sum of the groups', so when the withheld cells of a row are one cell alone, or add up to
 *     fewer than min_cell, the next-smallest shown cell is withheld too, until neither holds;
 *   - a small overall group: when fewer than min_cell responded in all, everything is withheld.
 *
 * docs/surveys.md ("Suppression") has the rule with a worked example.
 */
#ifndef SURVEYS_RESULT_H
#define SURVEYS_RESULT_H

#include <jansson.h>
#include <stddef.h>

/*
 * The results document. questions: the survey's (normalised) questions; groups: [{"key", "respondents"}]
 * (key null for respondents without that attribute); answers: [{"group", "question", "value", "count"}] with
 * value as text (a scale point, an option, a number, "before:now" of a retrospective item); respondents:
 * [{"group", "question", "count"}]; texts: {"<group key or _all>": {"<question>": [texts]}} (only where the
 * group meets min_text, in random order); by: the breakdown or NULL. New reference.
 */
json_t *result_build(json_t *questions, json_t *groups, json_t *respondents, json_t *answers, json_t *texts,
		     const char *by, long min_cell, long min_text);

/*
 * The data of a results.finalized event from a results document (borrowed): the same suppressed figures
 * without the free-text answers (analytics reads aggregates; texts stay behind the API), with closed_at
 * (borrowed). New reference.
 */
json_t *result_event_data(json_t *doc, json_t *closed_at);

#endif
