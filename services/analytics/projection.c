/* projection.c - the events analytics reads, checked and turned into statement parameters (pure). */
#include "services/analytics/projection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/roster_event.h"
#include "common/validate.h"
#include "services/analytics/survey_model.h"

/* How one field of data becomes a parameter. */
enum field_kind {
	F_UUID,     /* required UUID */
	F_TEXT,     /* required non-empty string */
	F_TEXT_OPT, /* string or null/absent */
	F_TIME,     /* required string (an RFC 3339 time or a date; the database parses it) */
	F_TIME_OPT, /* the same, or null/absent */
	F_NUMBER,   /* required number >= 0 */
	F_VERSION,  /* required integer >= 1 */
	F_INT_OPT,  /* integer >= 0, or null/absent */
	F_BOOL_OPT, /* true, false, or null/absent */
	F_UUID_OPT, /* UUID, or null/absent */
	F_UUIDS,    /* array of distinct UUIDs (at most PROJECTION_MAX_ATTENDEES), as JSON text in owned */
};

struct field {
	const char *name;
	enum field_kind kind;
};

#define MAX_FIELDS 9

/* The data of each kind (after the district, in statement order); P_EDUCATOR goes through common/roster_event. */
static const struct field fields[P_KIND_COUNT][MAX_FIELDS + 1] = {
	[P_SCHOOL] = {{"id", F_UUID},
		      {"name", F_TEXT},
		      {"status", F_TEXT},
		      {"locale", F_TEXT_OPT},
		      {"title_i", F_BOOL_OPT},
		      {"poverty_level", F_TEXT_OPT},
		      {"version", F_VERSION},
		      {NULL, 0}},
	[P_ACTIVITY] = {{"id", F_UUID},
			{"title", F_TEXT},
			{"type", F_TEXT},
			{"credit_type", F_TEXT},
			{"credits", F_NUMBER},
			{"delivery_method", F_TEXT_OPT},
			{"instructional_delivery_mode", F_TEXT_OPT},
			{"status", F_TEXT},
			{"version", F_VERSION},
			{NULL, 0}},
	[P_SESSION] = {{"id", F_UUID},
		       {"activity_id", F_UUID},
		       {"starts_at", F_TIME},
		       {"ends_at", F_TIME},
		       {"status", F_TEXT},
		       {"version", F_VERSION},
		       {NULL, 0}},
	[P_ATTENDANCE] = {{"session_id", F_UUID},
			  {"activity_id", F_UUID},
			  {"educator_id", F_UUID},
			  {"recorded_at", F_TIME},
			  {NULL, 0}},
	[P_COMPLETION] = {{"id", F_UUID},
			  {"activity_id", F_UUID},
			  {"educator_id", F_UUID},
			  {"credit_type", F_TEXT},
			  {"credits", F_NUMBER},
			  {"completed_at", F_TIME},
			  {NULL, 0}},
	[P_CREDIT] = {{"id", F_UUID}, {"educator_id", F_UUID}, {"hours", F_NUMBER}, {"end_date", F_TIME}, {NULL, 0}},
	[P_CYCLE] = {{"id", F_UUID},
		     {"coach_id", F_UUID},
		     {"teacher_id", F_UUID},
		     {"status", F_TEXT},
		     {"goal_met", F_BOOL_OPT},
		     {"created_at", F_TIME},
		     {"closed_at", F_TIME_OPT},
		     {"version", F_VERSION},
		     {NULL, 0}},
	[P_FEEDBACK] = {{"id", F_UUID},
			{"cycle_id", F_UUID},
			{"coach_id", F_UUID},
			{"teacher_id", F_UUID},
			{"minutes_since_observation", F_NUMBER},
			{"created_at", F_TIME},
			{NULL, 0}},
	[P_SURVEY] = {{"id", F_UUID},
		      {"title", F_TEXT},
		      {"purpose", F_TEXT},
		      {"mode", F_TEXT},
		      {"status", F_TEXT},
		      {"audience_size", F_INT_OPT},
		      {"opened_at", F_TIME_OPT},
		      {"closed_at", F_TIME_OPT},
		      {"version", F_VERSION},
		      {NULL, 0}},
	[P_PLC_MEETING] = {{"id", F_UUID},
			   {"plc_id", F_UUID},
			   {"held_on", F_TIME},
			   {"minutes", F_NUMBER},
			   {"attendance", F_UUIDS},
			   {"activity_id", F_UUID_OPT},
			   {"version", F_VERSION},
			   {NULL, 0}},
	[P_TIME_LOG] = {{"id", F_UUID},
			{"coach_id", F_UUID},
			{"teacher_id", F_UUID},
			{"minutes", F_NUMBER},
			{"logged_on", F_TIME},
			{NULL, 0}},
};

