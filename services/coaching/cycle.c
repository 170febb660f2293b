/* cycle.c - coaching cycles: validation, the state machine, who sees and changes what. */
#include "services/coaching/cycle.h"

#include <stdio.h>
#include <string.h>

#include "services/coaching/confidentiality.h"
#include "services/coaching/reasons.h"

const char *const cycle_statuses[] = {"planning",  "observing", "feedback", "reflecting",
				      "completed", "cancelled", NULL};
const char *const action_step_statuses[] = {"planned", "in_progress", "done", NULL};

static const char *const create_fields[] = {"relationship_id", "focus", "goal", "action_steps", NULL};
static const char *const patch_fields[] = {"focus", "goal", "action_steps", "status", "goal_met", NULL};
static const char *const goal_fields[] = {"description", "measure", "baseline", "target", "due_on", NULL};
static const char *const step_fields[] = {"description", "due_on", "status", NULL};

/* The moves of the state machine: from each open status, the next one or cancelled. */
static const struct {
	const char *from, *next;
	enum coaching_reason refusal;
} moves[] = {
	{"planning", "observing", R_CYCLE_MOVE_FROM_PLANNING},
	{"observing", "feedback", R_CYCLE_MOVE_FROM_OBSERVING},
	{"feedback", "reflecting", R_CYCLE_MOVE_FROM_FEEDBACK},
	{"reflecting", "completed", R_CYCLE_MOVE_FROM_REFLECTING},
};

const struct hg_reason *cycle_move(const char *from, const char *to)
{
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(from, moves[i].from) != 0)
			continue;
		if (strcmp(to, moves[i].next) == 0 || strcmp(to, "cancelled") == 0)
			return NULL;
		return HG_REASON(coaching, moves[i].refusal);
	}
	return COACHING_REFUSE(R_CYCLE_CLOSED);
}

/* A number within ±CYCLE_NUMBER_MAX. */
static int check_number(json_t *obj, const char *field, json_t *errs)
{
	json_t *v = json_object_get(obj, field);
	if (v == NULL) {
		hg_err_add(errs, field, "is required");
		return 0;
	}
	if (!json_is_number(v) || json_number_value(v) < -CYCLE_NUMBER_MAX || json_number_value(v) > CYCLE_NUMBER_MAX) {
		hg_err_add(errs, field, "must be a number from -1000000000 to 1000000000");
		return 0;
	}
	return 1;
}

/* goal: {description, measure, baseline, target, due_on} into a new object, or NULL with errs. */
static json_t *check_goal(json_t *body, int required, json_t *errs)
{
	json_t *g = json_object_get(body, "goal");
	json_t *tmp = json_array();
	const char *description = NULL, *measure = NULL, *due_on = NULL;
	int64_t days = 0;
	json_t *out = NULL;

	if (g == NULL) {
		if (required)
			hg_err_add(errs, "goal", "is required");
		goto out;
	}
	if (!json_is_object(g)) {
		hg_err_add(errs, "goal", "must be an object");
		goto out;
	}
	hg_check_known_fields(g, goal_fields, tmp);
	hg_check_string(g, "description", 1, 0, 1, CYCLE_TEXT_MAX, tmp, &description);
	hg_check_string(g, "measure", 1, 0, 1, CYCLE_FOCUS_MAX, tmp, &measure);
	check_number(g, "baseline", tmp);
	check_number(g, "target", tmp);
	hg_check_date(g, "due_on", 1, tmp, &due_on, &days);
	if (json_array_size(tmp) > 0) {
		hg_err_add_nested(tmp, "goal", errs);
		goto out;
	}
	out = json_pack("{s:o, s:o, s:O, s:O, s:s}", "description", hg_trimmed(description), "measure",
			hg_trimmed(measure), "baseline", json_object_get(g, "baseline"), "target",
			json_object_get(g, "target"), "due_on", due_on);
out:
	json_decref(tmp);
	return out;
}

/* action_steps: at most CYCLE_STEPS_MAX of {description, due_on, status}, into a new array, or NULL with errs. */
static json_t *check_steps(json_t *body, json_t *errs)
{
	json_t *a = json_object_get(body, "action_steps");
	json_t *tmp = json_array(), *out = json_array(), *s;
	char prefix[48];
	size_t i;

	if (a == NULL)
		goto done;
	if (!json_is_array(a) || json_array_size(a) > CYCLE_STEPS_MAX) {
		hg_err_add(errs, "action_steps", "must be an array of at most 50 action steps");
		goto bad;
	}
	json_array_foreach(a, i, s) {
		const char *description = NULL, *due_on = NULL, *status = NULL;
		int64_t days = 0;
		snprintf(prefix, sizeof(prefix), "action_steps[%zu]", i);
		if (!json_is_object(s)) {
			hg_err_add(errs, prefix, "must be an object");
			continue;
		}
		hg_check_known_fields(s, step_fields, tmp);
		hg_check_string(s, "description", 1, 0, 1, CYCLE_TEXT_MAX, tmp, &description);
		hg_check_date(s, "due_on", 1, tmp, &due_on, &days);
		hg_check_enum(s, "status", 0, action_step_statuses, tmp, &status);
		if (json_array_size(tmp) > 0) {
			hg_err_add_nested(tmp, prefix, errs);
			continue;
		}
		json_array_append_new(out, json_pack("{s:o, s:s, s:s}", "description", hg_trimmed(description),
						     "due_on", due_on, "status", status ? status : "planned"));
	}
	if (json_array_size(out) != json_array_size(a))
		goto bad;
done:
	json_decref(tmp);
	return out;
bad:
	json_decref(tmp);
	json_decref(out);
	return NULL;
}

