/* catalog_attendance.c - attendance and check-in requests. */
#include "catalog_attendance.h"

#include "catalog.h"
#include "catalog_session.h"
#include "validate.h"

static const char *const attendance_fields[] = {"educator_ids", NULL};
static const char *const checkin_fields[] = {"code", NULL};

int catalog_attendance_validate(json_t *body, json_t *errs, json_t **ids)
{
	size_t before = json_array_size(errs);
	*ids = NULL;
	hg_check_known_fields(body, attendance_fields, errs);
	catalog_check_uuid_array(body, "educator_ids", 1, CATALOG_ATTENDANCE_BATCH_MAX, errs, ids);
	if (json_array_size(errs) > before) {
		json_decref(*ids);
		*ids = NULL;
		return 0;
	}
	return 1;
}

int catalog_attendance_may_record(const struct hg_principal *who, json_t *facilitators)
{
	return catalog_is_admin(who) || catalog_is_facilitator(who, facilitators);
}

int catalog_checkin_validate(json_t *body, json_t *errs, const char **code)
{
	size_t before = json_array_size(errs);
	hg_check_known_fields(body, checkin_fields, errs);
	hg_check_string(body, "code", 1, 0, 1, 32, errs, code);
	return json_array_size(errs) == before;
}