struct type_row {
	const char *type;
	enum projection_kind kind;
};

/* Every type each topic carries (docs/roster.md, docs/resources.md); a type not listed is a poison event. */
static const struct type_row roster_types[] = {
	{"school.upserted", P_SCHOOL},
	{"school.deactivated", P_SCHOOL},
	{"educator.upserted", P_EDUCATOR},
	{"educator.deactivated", P_EDUCATOR},
	{"academic_session.upserted", P_IGNORE},
	{"academic_session.deactivated", P_IGNORE},
	{NULL, 0},
};
static const struct type_row resources_types[] = {
	{"activity.created", P_ACTIVITY},
	{"activity.updated", P_ACTIVITY},
	{"activity.published", P_ACTIVITY},
	{"activity.archived", P_ACTIVITY},
	{"activity.proposed", P_ACTIVITY},
	{"activity.approved", P_ACTIVITY},
	{"activity.declined", P_ACTIVITY},
	{"session.scheduled", P_SESSION},
	{"session.completed", P_SESSION},
	{"session.cancelled", P_SESSION},
	{"session.changed", P_SESSION},
	{"attendance.recorded", P_ATTENDANCE},
	{"activity.completed", P_COMPLETION},
	{"credit_request.decided", P_CREDIT},
	{"credit_request.submitted", P_IGNORE},
	{"registration.created", P_IGNORE},
	{"registration.cancelled", P_IGNORE},
	{"registration.promoted", P_IGNORE},
	{"registration.approved", P_IGNORE},
	{"registration.declined", P_IGNORE},
	{"resource.created", P_IGNORE},
	{"resource.updated", P_IGNORE},
	{"resource.deleted", P_IGNORE},
	{"review.created", P_IGNORE},
	{"review.updated", P_IGNORE},
	{"content.checked", P_IGNORE},
	/* micro-credentials (docs/credentials.md): the framework, the definitions and submissions are not modelled */
	{"competency.created", P_IGNORE},
	{"competency.updated", P_IGNORE},
	{"microcredential.defined", P_IGNORE},
	{"microcredential.updated", P_IGNORE},
	{"submission.submitted", P_IGNORE},
	{"submission.resubmitted", P_IGNORE},
	{"submission.returned", P_IGNORE},
	{"submission.awarded", P_IGNORE},
	{"submission.withdrawn", P_IGNORE},
	{"credential.issued", P_IGNORE},
	{"credential.revoked", P_IGNORE},
	{NULL, 0},
};
/* docs/surveys.md "Events": responses (counted in the final results) and settings are not modelled. */
static const struct type_row surveys_types[] = {
	{"survey.created", P_SURVEY},     {"survey.updated", P_SURVEY},
	{"survey.opened", P_SURVEY},      {"survey.closed", P_SURVEY},
	{"results.finalized", P_RESULTS}, {"response.submitted", P_IGNORE},
	{"settings.updated", P_IGNORE},   {NULL, 0},
};
/* docs/coaching.md "Events": relationships, PLCs themselves, rubrics, observations and reflections are not
 * modelled; a PLC meeting is (its attendees' minutes count as PD hours when it is linked to an activity). */
static const struct type_row coaching_types[] = {
	{"cycle.started", P_CYCLE},
	{"cycle.state_changed", P_CYCLE},
	{"cycle.updated", P_CYCLE},
	{"feedback.given", P_FEEDBACK},
	{"time.logged", P_TIME_LOG},
	{"relationship.started", P_IGNORE},
	{"relationship.updated", P_IGNORE},
	{"relationship.ended", P_IGNORE},
	{"plc.created", P_IGNORE},
	{"plc.updated", P_IGNORE},
	{"plc.meeting_held", P_PLC_MEETING},
	{"rubric.created", P_IGNORE},
	{"rubric.versioned", P_IGNORE},
	{"observation.recorded", P_IGNORE},
	{"reflection.recorded", P_IGNORE},
	{"plc.meeting_updated", P_PLC_MEETING},
	{NULL, 0},
};

