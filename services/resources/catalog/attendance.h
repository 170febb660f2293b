/* attendance.h - attendance and check-in: requests and rules (pure). */
#ifndef CATALOG_ATTENDANCE_H
#define CATALOG_ATTENDANCE_H

#include <jansson.h>
#include <stdint.h>

#include "common/auth.h"
#include "common/reason.h"
#include "common/validate.h"

/* Most educators one attendance call may mark. */
#define CATALOG_ATTENDANCE_BATCH_MAX 500

/* {"educator_ids": [uuid, ...]} (1..500 distinct): a new {"educator_ids": [lower-case ids]}, or NULL with errs. */
json_t *attendance_validate(json_t *body, const struct hg_input *in, json_t *errs);

/* May who record attendance for a session with these facilitators? (a facilitator of it, or a district admin) */
int attendance_may_record(const struct hg_principal *who, json_t *facilitators);

/* {"code": "..."}: a new {"code"} object, or NULL with errs. */
json_t *checkin_validate(json_t *body, const struct hg_input *in, json_t *errs);

/* A session as attendance sees it, read under its activity's lock. */
struct attendance_session {
	char activity_id[37];
	char status[16];
	char code[16];
	json_t *facilitators; /* borrowed */
	int64_t starts_us, ends_us;
};

/* May who mark attendance on s at now_us? NULL, or why not. */
const struct hg_reason *attendance_rule_record(const struct hg_principal *who, const struct attendance_session *s,
					       int64_t now_us);

/* May an educator check in to s with code at now_us? NULL, or why not (closed, not open yet, wrong code). */
const struct hg_reason *checkin_rule(const struct attendance_session *s, const char *code, int64_t now_us);

/* May an educator whose registration is in status (NULL: none) check in? Only registered ones. */
const struct hg_reason *checkin_rule_registered(const char *status);

#endif
