/* relationship.c - coaching and mentoring relationships: validation and rules. */
#include "services/coaching/relationship.h"

#include <string.h>

#include "services/coaching/confidentiality.h"
#include "services/coaching/reasons.h"

const char *const relationship_kinds[] = {"instructional_coaching", "new_teacher_mentoring", "peer_coaching", NULL};
const char *const relationship_statuses[] = {"active", "ended", NULL};

static const char *const create_fields[] = {"coach_id", "teacher_id", "kind", "starts_on", NULL};
static const char *const patch_fields[] = {"kind", "ends_on", NULL};

json_t *relationship_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	char coach[37] = "", teacher[37] = "", today[11];
	const char *kind = NULL, *starts_on = NULL;
	int64_t days = 0;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, create_fields, errs);
	int coach_ok = hg_check_uuid(body, "coach_id", 0, errs, coach);
	int teacher_ok = hg_check_uuid(body, "teacher_id", 1, errs, teacher);
	hg_check_enum(body, "kind", 1, relationship_kinds, errs, &kind);
	hg_check_date(body, "starts_on", 0, errs, &starts_on, &days);
	if (coach_ok && coach[0] == '\0' && in->who != NULL)
		memcpy(coach, in->who->sub, sizeof(coach));
	if (coach_ok && teacher_ok && strcmp(coach, teacher) == 0)
		hg_err_add(errs, "teacher_id", "must differ from coach_id");
	if (json_array_size(errs) > before)
		return NULL;
	hg_date_format(in->today, today, sizeof(today));
	return json_pack("{s:s, s:s, s:s, s:s}", "coach_id", coach, "teacher_id", teacher, "kind", kind, "starts_on",
			 starts_on ? starts_on : today);
}

json_t *relationship_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *kind = NULL, *ends_on = NULL;
	int64_t days = 0;
	size_t before = json_array_size(errs);

	(void)in;
	hg_check_known_fields(body, patch_fields, errs);
	hg_check_enum(body, "kind", 0, relationship_kinds, errs, &kind);
	hg_check_date(body, "ends_on", 0, errs, &ends_on, &days);
	if (json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before)
		return NULL;
	json_t *out = json_object();
	if (kind != NULL)
		json_object_set_new(out, "kind", json_string(kind));
	if (ends_on != NULL)
		json_object_set_new(out, "ends_on", json_string(ends_on));
	return out;
}

const struct hg_reason *relationship_rule_create(const struct hg_principal *who, json_t *state, json_t *fields)
{
	(void)state;
	const char *coach = json_string_value(json_object_get(fields, "coach_id"));
	if (coaching_is_admin(who) || (coach != NULL && strcmp(coach, who->sub) == 0))
		return NULL;
	return COACHING_REFUSE(R_NOT_OWN_RELATIONSHIP);
}

const struct hg_reason *relationship_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	if (!coaching_is_admin(who) && !coaching_member_is(state, "coach_id", who->sub)) {
		/* A party's other side, or a leader, sees it: refused; anyone else does not know it exists. */
		return coaching_member_is(state, "teacher_id", who->sub) || coaching_oversees(who)
			       ? COACHING_REFUSE(R_NOT_OWN_RELATIONSHIP)
			       : &hg_reason_hidden;
	}
	if (coaching_member_is(state, "status", "ended"))
		return COACHING_REFUSE(R_RELATIONSHIP_ENDED);
	const char *ends_on = json_string_value(json_object_get(changes, "ends_on"));
	json_t *kind = json_object_get(changes, "kind");
	if (ends_on == NULL && (kind == NULL || coaching_member_is(state, "kind", json_string_value(kind))))
		return &hg_reason_unchanged;
	return NULL;
}

const struct hg_reason *relationship_rule_dates(json_t *state, json_t *changes)
{
	const char *ends_on = json_string_value(json_object_get(changes, "ends_on"));
	const char *starts_on = json_string_value(json_object_get(state, "starts_on"));
	/* Both are YYYY-MM-DD: the text order is the date order. */
	if (ends_on != NULL && starts_on != NULL && strcmp(ends_on, starts_on) < 0)
		return COACHING_REFUSE(R_ENDS_BEFORE_START);
	return NULL;
}

const struct hg_reason *relationship_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)state;
	if (coaching_oversees(who) || coaching_member_is(record, "coach_id", who->sub) ||
	    coaching_member_is(record, "teacher_id", who->sub))
		return NULL;
	return &hg_reason_hidden;
}

const char *relationship_event_type(json_t *state, json_t *changes)
{
	(void)state;
	return json_object_get(changes, "ends_on") != NULL ? "relationship.ended" : "relationship.updated";
}

const struct hg_reason *relationship_list_args(const struct hg_principal *who, const char *const *values,
					       struct hg_record_call *call)
{
	/* values: ?coach_id=, ?teacher_id=, ?status= */
	hg_record_arg(call, values[0]);
	hg_record_arg(call, values[1]);
	hg_record_arg(call, values[2]);
	hg_record_arg(call, coaching_oversees(who) ? NULL : who->sub);
	return NULL;
}
