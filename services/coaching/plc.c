/* plc.c - PLCs and their meetings: validation and rules (plc.h). */
#include "services/coaching/plc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/date.h"
#include "services/coaching/confidentiality.h"
#include "services/coaching/reasons.h"

const char *const plc_scopes[] = {"school", "cross_school", NULL};
const char *const plc_member_roles[] = {"facilitator", "member", NULL};

static const char *const plc_fields[] = {"name",  "scope", "school_ids",  "members",
					 "norms", "goals", "share_notes", NULL};
static const char *const member_fields[] = {"educator_id", "role", NULL};
static const char *const meeting_fields[] = {"held_on",    "minutes",     "agenda", "notes",
					     "attendance", "activity_id", NULL};

/* Is id (a UUID string) in the JSON array of ids? */
static int in_ids(json_t *ids, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		const char *s = json_string_value(v);
		if (s != NULL && id != NULL && strcasecmp(s, id) == 0)
			return 1;
	}
	return 0;
}

/* members: 1-100 of {educator_id, role}, distinct, at least one facilitator; a new array or NULL with errs. */
static json_t *check_members(json_t *body, int required, json_t *errs)
{
	json_t *a = json_object_get(body, "members"), *m, *out = json_array(), *seen = json_array();
	json_t *tmp = json_array();
	int facilitators = 0, bad = 0;
	char field[48];
	size_t i;

	if (a == NULL) {
		if (required)
			hg_err_add(errs, "members", "is required");
		goto fail;
	}
	if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > PLC_MEMBERS_MAX) {
		hg_err_add(errs, "members", "must be an array of 1 to 100 members");
		goto fail;
	}
	json_array_foreach(a, i, m) {
		char id[37] = "";
		const char *role = NULL;
		if (!json_is_object(m)) {
			snprintf(field, sizeof(field), "members[%zu]", i);
			hg_err_add(errs, field, "must be an object");
			bad = 1;
			continue;
		}
		hg_check_known_fields(m, member_fields, tmp);
		hg_check_uuid(m, "educator_id", 1, tmp, id);
		hg_check_enum(m, "role", 1, plc_member_roles, tmp, &role);
		if (json_array_size(tmp) == 0 && in_ids(seen, id))
			hg_err_add(tmp, "educator_id", "is named twice");
		if (json_array_size(tmp) > 0) {
			size_t k;
			json_t *e;
			json_array_foreach(tmp, k, e) {
				const char *f = json_string_value(json_object_get(e, "field"));
				snprintf(field, sizeof(field), "members[%zu]%s%s", i, f && *f ? "." : "", f ? f : "");
				hg_err_add(errs, field, json_string_value(json_object_get(e, "reason")));
			}
			json_array_clear(tmp);
			bad = 1;
			continue;
		}
		json_array_append_new(seen, json_string(id));
		facilitators += strcmp(role, "facilitator") == 0;
		json_array_append_new(out, json_pack("{s:s, s:s}", "educator_id", id, "role", role));
	}
	if (!bad && facilitators == 0) {
		hg_err_add(errs, "members", "must name at least one facilitator");
		bad = 1;
	}
	if (bad)
		goto fail;
	json_decref(seen);
	json_decref(tmp);
	return out;
fail:
	json_decref(seen);
	json_decref(tmp);
	json_decref(out);
	return NULL;
}

/* Is who a facilitator in the members array? */
static int is_facilitator(json_t *members, const char *sub)
{
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m) {
		if (coaching_member_is(m, "role", "facilitator") &&
		    strcasecmp(json_string_value(json_object_get(m, "educator_id")), sub) == 0)
			return 1;
	}
	return 0;
}

