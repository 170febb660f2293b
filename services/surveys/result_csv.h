/* result_csv.h - a results document (result.h) as CSV for spreadsheets (pure).
 *
 * One line per figure, RFC 4180 (CRLF, quoted where needed), the header line:
 *
 *   scope,group,row,item,metric,category,value,withheld
 *
 * scope `overall` or `group` (group: the group's key, empty for respondents without the attribute); row
 * `respondents`, `response_rate`, `question` or `topic` (item: the question id or the topic); metric the
 * member of the JSON results (count, mean, percent_favourable, distribution, before, now, mean_before,
 * mean_now, change_mean, change_distribution, text, score, invited, responded, rate); category the value a
 * distribution counts. A withheld cell is one line with an empty value and the reason in `withheld` (never a
 * 0). A text cell that starts with =, +, -, @, a tab or a carriage return (and is not a plain number) is
 * prefixed with a single quote, so a spreadsheet never reads it as a formula.
 */
#ifndef SURVEYS_RESULT_CSV_H
#define SURVEYS_RESULT_CSV_H

#include <jansson.h>

/* The CSV of a results document (borrowed); a new string (free). */
char *result_csv(json_t *doc);

/* Append one CSV field (escaped against formulas, quoted when needed) to a new string: exposed for tests.
 * A new string (free). */
char *result_csv_field(const char *text);

#endif
