/* attendance.c - attendance and check-in: requests and rules. */
#include "services/resources/catalog/attendance.h"

#include <string.h>

#include "services/resources/catalog/catalog.h"
#include "services/resources/catalog/session.h"
#include "services/resources/reasons.h"

static const char *const attendance_fields[] = {"educator_ids", NULL};
static const char *const checkin_fields[] = {"code", NULL};

json_t *attendance_validate(json_t *body, const struct hg_input *in, json_t *errs)
{
	size_t before = json_array_size(errs);
	json_t *ids = NULL;
	(void)in;
	hg_check_known_fields(body, attendance_fields, errs);
	hg_check_uuid_array(body, "educator_ids", 1, CATALOG_ATTENDANCE_BATCH_MAX, errs, &ids);
	if (json_array_size(errs) > before) {
		json_decref(ids);
		return NULL;
	}
	return json_pack("{s:o}", "educator_ids", ids);
}

int attendance_may_record(const struct hg_principal *who, json_t *facilitators)
{
	return catalog_is_admin(who) || session_is_facilitator(who, facilitators);
}

json_t *checkin_validate(json_t *body, const struct hg_input *in, json_t *errs)
{
	size_t before = json_array_size(errs);
	const char *code = NULL;
	(void)in;
	hg_check_known_fields(body, checkin_fields, errs);
	hg_check_string(body, "code", 1, 0, 1, 32, errs, &code);
	if (json_array_size(errs) > before)
		return NULL;
	return json_pack("{s:s}", "code", code);
}

const struct hg_reason *attendance_rule_record(const struct hg_principal *who, const struct attendance_session *s,
					       int64_t now_us)
{
	if (!attendance_may_record(who, s->facilitators))
		return RESOURCES_REFUSE(R_ATTENDANCE_FORBIDDEN);
	if (strcmp(s->status, "cancelled") == 0)
		return RESOURCES_REFUSE(R_ATTENDANCE_SESSION_CANCELLED);
	if (session_checkin_window(s->starts_us, s->ends_us, now_us) < 0)
		return RESOURCES_REFUSE(R_ATTENDANCE_TOO_EARLY);
	return NULL;
}

const struct hg_reason *checkin_rule(const struct attendance_session *s, const char *code, int64_t now_us)
{
	if (strcmp(s->status, "cancelled") == 0)
		return RESOURCES_REFUSE(R_CHECKIN_SESSION_CANCELLED);
	int window = session_checkin_window(s->starts_us, s->ends_us, now_us);
	if (window != 0)
		return window < 0 ? RESOURCES_REFUSE(R_CHECKIN_NOT_OPEN) : RESOURCES_REFUSE(R_CHECKIN_CLOSED);
	if (!session_checkin_code_matches(code, s->code))
		return RESOURCES_REFUSE(R_CHECKIN_WRONG_CODE);
	return NULL;
}

const struct hg_reason *checkin_rule_registered(const char *status)
{
	if (status == NULL)
		return RESOURCES_REFUSE(R_CHECKIN_NOT_REGISTERED);
	if (strcmp(status, "pending") == 0)
		return RESOURCES_REFUSE(R_CHECKIN_AWAITING_APPROVAL);
	if (strcmp(status, "registered") != 0)
		return RESOURCES_REFUSE(R_CHECKIN_WAITLISTED);
	return NULL;
}
