/* response.c - responding to a survey: who may, when, and what an anonymous response may say (pure). */
#include "services/surveys/response.h"

#include <string.h>

#include "common/record.h"
#include "common/roles.h"
#include "services/surveys/reasons.h"

static int is_admin(const struct hg_principal *who) { return (who->roles & HG_ROLE(DISTRICT_ADMIN)) != 0; }

const struct hg_reason *response_rule_submit(const struct hg_principal *who, const struct response_survey *s,
					     int64_t now_us)
{
	if (strcmp(s->status, "draft") == 0 && !is_admin(who))
		return &hg_reason_hidden;
	if (strcmp(s->status, "open") != 0)
		return SURVEYS_REFUSE(R_SURVEY_NOT_OPEN);
	if (s->opens_us != 0 && now_us < s->opens_us)
		return SURVEYS_REFUSE(R_WINDOW_NOT_STARTED);
	if (s->closes_us != 0 && now_us >= s->closes_us)
		return SURVEYS_REFUSE(R_WINDOW_ENDED);
	if (!s->in_audience)
		return SURVEYS_REFUSE(R_NOT_IN_AUDIENCE);
	return NULL;
}

json_t *response_answers_of(json_t *body, json_t *errs)
{
	static const char *const fields[] = {"answers", NULL};
	hg_check_known_fields(body, fields, errs);
	json_t *answers = json_object_get(body, "answers");
	if (!json_is_object(answers)) {
		hg_err_add(errs, "answers", "is required: an object of answers keyed by question id");
		return NULL;
	}
	return answers;
}

long response_bin(long n) { return n / RESPONSE_MIX; }

void response_bins_to_mix(long n, long *first, long *last)
{
	*last = response_bin(n);
	*first = *last;
	if ((n % RESPONSE_MIX) != RESPONSE_MIX - 1 && *last > 0)
		*first = *last - 1;
}

json_t *response_event_data(const char *mode, const char *survey_id, const char *educator_id, const char *responded_on,
			    const char *school_id, long school_respondents, long min_cell)
{
	json_t *d = json_object();
	json_object_set_new(d, "survey_id", json_string(survey_id));
	json_object_set_new(d, "mode", json_string(mode));
	json_object_set_new(d, "responded_on", json_string(responded_on));
	if (strcmp(mode, "confidential") == 0) {
		json_object_set_new(d, "educator_id", json_string(educator_id));
		if (school_id != NULL)
			json_object_set_new(d, "school_id", json_string(school_id));
	} else if (school_id != NULL && school_respondents >= min_cell) {
		json_object_set_new(d, "school_id", json_string(school_id));
	}
	return d;
}

const struct hg_reason *response_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	const char *mode = json_string_value(json_object_get(state, "mode"));
	const char *status = json_string_value(json_object_get(state, "status"));
	if (status != NULL && strcmp(status, "draft") == 0 && !is_admin(who))
		return &hg_reason_hidden;
	if (mode != NULL && strcmp(mode, "anonymous") == 0)
		return SURVEYS_REFUSE(R_RESPONSE_ANONYMOUS);
	if (json_is_null(json_object_get(record, "educator_id")))
		return &hg_reason_hidden;
	return NULL;
}
