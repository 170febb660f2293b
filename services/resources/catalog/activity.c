/* activity.c - PD activities: validation, the status machine, visibility, the completion rule. */
#include "services/resources/catalog/activity.h"

#include <stdio.h>
#include <string.h>

#include "common/record.h"
#include "services/resources/catalog/catalog.h"
#include "services/resources/reasons.h"

const char *const activity_types[] = {"CollegeCourse",
				      "Coaching",
				      "Mentoring",
				      "Consultation",
				      "P2P",
				      "TechnicalAssistance",
				      "Advisement",
				      "OneTimeWorkshopTraining",
				      "SeriesOfWorkshopsTraining",
				      "Other",
				      NULL};
const char *const activity_credit_types[] = {"Hours", "CEUs", "QuarterCredits", "SemesterCredits", NULL};

static const char *const levels[] = {"Beginner", "Intermediate", "Advanced", NULL};
static const char *const audience_types[] = {"Individual", "Group", NULL};
static const char *const delivery_methods[] = {"Onsite", "Virtual", "Off-Site", "Conference", NULL};
static const char *const delivery_modes[] = {
	"Broadcast",        "Correspondence", "EarlyCollege",    "AudioVideo", "Conference", "Online",
	"IndependentStudy", "FaceToFace",     "BlendedLearning", "Other",      NULL};
const char *const activity_statuses[] = {"draft", "proposed", "approved", "declined", "published", "archived", NULL};
static const char *const rule_kinds[] = {"all_sessions", "at_least", NULL};
static const char *const rule_fields[] = {"kind", "sessions", NULL};

static const char *const create_fields[] = {"title",
					    "description",
					    "objectives",
					    "topics",
					    "type",
					    "credit_type",
					    "credits",
					    "clock_hours",
					    "level",
					    "audience_type",
					    "target_audience",
					    "delivery_method",
					    "instructional_delivery_mode",
					    "funding_source",
					    "cost",
					    "completion_rule",
					    "requires_approval",
					    NULL};
static const char *const patch_fields[] = {"title",
					   "description",
					   "objectives",
					   "topics",
					   "type",
					   "credit_type",
					   "credits",
					   "clock_hours",
					   "level",
					   "audience_type",
					   "target_audience",
					   "delivery_method",
					   "instructional_delivery_mode",
					   "funding_source",
					   "cost",
					   "completion_rule",
					   "requires_approval",
					   "status",
					   NULL};

#define TITLE_MAX 200
#define DESCRIPTION_MAX 5000
#define OBJECTIVES_MAX 20
#define OBJECTIVE_LEN_MAX 500
#define TAGS_MAX 20
#define TAG_LEN_MAX 64
#define FUNDING_MAX 100
#define CREDITS_MAX 1000.0
#define COST_MAX 1000000.0
#define MIN_SESSIONS_MAX 100

/* The completion rule object: {"kind":"all_sessions"} or {"kind":"at_least","sessions":N}. */
static void check_rule(json_t *body, json_t *errs, json_t *out)
{
	json_t *rule = json_object_get(body, "completion_rule");
	const char *kind = NULL;
	long sessions = 0;
	size_t before = json_array_size(errs);

	if (rule == NULL)
		return;
	if (!json_is_object(rule)) {
		hg_err_add(errs, "completion_rule", "must be an object {\"kind\": ..., \"sessions\": ...}");
		return;
	}
	json_t *inner = json_array();
	hg_check_known_fields(rule, rule_fields, inner);
	hg_check_enum(rule, "kind", 1, rule_kinds, inner, &kind);
	if (kind != NULL && strcmp(kind, "at_least") == 0)
		hg_check_int(rule, "sessions", 1, 1, MIN_SESSIONS_MAX, inner, &sessions);
	else if (kind != NULL && json_object_get(rule, "sessions") != NULL)
		hg_err_add(inner, "sessions", "is only allowed with kind at_least");
	size_t i;
	json_t *e;
	json_array_foreach(inner, i, e) {
		char field[96];
		snprintf(field, sizeof(field), "completion_rule.%s", json_string_value(json_object_get(e, "field")));
		hg_err_add(errs, field, json_string_value(json_object_get(e, "reason")));
	}
	json_decref(inner);
	if (json_array_size(errs) > before)
		return;
	json_object_set_new(out, "completion_rule", json_string(kind));
	json_object_set_new(out, "completion_min_sessions", sessions > 0 ? json_integer(sessions) : json_null());
}

static void set_amount(json_t *body, json_t *out, const char *field, const char *text)
{
	if (json_object_get(body, field) == NULL)
		return;
	json_object_set_new(out, field, text[0] ? json_string(text) : json_null());
}

