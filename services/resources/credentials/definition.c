/* definition.c - validation of micro-credential definitions. */
#include "services/resources/credentials/definition.h"

#include <stdio.h>
#include <string.h>

#include "services/resources/catalog/activity.h"

static const char *const create_fields[] = {"competency_id", "name",    "description",  "criteria", "evidence_required",
					    "credit_type",   "credits", "reviewer_ids", NULL};
static const char *const patch_fields[] = {"name",        "description", "criteria",     "evidence_required",
					   "credit_type", "credits",     "reviewer_ids", "status",
					   NULL};
static const char *const criterion_fields[] = {"name", "description", "levels", "passing_level", NULL};

const char *const definition_evidence_kinds[] = {"link", "reflection", "coaching_observation", "student_work", NULL};
const char *const definition_statuses[] = {"active", "retired", NULL};

/* One criterion into a new object, or NULL with its problems in tmp (unprefixed). */
static json_t *check_criterion(json_t *c, json_t *tmp)
{
	const char *name = NULL, *description = NULL;
	json_t *levels = json_object_get(c, "levels"), *lv, *out_levels = NULL;
	long passing = 0;
	size_t i, n = 0;

	hg_check_known_fields(c, criterion_fields, tmp);
	hg_check_string(c, "name", 1, 0, 1, 200, tmp, &name);
	hg_check_string(c, "description", 0, 0, 0, 2000, tmp, &description);
	if (levels == NULL) {
		hg_err_add(tmp, "levels", "is required");
	} else if (!json_is_array(levels) || json_array_size(levels) < DEFINITION_LEVELS_MIN ||
		   json_array_size(levels) > DEFINITION_LEVELS_MAX) {
		hg_err_add(tmp, "levels", "must be an array of 2 to 6 level descriptors, lowest first");
	} else {
		n = json_array_size(levels);
		out_levels = json_array();
		json_array_foreach(levels, i, lv) {
			const char *s = json_string_value(lv);
			size_t len = s ? hg_utf8_len(s) : 0;
			json_t *t = s ? hg_trimmed(s) : NULL;
			if (s == NULL || strlen(s) != json_string_length(lv) || len > 500 ||
			    json_string_length(t) == 0) {
				char at[32];
				snprintf(at, sizeof(at), "levels[%zu]", i);
				hg_err_add(tmp, at, "must be a descriptor of 1 to 500 characters");
				json_decref(t);
				continue;
			}
			json_array_append_new(out_levels, t);
		}
	}
	if (hg_check_int(c, "passing_level", 1, 1, DEFINITION_LEVELS_MAX, tmp, &passing) && n > 0 &&
	    (size_t)passing > n)
		hg_err_add(tmp, "passing_level", "must be one of the criterion's levels (1 to their number)");
	if (json_array_size(tmp) > 0) {
		json_decref(out_levels);
		return NULL;
	}
	return json_pack("{s:o, s:s, s:o, s:i}", "name", hg_trimmed(name), "description",
			 description ? description : "", "levels", out_levels, "passing_level", (int)passing);
}

static json_t *check_criteria(json_t *body, int required, json_t *errs)
{
	return hg_check_object_array(body, "criteria", required, DEFINITION_CRITERIA_MAX,
				     "must be an array of 1 to 10 criteria", check_criterion, errs);
}

static json_t *validate(json_t *body, int create, json_t *errs)
{
	const char *name = NULL, *description = NULL, *credit_type = NULL, *status = NULL;
	char competency[37] = "", credits[32] = "";
	json_t *criteria, *evidence = NULL, *reviewers = NULL, *out;
	size_t before = json_array_size(errs);

	hg_check_known_fields(body, create ? create_fields : patch_fields, errs);
	if (create)
		hg_check_uuid(body, "competency_id", 1, errs, competency);
	hg_check_string(body, "name", create, 0, 1, 200, errs, &name);
	hg_check_string(body, "description", create, 0, 1, 5000, errs, &description);
	criteria = check_criteria(body, create, errs);
	if (hg_check_string_array(body, "evidence_required", 4, 64, definition_evidence_kinds, errs, &evidence) &&
	    evidence != NULL && json_array_size(evidence) == 0)
		hg_err_add(errs, "evidence_required", "must name at least one kind of evidence");
	else if (create && evidence == NULL && json_object_get(body, "evidence_required") == NULL)
		hg_err_add(errs, "evidence_required", "is required");
	hg_check_enum(body, "credit_type", 0, activity_credit_types, errs, &credit_type);
	hg_check_amount(body, "credits", create, 0, 0, 1000.0, errs, credits, sizeof(credits));
	if (create || json_object_get(body, "reviewer_ids") != NULL) /* absent: "is required" */
		hg_check_uuid_array(body, "reviewer_ids", 1, DEFINITION_REVIEWERS_MAX, errs, &reviewers);
	if (!create)
		hg_check_enum(body, "status", 0, definition_statuses, errs, &status);
	if (!create && json_array_size(errs) == before && json_object_size(body) == 0)
		hg_err_add(errs, "", "must change at least one field");
	if (json_array_size(errs) > before) {
		json_decref(criteria);
		json_decref(reviewers);
		return NULL;
	}
	out = json_object();
	if (create) {
		json_object_set_new(out, "competency_id", json_string(competency));
		json_object_set_new(out, "credit_type", json_string(credit_type ? credit_type : "Hours"));
	} else if (credit_type != NULL) {
		json_object_set_new(out, "credit_type", json_string(credit_type));
	}
	if (name != NULL)
		json_object_set_new(out, "name", hg_trimmed(name));
	if (description != NULL)
		json_object_set_new(out, "description", hg_trimmed(description));
	if (criteria != NULL)
		json_object_set_new(out, "criteria", criteria);
	if (evidence != NULL)
		json_object_set(out, "evidence_required", evidence);
	if (credits[0])
		json_object_set_new(out, "credits", json_string(credits));
	if (reviewers != NULL)
		json_object_set_new(out, "reviewer_ids", reviewers);
	if (status != NULL)
		json_object_set_new(out, "status", json_string(status));
	return out;
}

json_t *definition_validate_create(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, 1, errs);
}

json_t *definition_validate_patch(json_t *body, const struct hg_input *in, json_t *errs)
{
	(void)in;
	return validate(body, 0, errs);
}
