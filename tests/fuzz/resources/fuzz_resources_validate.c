/* fuzz_resources_validate - every request body validator of hg-resources (tests/fuzz/validators.h). */
#include "services/resources/catalog/activity.h"
#include "services/resources/catalog/attendance.h"
#include "services/resources/catalog/budget.h"
#include "services/resources/catalog/credit.h"
#include "services/resources/catalog/proposal.h"
#include "services/resources/catalog/registration.h"
#include "services/resources/catalog/session.h"
#include "services/resources/credentials/competency.h"
#include "services/resources/credentials/credential.h"
#include "services/resources/credentials/definition.h"
#include "services/resources/credentials/submission.h"
#include "services/resources/library/resource.h"
#include "services/resources/library/review.h"
#include "tests/fuzz/validators.h"

static const hg_validate_fn validators[] = {
	resource_validate_create,
	resource_validate_patch,
	review_validate_create,
	review_validate_patch,
	content_check_validate,
	activity_validate_create,
	activity_validate_patch,
	session_validate_create,
	session_validate_patch,
	attendance_validate,
	checkin_validate,
	credit_validate_create,
	credit_validate_decision,
	proposal_validate_decision,
	registration_validate_decision,
	budget_validate_source_create,
	budget_validate_source_patch,
	budget_validate_charge,
	budget_validate_settings,
	budget_validate_release,
	competency_validate_create,
	competency_validate_patch,
	definition_validate_create,
	definition_validate_patch,
	submission_validate_create,
	submission_validate_resubmit,
	submission_validate_withdraw,
	submission_validate_review,
	credential_validate_revoke,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_validators(data, size, validators, sizeof(validators) / sizeof(validators[0]));
}