/* Check every field (required ones only when creating) and copy the good ones into a new object. */
static json_t *validate(json_t *body, json_t *errs, int creating)
{
	const char *title, *description, *type, *credit_type, *level, *audience, *method, *mode, *funding, *status;
	json_t *objectives, *topics, *targets;
	char credits[32], cost[32], clock_hours[32];
	size_t before = json_array_size(errs);
	json_t *out = json_object();

	hg_check_known_fields(body, creating ? create_fields : patch_fields, errs);
	hg_check_string(body, "title", creating, 0, 1, TITLE_MAX, errs, &title);
	hg_check_string(body, "description", 0, 0, 0, DESCRIPTION_MAX, errs, &description);
	hg_check_string_array(body, "objectives", OBJECTIVES_MAX, OBJECTIVE_LEN_MAX, NULL, errs, &objectives);
	hg_check_string_array(body, "topics", TAGS_MAX, TAG_LEN_MAX, NULL, errs, &topics);
	hg_check_enum(body, "type", creating, activity_types, errs, &type);
	hg_check_enum(body, "credit_type", creating, activity_credit_types, errs, &credit_type);
	hg_check_amount(body, "credits", creating, 0, 0, CREDITS_MAX, errs, credits, sizeof(credits));
	hg_check_amount(body, "clock_hours", 0, 1, 0, CREDITS_MAX, errs, clock_hours, sizeof(clock_hours));
	level = audience = method = mode = NULL;
	if (!json_is_null(json_object_get(body, "level")))
		hg_check_enum(body, "level", 0, levels, errs, &level);
	if (!json_is_null(json_object_get(body, "audience_type")))
		hg_check_enum(body, "audience_type", 0, audience_types, errs, &audience);
	hg_check_string_array(body, "target_audience", TAGS_MAX, TAG_LEN_MAX, NULL, errs, &targets);
	if (!json_is_null(json_object_get(body, "delivery_method")))
		hg_check_enum(body, "delivery_method", 0, delivery_methods, errs, &method);
	if (!json_is_null(json_object_get(body, "instructional_delivery_mode")))
		hg_check_enum(body, "instructional_delivery_mode", 0, delivery_modes, errs, &mode);
	hg_check_string(body, "funding_source", 0, 1, 1, FUNDING_MAX, errs, &funding);
	hg_check_amount(body, "cost", 0, 1, 0, COST_MAX, errs, cost, sizeof(cost));
	check_rule(body, errs, out);
	json_t *approval = json_object_get(body, "requires_approval");
	if (approval != NULL && !json_is_boolean(approval))
		hg_err_add(errs, "requires_approval", "must be true or false");
	status = NULL;
	if (!creating)
		hg_check_enum(body, "status", 0, activity_statuses, errs, &status);
	if (!creating && json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before) {
		json_decref(out);
		return NULL;
	}

	if (title != NULL)
		json_object_set_new(out, "title", hg_trimmed(title));
	if (description != NULL)
		json_object_set_new(out, "description", json_string(description));
	if (objectives != NULL)
		json_object_set(out, "objectives", objectives);
	if (topics != NULL)
		json_object_set(out, "topics", topics);
	if (targets != NULL)
		json_object_set(out, "target_audience", targets);
	if (type != NULL)
		json_object_set_new(out, "type", json_string(type));
	if (credit_type != NULL)
		json_object_set_new(out, "credit_type", json_string(credit_type));
	set_amount(body, out, "credits", credits);
	set_amount(body, out, "cost", cost);
	set_amount(body, out, "clock_hours", clock_hours);
	/* Nullable choices: a present null clears the stored value. */
	static const char *const nullable[] = {"level", "audience_type", "delivery_method",
					       "instructional_delivery_mode", NULL};
	const char *values[] = {level, audience, method, mode};
	for (size_t i = 0; nullable[i] != NULL; i++)
		if (json_object_get(body, nullable[i]) != NULL)
			json_object_set_new(out, nullable[i], values[i] ? json_string(values[i]) : json_null());
	if (json_object_get(body, "funding_source") != NULL)
		json_object_set_new(out, "funding_source", funding ? hg_trimmed(funding) : json_null());
	if (approval != NULL)
		json_object_set(out, "requires_approval", approval);
	if (status != NULL)
		json_object_set_new(out, "status", json_string(status));
	return out;
}

json_t *activity_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, errs, 1);
}

json_t *activity_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, errs, 0);
}

/* Set only by a proposal and its decision (proposal.c), never by PATCH. */
static int decided_status(const char *status)
{
	return strcmp(status, "proposed") == 0 || strcmp(status, "approved") == 0 || strcmp(status, "declined") == 0;
}

