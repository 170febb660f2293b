/* session.c - sessions of a PD activity: validation, status, check-in. */
#include "services/resources/catalog/session.h"

#include <ctype.h>
#include <string.h>
#include <uuid/uuid.h>

#include "common/record.h"
#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/catalog.h"
#include "services/resources/reasons.h"

static const char *const create_fields[] = {"starts_at", "ends_at",      "location", "online_url",
					    "capacity",  "facilitators", NULL};
static const char *const patch_fields[] = {"status",     "starts_at", "ends_at", "location",
					   "online_url", "capacity",  NULL};
static const char *const patch_statuses[] = {"completed", "cancelled", NULL};

/* 32 symbols: no 0/O, 1/I; a code of 8 is 40 bits. */
static const char code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

#define LOCATION_MAX 200
#define URL_MAX 2048

json_t *session_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	const char *starts = NULL, *ends = NULL, *location = NULL, *url = NULL;
	int64_t starts_us = 0, ends_us = 0;
	long capacity = 0;
	json_t *facilitators = NULL;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, create_fields, errs);
	int times_ok = hg_check_time(body, "starts_at", 1, errs, &starts, &starts_us);
	times_ok &= hg_check_time(body, "ends_at", 1, errs, &ends, &ends_us);
	if (times_ok && starts != NULL && ends != NULL) {
		if (ends_us <= starts_us)
			hg_err_add(errs, "ends_at", "must be after starts_at");
		else if (ends_us - starts_us > CATALOG_SESSION_MAX_US)
			hg_err_add(errs, "ends_at", "must be at most 31 days after starts_at");
	}
	int place_ok = hg_check_string(body, "location", 0, 1, 1, LOCATION_MAX, errs, &location);
	place_ok &= hg_check_url(body, "online_url", 0, 1, URL_MAX, errs, &url);
	if (place_ok && location == NULL && url == NULL)
		hg_err_add(errs, "location", "a location or an online_url is required");
	hg_check_int(body, "capacity", 1, 1, CATALOG_CAPACITY_MAX, errs, &capacity);
	hg_check_uuid_array(body, "facilitators", 0, CATALOG_FACILITATORS_MAX, errs, &facilitators);
	if (json_array_size(errs) > before) {
		json_decref(facilitators);
		return NULL;
	}
	json_t *out = json_pack("{s:s, s:s, s:I, s:o}", "starts_at", starts, "ends_at", ends, "capacity",
				(json_int_t)capacity, "facilitators", facilitators ? facilitators : json_array());
	json_object_set_new(out, "location", location ? hg_trimmed(location) : json_null());
	json_object_set_new(out, "online_url", url ? json_string(url) : json_null());
	char code[CATALOG_CODE_LEN + 1];
	session_checkin_code_new(code);
	json_object_set_new(out, "check_in_code", json_string(code));
	return out;
}

json_t *session_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *status = NULL, *starts = NULL, *ends = NULL, *location = NULL, *url = NULL;
	int64_t starts_us = 0, ends_us = 0;
	long capacity = 0;
	size_t before = json_array_size(errs);
	(void)in;
	hg_check_known_fields(body, patch_fields, errs);
	hg_check_enum(body, "status", 0, patch_statuses, errs, &status);
	hg_check_time(body, "starts_at", 0, errs, &starts, &starts_us);
	hg_check_time(body, "ends_at", 0, errs, &ends, &ends_us);
	if (starts != NULL && ends != NULL) {
		if (ends_us <= starts_us)
			hg_err_add(errs, "ends_at", "must be after starts_at");
		else if (ends_us - starts_us > CATALOG_SESSION_MAX_US)
			hg_err_add(errs, "ends_at", "must be at most 31 days after starts_at");
	}
	hg_check_string(body, "location", 0, 1, 1, LOCATION_MAX, errs, &location);
	hg_check_url(body, "online_url", 0, 1, URL_MAX, errs, &url);
	if (json_is_null(json_object_get(body, "location")) && json_is_null(json_object_get(body, "online_url")))
		hg_err_add(errs, "location", "a location or an online_url is required");
	hg_check_int(body, "capacity", 0, 1, CATALOG_CAPACITY_MAX, errs, &capacity);
	if (json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_object();
	if (status != NULL)
		json_object_set_new(out, "status", json_string(status));
	if (starts != NULL) {
		json_object_set_new(out, "starts_at", json_string(starts));
		json_object_set_new(out, "starts_us", json_integer((json_int_t)starts_us));
	}
	if (ends != NULL) {
		json_object_set_new(out, "ends_at", json_string(ends));
		json_object_set_new(out, "ends_us", json_integer((json_int_t)ends_us));
	}
	if (json_object_get(body, "location") != NULL)
		json_object_set_new(out, "location", location ? hg_trimmed(location) : json_null());
	if (json_object_get(body, "online_url") != NULL)
		json_object_set_new(out, "online_url", url ? json_string(url) : json_null());
	if (json_object_get(body, "capacity") != NULL)
		json_object_set_new(out, "capacity", json_integer((json_int_t)capacity));
	return out;
}

const struct hg_reason *session_transition(const char *from, const char *to)
{
	if (strcmp(from, to) == 0 || strcmp(from, "registering") == 0)
		return NULL;
	return strcmp(from, "cancelled") == 0 ? RESOURCES_REFUSE(R_SESSION_CANCELLED_STATUS)
					      : RESOURCES_REFUSE(R_SESSION_COMPLETED_STATUS);
}

int session_is_facilitator(const struct hg_principal *who, json_t *facilitators)
{
	size_t i;
	json_t *f;
	json_array_foreach(facilitators, i, f) {
		if (catalog_same_id(json_string_value(f), who->sub))
			return 1;
	}
	return 0;
}

