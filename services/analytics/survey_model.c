/* survey_model.c - a survey's final results into its read-model row (pure). */
#include "services/analytics/survey_model.h"

#include <stdio.h>
#include <string.h>

#include "common/validate.h"

static enum hg_status bad(char *why, size_t whylen, const char *what)
{
	snprintf(why, whylen, "data.%s", what);
	return HG_INVALID;
}

/* A count (an integer >= 0) into buf; null allowed when nullable (param NULL). */
static int count(json_t *v, int nullable, char *buf, size_t len, const char **param)
{
	if (nullable && (v == NULL || json_is_null(v))) {
		*param = NULL;
		return 1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return 0;
	snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	*param = buf;
	return 1;
}

enum hg_status survey_model_read_results(json_t *data, struct projection *out, char *why, size_t whylen)
{
	json_t *id = json_object_get(data, "survey_id");
	json_t *closed = json_object_get(data, "closed_at");
	json_t *rate = json_object_get(data, "response_rate");
	json_t *overall = json_object_get(data, "overall");
	if (!json_is_string(id) || !hg_is_uuid(json_string_value(id)))
		return bad(why, whylen, "survey_id must be a UUID");
	if (!json_is_string(closed) || json_string_length(closed) == 0 ||
	    strlen(json_string_value(closed)) != json_string_length(closed))
		return bad(why, whylen, "closed_at must be a non-empty string");
	hg_uuid_lower(json_string_value(id), out->buf[1]);
	out->params[1] = out->buf[1];
	out->params[2] = json_string_value(closed);
	if (!json_is_object(rate) ||
	    !count(json_object_get(rate, "invited"), 0, out->buf[3], sizeof(out->buf[3]), &out->params[3]) ||
	    !count(json_object_get(rate, "responded"), 0, out->buf[4], sizeof(out->buf[4]), &out->params[4]))
		return bad(why, whylen, "response_rate must hold the invited and responded counts");
	if (!count(json_object_get(data, "respondents"), 1, out->buf[5], sizeof(out->buf[5]), &out->params[5]))
		return bad(why, whylen, "respondents must be a count or null");
	json_t *questions = json_object_get(overall, "questions"), *topics = json_object_get(overall, "topics");
	if (!json_is_object(overall) || !json_is_object(questions) || !json_is_object(topics))
		return bad(why, whylen, "overall must hold questions and topics");

	/* Satisfaction over the shown scale items, confidence change over the shown retrospective ones. */
	double fav = 0, change = 0;
	long fav_n = 0, change_n = 0;
	const char *k;
	json_t *cell;
	json_object_foreach(questions, k, cell) {
		json_t *n = json_object_get(cell, "count");
		if (!json_is_integer(n) || json_integer_value(n) <= 0)
			continue; /* withheld, or nobody answered */
		long c = (long)json_integer_value(n);
		json_t *ch = json_object_get(json_object_get(cell, "change"), "mean");
		json_t *pf = json_object_get(cell, "percent_favourable");
		if (json_object_get(cell, "change") != NULL) {
			if (json_is_number(ch)) {
				change += json_number_value(ch) * (double)c;
				change_n += c;
			}
		} else if (json_is_number(pf) && json_object_get(cell, "distribution") != NULL) {
			fav += json_number_value(pf) * (double)c;
			fav_n += c;
		}
	}
	if (fav_n > 0) {
		snprintf(out->buf[6], sizeof(out->buf[6]), "%.1f", fav / (double)fav_n);
		out->params[6] = out->buf[6];
	}
	if (change_n > 0) {
		snprintf(out->buf[7], sizeof(out->buf[7]), "%.2f", change / (double)change_n);
		out->params[7] = out->buf[7];
	}
	json_t *scores = json_object();
	json_object_foreach(topics, k, cell) {
		json_t *score = json_object_get(cell, "score");
		if (json_is_number(score))
			json_object_set(scores, k, score);
	}
	out->owned = json_dumps(scores, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(scores);
	out->params[8] = out->owned;
	out->nparams = 9;
	return HG_OK;
}