const struct hg_reason *activity_transition(const char *from, const char *to)
{
	if (strcmp(from, to) == 0)
		return NULL;
	if (strcmp(to, "published") == 0 && (strcmp(from, "draft") == 0 || strcmp(from, "approved") == 0))
		return NULL;
	if (strcmp(from, "published") == 0 && strcmp(to, "archived") == 0)
		return NULL;
	if (strcmp(from, "archived") == 0)
		return RESOURCES_REFUSE(R_ACTIVITY_ARCHIVED_STATUS);
	if (strcmp(from, "declined") == 0)
		return RESOURCES_REFUSE(R_ACTIVITY_DECLINED);
	if (strcmp(from, "proposed") == 0)
		return RESOURCES_REFUSE(R_ACTIVITY_AWAITING_DECISION);
	if (decided_status(to))
		return RESOURCES_REFUSE(R_ACTIVITY_STATUS_BY_DECISION);
	if (strcmp(to, "draft") == 0)
		return RESOURCES_REFUSE(R_ACTIVITY_NOT_BACK_TO_DRAFT);
	return RESOURCES_REFUSE(R_ACTIVITY_DRAFT_NOT_ARCHIVED);
}

int activity_editable(const char *status) { return strcmp(status, "archived") != 0 && strcmp(status, "declined") != 0; }

int activity_visible(const struct hg_principal *who, const char *status, const char *proposed_by)
{
	if (catalog_is_admin(who))
		return 1;
	if (status != NULL && (strcmp(status, "published") == 0 || strcmp(status, "archived") == 0))
		return 1;
	/* A proposal is its proposer's own, whatever became of it. */
	return catalog_same_id(who->sub, proposed_by);
}

const char *activity_list_statuses(const struct hg_principal *who, const char *filter)
{
	static const char *const literals[] = {"{draft}",     "{proposed}", "{approved}", "{declined}",
					       "{published}", "{archived}", NULL};
	int admin = catalog_is_admin(who);
	if (filter == NULL)
		return admin ? "{draft,proposed,approved,declined,published,archived}" : "{published,archived}";
	for (size_t i = 0; activity_statuses[i] != NULL; i++) {
		if (strcmp(filter, activity_statuses[i]) != 0)
			continue;
		/* Others' work in progress is the PD office's; proposers list theirs at /v1/catalog/proposals. */
		if (!admin && strcmp(filter, "published") != 0 && strcmp(filter, "archived") != 0)
			return "{}";
		return literals[i];
	}
	return NULL;
}

const char *activity_event(const char *from, const char *to)
{
	if (strcmp(from, to) != 0 && strcmp(to, "published") == 0)
		return "activity.published";
	if (strcmp(from, to) != 0 && strcmp(to, "archived") == 0)
		return "activity.archived";
	return "activity.updated";
}

int completion_met(const char *rule, long min_sessions, long attended, long total_sessions)
{
	if (strcmp(rule, "at_least") == 0)
		return min_sessions > 0 && attended >= min_sessions;
	return total_sessions > 0 && attended >= total_sessions;
}

/* ---- the kit's rules ---- */

const struct hg_reason *activity_rule_change(const struct hg_principal *who, json_t *state, json_t *changes)
{
	(void)who;
	const char *from = hg_record_status(state);
	const char *to = hg_record_target_status(state, changes);
	if (strcmp(from, "declined") == 0)
		return RESOURCES_REFUSE(R_ACTIVITY_DECLINED);
	if (!activity_editable(from))
		return RESOURCES_REFUSE(R_ACTIVITY_ARCHIVED);
	const struct hg_reason *why = activity_transition(from, to);
	if (why != NULL)
		return why;
	/* Only `status`, and unchanged: nothing to write, no event. */
	if (json_object_size(changes) == 1 && json_object_get(changes, "status") != NULL && strcmp(from, to) == 0)
		return &hg_reason_unchanged;
	return NULL;
}

const char *activity_event_type(json_t *state, json_t *changes)
{
	return activity_event(hg_record_status(state), hg_record_target_status(state, changes));
}

const struct hg_reason *activity_rule_read(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)state;
	return activity_visible(who, json_string_value(json_object_get(record, "status")),
				json_string_value(json_object_get(record, "proposed_by")))
		       ? NULL
		       : &hg_reason_hidden;
}

const struct hg_reason *activity_rule_parent(const struct hg_principal *who, json_t *record, json_t *state)
{
	(void)record;
	return activity_visible(who, hg_record_status(state), json_string_value(json_object_get(state, "proposed_by")))
		       ? NULL
		       : &hg_reason_hidden;
}

const struct hg_reason *activity_list_args(const struct hg_principal *who, const char *const *values,
					   struct hg_record_call *call)
{
	/* values[0]: ?status=, already one of activity_statuses (or absent). */
	hg_record_arg(call, activity_list_statuses(who, values[0]));
	return NULL;
}