static int invalid(char *why, size_t whylen, const char *field, const char *must)
{
	snprintf(why, whylen, "data.%s must be %s", field, must);
	return 0;
}

/* An array of distinct UUIDs into out->owned as a JSON array of lower-case UUIDs. */
static int read_uuids(json_t *v, const struct field *f, struct projection *out, size_t i, char *why, size_t whylen)
{
	char must[64];
	size_t k;
	json_t *item;
	snprintf(must, sizeof(must), "an array of at most %d distinct UUIDs", PROJECTION_MAX_ATTENDEES);
	if (!json_is_array(v) || json_array_size(v) > PROJECTION_MAX_ATTENDEES)
		return invalid(why, whylen, f->name, must);
	json_t *ids = json_array();
	json_array_foreach(v, k, item) {
		char id[37];
		if (!json_is_string(item) || !hg_is_uuid(json_string_value(item))) {
			json_decref(ids);
			return invalid(why, whylen, f->name, must);
		}
		hg_uuid_lower(json_string_value(item), id);
		for (size_t j = 0; j < k; j++)
			if (strcmp(json_string_value(json_array_get(ids, j)), id) == 0) {
				json_decref(ids);
				return invalid(why, whylen, f->name, must);
			}
		json_array_append_new(ids, json_string(id));
	}
	out->owned = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	out->params[i] = out->owned;
	return 1;
}

/* One field of data into out->params[i] (via out->buf[i] where it needs rendering). */
static int read_field(json_t *data, const struct field *f, struct projection *out, size_t i, char *why, size_t whylen)
{
	json_t *v = json_object_get(data, f->name);
	switch (f->kind) {
	case F_UUID:
		if (!json_is_string(v) || !hg_is_uuid(json_string_value(v)))
			return invalid(why, whylen, f->name, "a UUID");
		hg_uuid_lower(json_string_value(v), out->buf[i]);
		out->params[i] = out->buf[i];
		return 1;
	case F_TEXT:
	case F_TIME:
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return invalid(why, whylen, f->name, "a non-empty string");
		out->params[i] = json_string_value(v);
		return 1;
	case F_TIME_OPT:
	case F_TEXT_OPT:
		if (v != NULL && !json_is_null(v) &&
		    (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)))
			return invalid(why, whylen, f->name, "a string or null");
		out->params[i] = json_string_value(v);
		return 1;
	case F_NUMBER:
		if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e9)
			return invalid(why, whylen, f->name, "a number from 0 to 1e9");
		snprintf(out->buf[i], sizeof(out->buf[i]), "%.2f", json_number_value(v));
		out->params[i] = out->buf[i];
		return 1;
	case F_VERSION:
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return invalid(why, whylen, f->name, "an integer of at least 1");
		snprintf(out->buf[i], sizeof(out->buf[i]), "%lld", (long long)json_integer_value(v));
		out->params[i] = out->buf[i];
		return 1;
	case F_INT_OPT:
		if (v != NULL && !json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 0))
			return invalid(why, whylen, f->name, "an integer of at least 0 or null");
		if (!json_is_integer(v)) {
			out->params[i] = NULL;
			return 1;
		}
		snprintf(out->buf[i], sizeof(out->buf[i]), "%lld", (long long)json_integer_value(v));
		out->params[i] = out->buf[i];
		return 1;
	case F_UUID_OPT:
		if (v == NULL || json_is_null(v)) {
			out->params[i] = NULL;
			return 1;
		}
		if (!json_is_string(v) || !hg_is_uuid(json_string_value(v)))
			return invalid(why, whylen, f->name, "a UUID or null");
		hg_uuid_lower(json_string_value(v), out->buf[i]);
		out->params[i] = out->buf[i];
		return 1;
	case F_UUIDS:
		return read_uuids(v, f, out, i, why, whylen);
	case F_BOOL_OPT:
		if (v != NULL && !json_is_null(v) && !json_is_boolean(v))
			return invalid(why, whylen, f->name, "true, false or null");
		out->params[i] = json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") : NULL;
		return 1;
	}
	return 0;
}

