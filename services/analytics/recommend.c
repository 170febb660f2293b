/* recommend.c - the facts recommendations keep from the events analytics accepted (pure). */
#include "services/analytics/recommend.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/validate.h"
#include "services/analytics/projection.h"

static int starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

/* data[name], a UUID, lower-cased into out->buf[i] as parameter i. */
static int uuid_at(json_t *data, const char *name, struct rec_projection *out, size_t i)
{
	json_t *v = json_object_get(data, name);
	if (!json_is_string(v) || !hg_is_uuid(json_string_value(v)))
		return 0;
	hg_uuid_lower(json_string_value(v), out->buf[i]);
	out->params[i] = out->buf[i];
	return 1;
}

/* data[name], an integer from min to max, into out->buf[i] as parameter i. */
static int int_at(json_t *data, const char *name, long long min, long long max, struct rec_projection *out, size_t i)
{
	json_t *v = json_object_get(data, name);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return 0;
	snprintf(out->buf[i], sizeof(out->buf[i]), "%lld", (long long)json_integer_value(v));
	out->params[i] = out->buf[i];
	return 1;
}

/* data[name], a non-empty string without NUL, as parameter i. */
static int text_at(json_t *data, const char *name, struct rec_projection *out, size_t i)
{
	json_t *v = json_object_get(data, name);
	if (!json_is_string(v) || json_string_length(v) == 0 || strlen(json_string_value(v)) != json_string_length(v))
		return 0;
	out->params[i] = json_string_value(v);
	return 1;
}

/* v, an array of strings (absent or null: none), as JSON text in out->owned[slot], parameter i. */
static int strings_at(json_t *v, struct rec_projection *out, int slot, size_t i)
{
	size_t k;
	json_t *item;
	if (v == NULL || json_is_null(v)) {
		out->owned[slot] = strdup("[]");
	} else {
		if (!json_is_array(v) || json_array_size(v) > 500)
			return 0;
		json_array_foreach(v, k, item) {
			if (!json_is_string(item) || strlen(json_string_value(item)) != json_string_length(item))
				return 0;
		}
		out->owned[slot] = json_dumps(v, JSON_COMPACT);
	}
	out->params[i] = out->owned[slot];
	return out->owned[slot] != NULL;
}

/* A UUID list (audience.schools) as JSON text; each must be a UUID. */
static int uuids_at(json_t *v, struct rec_projection *out, int slot, size_t i)
{
	size_t k;
	json_t *item;
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_array(v))
			return 0;
		json_array_foreach(v, k, item) {
			if (!json_is_string(item) || !hg_is_uuid(json_string_value(item)))
				return 0;
		}
	}
	return strings_at(v, out, slot, i);
}

static int read_kind(const char *topic, const char *type, json_t *data, struct rec_projection *out)
{
	if (strcmp(topic, ANALYTICS_RESOURCES_TOPIC) == 0) {
		if (starts_with(type, "activity.") && strcmp(type, "activity.completed") != 0) {
			out->kind = REC_ACTIVITY;
			out->nparams = 5;
			return uuid_at(data, "id", out, 1) && strings_at(json_object_get(data, "topics"), out, 0, 2) &&
			       strings_at(json_object_get(data, "target_audience"), out, 1, 3) &&
			       int_at(data, "version", 1, INT64_MAX, out, 4);
		}
		if (starts_with(type, "session.")) {
			out->kind = REC_SESSION;
			out->nparams = 4;
			return uuid_at(data, "id", out, 1) && int_at(data, "capacity", 0, 1000000, out, 2) &&
			       int_at(data, "version", 1, INT64_MAX, out, 3);
		}
		if (starts_with(type, "registration.")) {
			out->kind = REC_REGISTRATION;
			out->nparams = 7;
			return uuid_at(data, "id", out, 1) && uuid_at(data, "session_id", out, 2) &&
			       uuid_at(data, "activity_id", out, 3) && uuid_at(data, "educator_id", out, 4) &&
			       text_at(data, "status", out, 5) && int_at(data, "version", 1, INT64_MAX, out, 6);
		}
		if (starts_with(type, "resource.")) {
			json_t *by = json_object_get(data, "created_by");
			out->kind = REC_RESOURCE;
			out->nparams = 9;
			out->params[7] = strcmp(type, "resource.deleted") == 0 ? "true" : "false";
			if (json_is_string(by) && !uuid_at(data, "created_by", out, 6))
				return 0;
			return uuid_at(data, "id", out, 1) && text_at(data, "title", out, 2) &&
			       text_at(data, "type", out, 3) &&
			       strings_at(json_object_get(data, "topics"), out, 0, 4) &&
			       strings_at(json_object_get(data, "grade_bands"), out, 1, 5) &&
			       int_at(data, "version", 1, INT64_MAX, out, 8);
		}
		if (starts_with(type, "review.")) {
			out->kind = REC_REVIEW;
			out->nparams = 6;
			return uuid_at(data, "id", out, 1) && uuid_at(data, "resource_id", out, 2) &&
			       uuid_at(data, "reviewer_id", out, 3) && int_at(data, "rating", 1, 5, out, 4) &&
			       int_at(data, "version", 1, INT64_MAX, out, 5);
		}
		return 1;
	}
	if (strcmp(topic, ANALYTICS_SURVEYS_TOPIC) == 0 && starts_with(type, "survey.")) {
		json_t *audience = json_object_get(data, "audience");
		out->kind = REC_SURVEY;
		out->nparams = 4;
		return json_is_object(audience) && uuid_at(data, "id", out, 1) &&
		       uuids_at(json_object_get(audience, "schools"), out, 0, 2) &&
		       int_at(data, "version", 1, INT64_MAX, out, 3);
	}
	return 1;
}

void recommend_read(const char *topic, json_t *event, const char *district, struct rec_projection *out)
{
	memset(out, 0, sizeof(*out));
	const char *type = json_string_value(json_object_get(event, "type"));
	json_t *data = json_object_get(event, "data");
	if (topic == NULL || type == NULL || !json_is_object(data))
		return;
	out->params[0] = district;
	if (!read_kind(topic, type, data, out)) {
		rec_projection_cleanup(out);
		memset(out, 0, sizeof(*out));
	}
}

void rec_projection_cleanup(struct rec_projection *out)
{
	free(out->owned[0]);
	free(out->owned[1]);
	out->owned[0] = out->owned[1] = NULL;
}
