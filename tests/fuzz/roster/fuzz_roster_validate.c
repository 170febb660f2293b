/* fuzz_roster_validate - every request body validator of hg-roster (tests/fuzz/validators.h). */
#include "services/roster/educator.h"
#include "services/roster/school.h"
#include "services/roster/sis_connection.h"
#include "tests/fuzz/validators.h"

static const hg_validate_fn validators[] = {school_validate_patch, educator_validate_patch, sis_connection_validate};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_validators(data, size, validators, sizeof(validators) / sizeof(validators[0]));
}