json_t *cycle_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	char relationship[37];
	const char *focus = NULL;
	size_t before = json_array_size(errs);

	(void)in;
	hg_check_known_fields(body, create_fields, errs);
	hg_check_uuid(body, "relationship_id", 1, errs, relationship);
	hg_check_string(body, "focus", 1, 0, 1, CYCLE_FOCUS_MAX, errs, &focus);
	json_t *goal = check_goal(body, 1, errs);
	json_t *steps = check_steps(body, errs);
	if (json_array_size(errs) > before) {
		json_decref(goal);
		json_decref(steps);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:o, s:o}", "relationship_id", relationship, "focus", hg_trimmed(focus), "goal",
			 goal, "action_steps", steps);
}

json_t *cycle_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	const char *focus = NULL, *status = NULL;
	size_t before = json_array_size(errs);

	(void)in;
	hg_check_known_fields(body, patch_fields, errs);
	hg_check_string(body, "focus", 0, 0, 1, CYCLE_FOCUS_MAX, errs, &focus);
	json_t *goal = check_goal(body, 0, errs);
	json_t *steps = json_object_get(body, "action_steps") != NULL ? check_steps(body, errs) : NULL;
	hg_check_enum(body, "status", 0, cycle_statuses, errs, &status);
	json_t *met = json_object_get(body, "goal_met");
	int completing = status != NULL && strcmp(status, "completed") == 0;
	if (met != NULL && !json_is_boolean(met))
		hg_err_add(errs, "goal_met", "must be true or false");
	else if (met == NULL && completing)
		hg_err_add(errs, "goal_met", "is required to complete a cycle");
	else if (met != NULL && !completing)
		hg_err_add(errs, "goal_met", "is given only with status completed");
	if (json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before) {
		json_decref(goal);
		json_decref(steps);
		return NULL;
	}
	json_t *out = json_object();
	if (focus != NULL)
		json_object_set_new(out, "focus", hg_trimmed(focus));
	if (goal != NULL)
		json_object_set_new(out, "goal", goal);
	if (steps != NULL)
		json_object_set_new(out, "action_steps", steps);
	if (status != NULL)
		json_object_set_new(out, "status", json_string(status));
	if (met != NULL)
		json_object_set(out, "goal_met", met);
	return out;
}

const struct hg_reason *cycle_rule_create(const struct hg_principal *who, json_t *state, json_t *fields)
{
	(void)fields;
	if (!coaching_member_is(state, "coach_id", who->sub))
		return coaching_is_party(who, state) || coaching_oversees(who) ? COACHING_REFUSE(R_CYCLE_COACH_ONLY)
									       : &hg_reason_hidden;
	if (!coaching_member_is(state, "status", "active"))
		return COACHING_REFUSE(R_RELATIONSHIP_ENDED);
	return NULL;
}

const struct hg_reason *cycle_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	if (!coaching_is_party(who, state))
		return coaching_oversees(who) ? COACHING_REFUSE(R_CYCLE_PARTY_ONLY) : &hg_reason_hidden;
	const char *from = json_string_value(json_object_get(state, "status"));
	const char *to = json_string_value(json_object_get(changes, "status"));
	if (from == NULL)
		return COACHING_REFUSE(R_CYCLE_CLOSED);
	if (strcmp(from, "completed") == 0 || strcmp(from, "cancelled") == 0)
		return COACHING_REFUSE(R_CYCLE_CLOSED);
	if (to != NULL && strcmp(to, from) != 0)
		return cycle_move(from, to);
	/* The same status (or none) and the stored focus, goal and action steps: nothing to change. */
	const char *key;
	json_t *v;
	json_object_foreach(changes, key, v) {
		if (strcmp(key, "status") != 0 && !json_equal(v, json_object_get(state, key)))
			return NULL;
	}
	return &hg_reason_unchanged;
}

const struct hg_reason *cycle_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)state;
	return coaching_is_party(who, record) || coaching_oversees(who) ? NULL : &hg_reason_hidden;
}

static const char *const content[] = {"focus", "goal", "action_steps", NULL};

void cycle_shape(const struct hg_principal *who, json_t *record)
{
	if (coaching_is_party(who, record))
		return;
	for (size_t i = 0; content[i] != NULL; i++)
		json_object_del(record, content[i]);
}

json_t *cycle_event_data(json_t *record)
{
	json_t *data = json_deep_copy(record);
	for (size_t i = 0; content[i] != NULL; i++)
		json_object_del(data, content[i]);
	return data;
}

const char *cycle_event_type(json_t *state, json_t *changes)
{
	const char *to = json_string_value(json_object_get(changes, "status"));
	return to != NULL && !coaching_member_is(state, "status", to) ? "cycle.state_changed" : "cycle.updated";
}

const struct hg_reason *cycle_list_args(const struct hg_principal *who, const char *const *values,
					struct hg_record_call *call)
{
	/* values: ?relationship_id=, ?status=, ?coach_id=, ?teacher_id= */
	for (size_t i = 0; i < 4; i++)
		hg_record_arg(call, values[i]);
	hg_record_arg(call, coaching_oversees(who) ? NULL : who->sub);
	return NULL;
}
