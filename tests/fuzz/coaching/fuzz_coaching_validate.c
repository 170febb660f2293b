/* fuzz_coaching_validate - request body validators of hg-coaching (tests/fuzz/validators.h): a coaching
 * relationship's create and change bodies, a coaching cycle's (with its goal and action steps), a PLC's and a PLC
 * meeting's. */
#include "services/coaching/cycle.h"
#include "services/coaching/plc.h"
#include "services/coaching/relationship.h"
#include "tests/fuzz/validators.h"

static const hg_validate_fn validators[] = {relationship_validate_create, relationship_validate_patch,
					    cycle_validate_create,        cycle_validate_patch,
					    plc_validate_create,          plc_validate_patch,
					    plc_meeting_validate_create,  plc_meeting_validate_patch};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_validators(data, size, validators, sizeof(validators) / sizeof(validators[0]));
}