void session_redact(const struct hg_principal *who, json_t *session)
{
	if (!catalog_is_admin(who) && !session_is_facilitator(who, json_object_get(session, "facilitators")))
		json_object_set_new(session, "check_in_code", json_null());
}

void session_checkin_code_new(char *code)
{
	/* libuuid draws random UUIDs from getrandom(2): 16 bytes, 4 bits of which
	 * are fixed (version, variant); 8 of the free bytes give 8 symbols. */
	uuid_t u;
	uuid_generate_random(u);
	static const int bytes[CATALOG_CODE_LEN] = {0, 1, 2, 3, 4, 5, 10, 11};
	for (int i = 0; i < CATALOG_CODE_LEN; i++)
		code[i] = code_alphabet[u[bytes[i]] % 32];
	code[CATALOG_CODE_LEN] = '\0';
}

int session_checkin_code_matches(const char *typed, const char *code)
{
	if (strlen(code) != CATALOG_CODE_LEN)
		return 0;
	while (*typed == ' ')
		typed++;
	size_t n = strlen(typed);
	while (n > 0 && typed[n - 1] == ' ')
		n--;
	unsigned diff = n != CATALOG_CODE_LEN;
	for (size_t i = 0; i < CATALOG_CODE_LEN; i++) {
		unsigned char t = i < n ? (unsigned char)toupper((unsigned char)typed[i]) : 0;
		diff |= (unsigned)(t ^ (unsigned char)code[i]);
	}
	return diff == 0;
}

int session_checkin_window(int64_t starts_us, int64_t ends_us, int64_t now_us)
{
	if (now_us < starts_us - CATALOG_CHECKIN_EARLY_US)
		return -1;
	if (now_us > ends_us)
		return 1;
	return 0;
}

/* ---- the kit's rules ---- */

static const char *member(json_t *obj, const char *name)
{
	const char *s = json_string_value(json_object_get(obj, name));
	return s != NULL ? s : "";
}

const struct hg_reason *session_rule_create(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)who;
	(void)changes;
	const char *status = member(state, "status");
	if (strcmp(status, "proposed") == 0 || strcmp(status, "declined") == 0)
		return RESOURCES_REFUSE(R_ACTIVITY_NOT_APPROVED_NO_SESSIONS);
	return activity_editable(status) ? NULL : RESOURCES_REFUSE(R_ACTIVITY_ARCHIVED_NO_SESSIONS);
}

/* Does changes set field to a value other than the state's (both JSON)? */
static int differs(json_t *state, json_t *changes, const char *field)
{
	json_t *to = json_object_get(changes, field);
	return to != NULL && !json_equal(to, json_object_get(state, field));
}

/* The changes of a session other than its status. */
static const char *const detail_fields[] = {"starts_us", "ends_us", "location", "online_url", "capacity", NULL};

const struct hg_reason *session_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)who;
	const char *from = hg_record_status(state), *to = hg_record_target_status(state, changes);
	const struct hg_reason *why = session_transition(from, to);
	if (why != NULL)
		return why;
	int details = 0;
	for (size_t i = 0; detail_fields[i] != NULL; i++)
		details |= differs(state, changes, detail_fields[i]);
	if (!details)
		return strcmp(from, to) == 0 ? &hg_reason_unchanged : NULL;
	if (strcmp(from, "registering") != 0)
		return RESOURCES_REFUSE(R_SESSION_CLOSED_CHANGES);
	json_int_t capacity = json_integer_value(json_object_get(changes, "capacity"));
	if (json_object_get(changes, "capacity") != NULL &&
	    capacity < json_integer_value(json_object_get(state, "registered_count")))
		return RESOURCES_REFUSE(R_SESSION_CAPACITY_BELOW_REGISTERED);
	return NULL;
}

const struct hg_reason *session_check_change(json_t *state, json_t *changes, const char **field)
{
	json_t *starts = json_object_get(changes, "starts_us"), *ends = json_object_get(changes, "ends_us");
	json_int_t s = json_integer_value(starts ? starts : json_object_get(state, "starts_us"));
	json_int_t e = json_integer_value(ends ? ends : json_object_get(state, "ends_us"));
	*field = ends != NULL || starts == NULL ? "ends_at" : "starts_at";
	if (e <= s)
		return RESOURCES_REFUSE(R_SESSION_ENDS_BEFORE_START);
	if (e - s > CATALOG_SESSION_MAX_US)
		return RESOURCES_REFUSE(R_SESSION_TOO_LONG);
	json_t *location = json_object_get(changes, "location"), *url = json_object_get(changes, "online_url");
	location = location ? location : json_object_get(state, "location");
	url = url ? url : json_object_get(state, "online_url");
	*field = json_object_get(changes, "location") != NULL ? "location" : "online_url";
	if (json_is_null(location) && json_is_null(url))
		return RESOURCES_REFUSE(R_SESSION_NO_PLACE);
	*field = NULL;
	return NULL;
}

const struct hg_reason *session_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)record;
	return activity_visible(who, member(state, "activity_status"),
				json_string_value(json_object_get(state, "activity_proposed_by")))
		       ? NULL
		       : &hg_reason_hidden;
}

const char *session_event_type(json_t *state, json_t *changes)
{
	const char *from = hg_record_status(state), *to = hg_record_target_status(state, changes);
	if (strcmp(from, to) == 0)
		return "session.changed";
	return strcmp(to, "cancelled") == 0 ? "session.cancelled" : "session.completed";
}

json_t *session_event_data(json_t *record)
{
	json_t *event = json_deep_copy(record);
	json_object_del(event, "check_in_code");
	return event;
}