/* The fields shared by create and patch into out; 1 when all present ones are valid. */
static int check_plc(json_t *body, int create, json_t *errs, json_t *out)
{
	const char *name = NULL, *scope = NULL;
	json_t *schools = NULL, *norms = NULL, *goals = NULL;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, plc_fields, errs);
	hg_check_string(body, "name", create, 0, 1, PLC_NAME_MAX, errs, &name);
	int scope_ok = hg_check_enum(body, "scope", create, plc_scopes, errs, &scope);
	int schools_ok = 1;
	if (create || json_object_get(body, "school_ids") != NULL)
		schools_ok = hg_check_uuid_array(body, "school_ids", 1, PLC_SCHOOLS_MAX, errs, &schools);
	if (!create && (json_object_get(body, "scope") == NULL) != (json_object_get(body, "school_ids") == NULL))
		hg_err_add(errs, json_object_get(body, "scope") == NULL ? "scope" : "school_ids",
			   "is given together with scope and school_ids");
	else if (scope_ok && schools_ok && scope != NULL && schools != NULL) {
		if (strcmp(scope, "school") == 0 && json_array_size(schools) != 1)
			hg_err_add(errs, "school_ids", "must name exactly one school for scope school");
		else if (strcmp(scope, "cross_school") == 0 && json_array_size(schools) < 2)
			hg_err_add(errs, "school_ids", "must name two or more schools for scope cross_school");
	}
	json_t *members = check_members(body, create, errs);
	hg_check_string_array(body, "norms", PLC_LIST_MAX, PLC_LIST_TEXT_MAX, NULL, errs, &norms);
	hg_check_string_array(body, "goals", PLC_LIST_MAX, PLC_LIST_TEXT_MAX, NULL, errs, &goals);
	json_t *share = json_object_get(body, "share_notes");
	if (share != NULL && !json_is_boolean(share))
		hg_err_add(errs, "share_notes", "must be true or false");
	if (json_array_size(errs) > before) {
		json_decref(schools);
		json_decref(members);
		return 0;
	}
	if (name != NULL)
		json_object_set_new(out, "name", hg_trimmed(name));
	if (scope != NULL)
		json_object_set_new(out, "scope", json_string(scope));
	if (schools != NULL)
		json_object_set_new(out, "school_ids", schools);
	if (members != NULL)
		json_object_set_new(out, "members", members);
	if (norms != NULL)
		json_object_set(out, "norms", norms);
	else if (create)
		json_object_set_new(out, "norms", json_array());
	if (goals != NULL)
		json_object_set(out, "goals", goals);
	else if (create)
		json_object_set_new(out, "goals", json_array());
	if (share != NULL)
		json_object_set(out, "share_notes", share);
	else if (create)
		json_object_set_new(out, "share_notes", json_false());
	return 1;
}

json_t *plc_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	json_t *out = json_object();
	if (!check_plc(body, 1, errs, out))
		goto bad;
	if (in->who != NULL && !coaching_oversees(in->who) &&
	    !is_facilitator(json_object_get(out, "members"), in->who->sub)) {
		hg_err_add(errs, "members", "must name the caller as a facilitator");
		goto bad;
	}
	return out;
bad:
	json_decref(out);
	return NULL;
}

json_t *plc_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	json_t *out = json_object();
	(void)in;
	if (json_object_size(body) == 0) {
		hg_err_add(errs, "", "must change at least one field");
		goto bad;
	}
	if (!check_plc(body, 0, errs, out))
		goto bad;
	return out;
bad:
	json_decref(out);
	return NULL;
}

const struct hg_reason *plc_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)state;
	size_t i;
	json_t *m;
	if (coaching_oversees(who))
		return NULL;
	json_array_foreach(json_object_get(record, "members"), i, m) {
		if (coaching_member_is(m, "educator_id", who->sub))
			return NULL;
	}
	return &hg_reason_hidden;
}

/* Does every field of changes equal the one of state (the stored values)? */
static int same_values(json_t *state, json_t *changes)
{
	const char *key;
	json_t *v;
	json_object_foreach(changes, key, v) {
		if (!json_equal(v, json_object_get(state, key)))
			return 0;
	}
	return 1;
}

const struct hg_reason *plc_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	if (!coaching_is_admin(who) && !in_ids(json_object_get(state, "facilitator_ids"), who->sub))
		return coaching_oversees(who) || in_ids(json_object_get(state, "member_ids"), who->sub)
			       ? COACHING_REFUSE(R_PLC_FACILITATOR_ONLY)
			       : &hg_reason_hidden;
	return changes != NULL && same_values(state, changes) ? &hg_reason_unchanged : NULL;
}

const struct hg_reason *plc_list_args(const struct hg_principal *who, const char *const *values,
				      struct hg_record_call *call)
{
	/* values: ?school_id= */
	hg_record_arg(call, values[0]);
	hg_record_arg(call, coaching_oversees(who) ? NULL : who->sub);
	return NULL;
}

json_t *plc_event_data(json_t *record)
{
	json_t *data = json_deep_copy(record);
	json_object_del(data, "norms");
	json_object_del(data, "goals");
	return data;
}

json_t *plc_member_ids(json_t *fields)
{
	json_t *ids = json_array(), *m;
	size_t i;
	json_array_foreach(json_object_get(fields, "members"), i, m)
		json_array_append(ids, json_object_get(m, "educator_id"));
	return ids;
}

/* A meeting's fields (create: held_on and minutes required, the others defaulted; patch: those given, at least
 * one, activity_id null to unlink); a new object or NULL with every bad field in errs. */