/* An educator event through the roster's own parser: district, id, status, version, roles, schools, start. */
static enum hg_status read_educator(json_t *event, struct projection *out, char *why, size_t whylen)
{
	struct hg_roster_educator ed;
	if (hg_roster_event_parse(event, &ed) != HG_OK) {
		snprintf(why, whylen, "an educator event that does not describe an educator of its district");
		return HG_INVALID;
	}
	memcpy(out->buf[1], ed.educator_id, sizeof(ed.educator_id));
	snprintf(out->buf[3], sizeof(out->buf[3]), "%lld", ed.version);
	out->owned = ed.roles != NULL ? json_dumps(ed.roles, JSON_COMPACT) : NULL;
	out->owned2 = ed.school_ids != NULL ? json_dumps(ed.school_ids, JSON_COMPACT) : NULL;
	out->params[1] = out->buf[1];
	out->params[2] = ed.status;
	out->params[3] = out->buf[3];
	out->params[4] = out->owned;
	out->params[5] = out->owned2;
	out->params[6] = ed.started_teaching_on;
	out->nparams = 7;
	return HG_OK;
}

enum hg_status projection_read(const char *topic, json_t *event, struct projection *out, char *why, size_t whylen)
{
	const struct type_row *types = NULL;
	memset(out, 0, sizeof(*out));
	why[0] = '\0';

	const char *spec = json_string_value(json_object_get(event, "specversion"));
	const char *type = json_string_value(json_object_get(event, "type"));
	const char *district = json_string_value(json_object_get(event, "districtid"));
	json_t *data = json_object_get(event, "data");
	if (spec == NULL || strcmp(spec, "1.0") != 0) {
		snprintf(why, whylen, "unknown CloudEvents specversion (1.0 expected)");
		return HG_INVALID;
	}
	if (type == NULL || district == NULL || !hg_is_uuid(district) || !json_is_object(data)) {
		snprintf(why, whylen, "the envelope needs a type, a districtid (UUID) and data (an object)");
		return HG_INVALID;
	}
	if (strcmp(topic, HG_ROSTER_TOPIC) == 0)
		types = roster_types;
	else if (strcmp(topic, ANALYTICS_RESOURCES_TOPIC) == 0)
		types = resources_types;
	else if (strcmp(topic, ANALYTICS_COACHING_TOPIC) == 0)
		types = coaching_types;
	else if (strcmp(topic, ANALYTICS_SURVEYS_TOPIC) == 0)
		types = surveys_types;
	for (; types != NULL && types->type != NULL; types++)
		if (strcmp(types->type, type) == 0)
			break;
	if (types == NULL || types->type == NULL) {
		snprintf(why, whylen, "unknown event type %.100s on %.100s", type, topic);
		return HG_INVALID;
	}
	out->kind = types->kind;
	hg_uuid_lower(district, out->district_id);
	out->params[0] = out->district_id;
	if (out->kind == P_IGNORE)
		return HG_OK;
	if (out->kind == P_RESULTS) /* the results document: its district is the envelope's alone */
		return survey_model_read_results(data, out, why, whylen);
	json_t *d = json_object_get(data, "district_id");
	if (!json_is_string(d) || !hg_is_uuid(json_string_value(d)) ||
	    strcasecmp(json_string_value(d), district) != 0) {
		snprintf(why, whylen, "data.district_id differs from the envelope's districtid");
		return HG_INVALID;
	}
	if (out->kind == P_EDUCATOR)
		return read_educator(event, out, why, whylen);
	if (out->kind == P_CREDIT) {
		json_t *status = json_object_get(data, "status");
		if (!json_is_string(status)) {
			snprintf(why, whylen, "data.status must be a string");
			return HG_INVALID;
		}
		if (strcmp(json_string_value(status), "approved") != 0) {
			out->kind = P_IGNORE; /* denied: no hours */
			return HG_OK;
		}
	}
	size_t i = 0;
	for (const struct field *f = fields[out->kind]; f->name != NULL; f++, i++)
		if (!read_field(data, f, out, i + 1, why, whylen))
			return HG_INVALID;
	out->nparams = i + 1;
	if (out->kind == P_SCHOOL && strcmp(type, "school.deactivated") == 0)
		out->params[3] = "inactive"; /* whatever its data says */
	return HG_OK;
}

void projection_cleanup(struct projection *out)
{
	free(out->owned);
	free(out->owned2);
	out->owned = out->owned2 = NULL;
}
