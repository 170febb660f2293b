/* catalog_session.c - sessions of a PD activity: validation, status, check-in. */
#include "catalog_session.h"

#include <ctype.h>
#include <string.h>
#include <uuid/uuid.h>

#include "catalog.h"
#include "validate.h"

static const char *const create_fields[] = {"starts_at", "ends_at",	 "location",
					    "online_url", "capacity", "facilitators", NULL};
static const char *const patch_fields[] = {"status", NULL};
static const char *const patch_statuses[] = {"completed", "cancelled", NULL};

/* 32 symbols: no 0/O, 1/I; a code of 8 is 40 bits. */
static const char code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

#define LOCATION_MAX 200
#define URL_MAX 2048

json_t *catalog_session_validate_create(json_t *body, json_t *errs)
{
	const char *starts = NULL, *ends = NULL, *location = NULL, *url = NULL;
	int64_t starts_us = 0, ends_us = 0;
	long capacity = 0;
	json_t *facilitators = NULL;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, create_fields, errs);
	int times_ok = catalog_check_time(body, "starts_at", 1, errs, &starts, &starts_us);
	times_ok &= catalog_check_time(body, "ends_at", 1, errs, &ends, &ends_us);
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
	catalog_check_int(body, "capacity", 1, 1, CATALOG_CAPACITY_MAX, errs, &capacity);
	catalog_check_uuid_array(body, "facilitators", 0, CATALOG_FACILITATORS_MAX, errs, &facilitators);
	if (json_array_size(errs) > before) {
		json_decref(facilitators);
		return NULL;
	}
	json_t *out = json_pack("{s:s, s:s, s:I, s:o}", "starts_at", starts, "ends_at", ends, "capacity",
				(json_int_t)capacity, "facilitators", facilitators ? facilitators : json_array());
	json_object_set_new(out, "location", location ? catalog_trimmed(location) : json_null());
	json_object_set_new(out, "online_url", url ? json_string(url) : json_null());
	return out;
}

int catalog_session_validate_patch(json_t *body, json_t *errs, const char **status)
{
	size_t before = json_array_size(errs);
	hg_check_known_fields(body, patch_fields, errs);
	hg_check_enum(body, "status", 1, patch_statuses, errs, status);
	return json_array_size(errs) == before;
}

enum hg_status catalog_session_transition(const char *from, const char *to, const char **why)
{
	*why = NULL;
	if (strcmp(from, to) == 0 || strcmp(from, "registering") == 0)
		return HG_OK;
	*why = strcmp(from, "cancelled") == 0 ? "a cancelled session cannot change status"
					      : "a completed session cannot change status";
	return HG_CONFLICT;
}

int catalog_is_facilitator(const struct hg_principal *who, json_t *facilitators)
{
	size_t i;
	json_t *f;
	json_array_foreach(facilitators, i, f) if (catalog_same_id(json_string_value(f), who->sub)) return 1;
	return 0;
}

void catalog_session_redact(const struct hg_principal *who, json_t *session)
{
	if (!catalog_is_admin(who) && !catalog_is_facilitator(who, json_object_get(session, "facilitators")))
		json_object_set_new(session, "check_in_code", json_null());
}

void catalog_checkin_code_new(char *code)
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

int catalog_checkin_code_matches(const char *typed, const char *code)
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

int catalog_checkin_window(int64_t starts_us, int64_t ends_us, int64_t now_us)
{
	if (now_us < starts_us - CATALOG_CHECKIN_EARLY_US)
		return -1;
	if (now_us > ends_us)
		return 1;
	return 0;
}