static json_t *check_meeting(json_t *body, int create, const struct hg_input *in, json_t *errs)
{
	const char *held_on = NULL, *agenda = NULL, *notes = NULL;
	char activity[37] = "";
	long minutes = 0;
	int64_t days = 0;
	json_t *attendance = NULL, *out;
	size_t before = json_array_size(errs);
	int unlink = !create && json_is_null(json_object_get(body, "activity_id"));

	if (!create && json_object_size(body) == 0) {
		hg_err_add(errs, "", "must change at least one field");
		return NULL;
	}
	hg_check_known_fields(body, meeting_fields, errs);
	if (hg_check_date(body, "held_on", create, errs, &held_on, &days) && held_on != NULL &&
	    days > hg_date_days(in->today))
		hg_err_add(errs, "held_on", "must not be in the future");
	hg_check_int(body, "minutes", create, 1, PLC_MEETING_MINUTES_MAX, errs, &minutes);
	hg_check_string(body, "agenda", 0, 0, 0, PLC_AGENDA_MAX, errs, &agenda);
	hg_check_string(body, "notes", 0, 0, 0, PLC_NOTES_MAX, errs, &notes);
	if (create || json_object_get(body, "attendance") != NULL)
		hg_check_uuid_array(body, "attendance", 0, PLC_MEMBERS_MAX, errs, &attendance);
	if (!unlink)
		hg_check_uuid(body, "activity_id", 0, errs, activity);
	if (json_array_size(errs) > before) {
		json_decref(attendance);
		return NULL;
	}
	if (create)
		return json_pack("{s:s, s:I, s:o, s:o, s:o, s:s?}", "held_on", held_on, "minutes", (json_int_t)minutes,
				 "agenda", hg_trimmed(agenda ? agenda : ""), "notes", hg_trimmed(notes ? notes : ""),
				 "attendance", attendance ? attendance : json_array(), "activity_id",
				 activity[0] ? activity : NULL);
	out = json_object();
	if (held_on != NULL)
		json_object_set_new(out, "held_on", json_string(held_on));
	if (json_object_get(body, "minutes") != NULL)
		json_object_set_new(out, "minutes", json_integer(minutes));
	if (agenda != NULL)
		json_object_set_new(out, "agenda", hg_trimmed(agenda));
	if (notes != NULL)
		json_object_set_new(out, "notes", hg_trimmed(notes));
	if (attendance != NULL)
		json_object_set_new(out, "attendance", attendance);
	if (unlink)
		json_object_set_new(out, "activity_id", json_null());
	else if (activity[0])
		json_object_set_new(out, "activity_id", json_string(activity));
	return out;
}

json_t *plc_meeting_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	return check_meeting(body, 1, in, errs);
}

json_t *plc_meeting_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	return check_meeting(body, 0, in, errs);
}

const struct hg_reason *plc_meeting_rule_create(const struct hg_principal *who, json_t *state, json_t *fields)
{
	(void)fields;
	if (in_ids(json_object_get(state, "facilitator_ids"), who->sub))
		return NULL;
	if (coaching_oversees(who) || in_ids(json_object_get(state, "member_ids"), who->sub))
		return COACHING_REFUSE(R_PLC_FACILITATOR_ONLY);
	return &hg_reason_hidden;
}

const struct hg_reason *plc_meeting_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	const struct hg_reason *why = plc_meeting_rule_create(who, state, changes);
	if (why != NULL)
		return why;
	return changes != NULL && same_values(state, changes) ? &hg_reason_unchanged : NULL;
}

long plc_meeting_first_stranger(json_t *state, json_t *fields)
{
	size_t i;
	json_t *id;
	json_t *members = json_object_get(state, "member_ids");
	json_array_foreach(json_object_get(fields, "attendance"), i, id) {
		if (!in_ids(members, json_string_value(id)))
			return (long)i;
	}
	return -1;
}

const struct hg_reason *plc_meeting_rule_parent(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)record;
	if (state == NULL)
		return &hg_reason_hidden;
	return coaching_oversees(who) || in_ids(json_object_get(state, "member_ids"), who->sub) ? NULL
												: &hg_reason_hidden;
}

const struct hg_reason *plc_meeting_list_args(const struct hg_principal *who, const char *const *values,
					      struct hg_record_call *call)
{
	(void)values;
	hg_record_arg(call, who->sub);
	return NULL;
}

json_t *plc_meeting_event_data(json_t *record)
{
	json_t *data = json_deep_copy(record);
	json_object_del(data, "agenda");
	json_object_del(data, "notes");
	return data;
}
