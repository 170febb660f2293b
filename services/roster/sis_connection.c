/* sis_connection.c - the district's SIS connection: what PUT accepts (pure). */
#include "services/roster/sis_connection.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const fields[] = {"base_url", "token_url", "client_id",  "client_secret",
				     "scope",    "schedule",  "use_deltas", NULL};

int sis_time_valid(const char *s)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':')
		return 0;
	for (int i = 0; i < 5; i++)
		if (i != 2 && !isdigit((unsigned char)s[i]))
			return 0;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60;
}

/* An IANA zone name's shape ("America/Chicago", "UTC", "Etc/GMT+6"); the store checks it is known. */
static int zone_shaped(const char *s)
{
	if (s == NULL || s[0] == '\0' || s[0] == '/' || strstr(s, "..") != NULL)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
			return 0;
	return 1;
}

/* RFC 6749's VSCHAR (a client secret's alphabet): printable ASCII, space to '~'; n bytes, NULs counted. */
static int vschars(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

static void https_url(json_t *body, const char *field, json_t *errs)
{
	const char *url = NULL;
	if (hg_check_url(body, field, 1, 0, SIS_URL_MAX, errs, &url) && url != NULL &&
	    strncasecmp(url, "https://", 8) != 0)
		hg_err_add(errs, field, "must be an https URL (TLS is verified)");
}

static void schedule(json_t *body, json_t *errs)
{
	json_t *s = json_object_get(body, "schedule");
	if (s == NULL || json_is_null(s))
		return;
	if (!json_is_object(s)) {
		hg_err_add(errs, "schedule",
			   "must be an object {\"time\": \"HH:MM\", \"time_zone\": \"Area/City\"} or null");
		return;
	}
	const char *k;
	json_t *v;
	json_object_foreach(s, k, v) {
		if (strcmp(k, "time") != 0 && strcmp(k, "time_zone") != 0) {
			hg_err_add(errs, "schedule", "holds an unknown field; it takes time and time_zone");
			break;
		}
	}
	if (!sis_time_valid(json_string_value(json_object_get(s, "time"))))
		hg_err_add(errs, "schedule.time", "must be a local time HH:MM (00:00 to 23:59)");
	const char *zone = json_string_value(json_object_get(s, "time_zone"));
	if (!zone_shaped(zone) || strlen(zone) > SIS_TIME_ZONE_MAX)
		hg_err_add(errs, "schedule.time_zone", "must be an IANA time zone name such as America/Chicago");
}

json_t *sis_connection_validate(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, fields, errs);
	https_url(body, "base_url", errs);
	https_url(body, "token_url", errs);
	hg_check_string(body, "client_id", 1, 0, 1, SIS_CLIENT_ID_MAX, errs, NULL);
	json_t *secret = json_object_get(body, "client_secret");
	if (!json_is_string(secret) || json_string_length(secret) == 0 || json_string_length(secret) > SIS_SECRET_MAX ||
	    !vschars(json_string_value(secret), json_string_length(secret)))
		hg_err_add(errs, "client_secret", "is required: 1 to 1024 printable ASCII characters");
	hg_check_string(body, "scope", 0, 1, 1, SIS_SCOPE_MAX, errs, NULL);
	schedule(body, errs);
	json_t *deltas = json_object_get(body, "use_deltas");
	if (deltas != NULL && !json_is_boolean(deltas))
		hg_err_add(errs, "use_deltas", "must be true or false");
	if (json_array_size(errs) > before)
		return NULL;

	json_t *out = json_deep_copy(body);
	if (json_object_get(out, "use_deltas") == NULL)
		json_object_set_new(out, "use_deltas", json_true());
	if (json_object_get(out, "schedule") == NULL)
		json_object_set_new(out, "schedule", json_null());
	if (json_object_get(out, "scope") == NULL)
		json_object_set_new(out, "scope", json_null());
	return out;
}
