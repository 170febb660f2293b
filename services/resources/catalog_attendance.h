/* catalog_attendance.h - attendance and check-in requests (pure). */
#ifndef RESOURCES_CATALOG_ATTENDANCE_H
#define RESOURCES_CATALOG_ATTENDANCE_H

#include <jansson.h>

#include "auth.h"
#include "status.h"

/* Most educators one attendance call may mark. */
#define CATALOG_ATTENDANCE_BATCH_MAX 500

/* {"educator_ids": [uuid, ...]} (1..500 distinct): *ids a new array of lower-case ids, or 0 with errs. */
int catalog_attendance_validate(json_t *body, json_t *errs, json_t **ids);

/* May who record attendance for a session with these facilitators? (a facilitator of it, or a district admin) */
int catalog_attendance_may_record(const struct hg_principal *who, json_t *facilitators);

/* {"code": "..."}: *code borrowed from body, or 0 with errs. */
int catalog_checkin_validate(json_t *body, json_t *errs, const char **code);

#endif
